using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpBan.Engine.Matching.Dates;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Tests.Matching.Regex;

using DotNetRegex = System.Text.RegularExpressions.Regex;

public sealed class StartCharFilterTests
{
    /// <summary>Hand-written corner cases: options, folding, classes, lookarounds, back-references, quantifiers.</summary>
    private static readonly string[] Tricky =
    [
        @"(?i)^k", "(?i)^\u212A", @"^[^a]b", @"(?i)^[^a]b", @"(?i)^[a-c]x", @"^(?:a|b)?c", @"^a{0,2}b", @"^a{2,}b", @"^(?=x)\w",
        @"^(?<n>a)?\k<n>b", @"^(a)?\1c", @"^(?i:a)b", @"^(?:(?i)a|b)c", @"^x(?i)Y", @"^\x41", @"(?i)^[\x41-\x43]", @"^[\]a]",
        @"^[a\-z]", @"^\d", @"^\D", @"^\w", @"^\W{0,2}z", @"^\s*$", @"^\S", @"^.", @"^(?(a)a|b)c", @"^(?<c>x)?(?(c)y|z)",
        @"^(?>ab|c)", @"^(?#note)a", @"^\bA", @"^[\d_]", @"^\p{L}", @"^(?:\W{0,2})?(?<Y>(?:200|201|202)\d)", @"^a{,2}b",
        @"^[a-]x", @"^\t|x", @"(?m)^a", @"^(?-i)a", "(?i)^\u017F", @"^[\u00e0-\u00ff]", @"(?i)^[^\u212A]",
        @"^a{2,3}b", @"^(?:ab|a)c", @"^(a|bc)*d", @"^(?:x?){3}y", @"^(a)(?:b|\1)c", @"^a{7}", @"^(?:[ab]{2}){2,}c",
        @"^\d{1,2}[/.-]\d", @"^(?:a*)*b", @"^a+?b", @"^(?:)a", @"^(?:[a-c]{1,3}[x-z]{1,3}){2}q", @"^(?:a|b|c|x|y|z){1,9}k",
        @"^a(?=b)", @"^a\b", @"^ab$", @"^(?i)a(?-i)b", @"^(?<n>a|b)\k<n>{2}z", @"^(?:a{0,2}b?){0,3}c",
        @"^[^\p{L}\p{N}_]x", @"^\P{N}", @"^(?:[^\p{L}\p{N}_]|[a])", @"^[\p{Lu}\p{Nd}]", @"^(?:(?![a])[\p{L}\p{N}_])b",
    ];

    private static IEnumerable<string> Patterns() =>
        Tricky.Concat(new DateTemplateCache(2026).All.Select(static t => t.Regex.Translated.Pattern));

    private static readonly string[] Lines =
    [
        "192.0.2.1 - - [14/Aug/2005:10:00:00 +0200] \"GET / HTTP/1.1\" 200 1", "2005/08/14 10:00:00 [error] 1#0: x",
        "Aug 14 10:00:00 srv sshd[1]: Failed password", "[1124013600] x", "@4000000043000000000000000 x", "14-Aug-2005 10:00:00 x",
        "Sun Aug 14 10:00:00 2005 x", "08/14/2005:10:00:00 x", "050814 10:00:00 x", "10:00:00 x", "<08/14/05@10:00:00> x",
        "K", "\u212A", "k", "\u017Fx", "s", "ab", "bb", "Bx", "Cx", "zb", "x", "aab", "aaab", "b", "c", "xY", "xy", "A", "]", "-x",
        "\tq", " ", "", "\u00e9", "_", "5", "\u0663", "yz", "cz", "é", "\n", "aY",
    ];

    public static TheoryData<string> AllPatterns() => [.. Patterns()];

    [Theory]
    [MemberData(nameof(AllPatterns))]
    public void MayMatch_NeverRejectsAnInputTheRegexMatches(string pattern)
    {
        var filter = StartCharFilter.Create(pattern, multiline: false);
        var regex = new DotNetRegex(pattern, RegexOptions.CultureInvariant);
        foreach (var line in Lines)
        {
            Assert.False(regex.IsMatch(line) && filter is not null && !filter.MayMatch(line), $"'{pattern}' matches '{line}' but the filter rejects it");
        }
    }

    private static Arbitrary<string> Inputs() =>
        Gen.Elements("a", "A", "b", "k", "K", "\u212A", "s", "\u017F", "x", "y", "z", "0", "1", "2", "9", " ", "\t", "-", "/", ":", "[", "]", "@", "<", "_", "\u00e9", "\u0663", "\n")
            .ListOf()
            .Select(parts => string.Concat(parts.Take(12)))
            .ToArbitrary();

    [Property(MaxTest = 300)]
    public Property MayMatch_ArbitraryInput_NeverRejectsAMatch() =>
        Prop.ForAll(Inputs(), input => Patterns().All(pattern =>
        {
            var filter = StartCharFilter.Create(pattern, multiline: false);
            return filter is null || filter.MayMatch(input) || !DotNetRegex.IsMatch(input, pattern, RegexOptions.CultureInvariant);
        }));

    /// <summary>Pieces of random anchored patterns: atoms (which may take a quantifier) and whole constructs (which may not).</summary>
    private static readonly (string Text, bool Atom)[] Pieces =
    [
        ("a", true), ("b", true), ("x", true), ("[ab]", true), ("[^a]", true), (@"\d", true), (@"\W", true), (@"\s", true), (".", true),
        ("(?:a|bb)", true), ("(?:ab|a)", true), ("(?:a|)", true), ("(?i:A)", true), ("(?:[ab]b|a)", true), ("(?:x?y?)", true),
        ("(?=a)", false), (@"\b", false), ("$", false), ("(a)\\1", false), ("(?<n>b)?\\k<n>", false), ("(?i)", false), ("(?-i)", false),
        ("(?(a)ab|b)", false), ("(?:(?:a|b){2}|x)", true), (@"(?:\W{0,2})?", false), ("(?>a|ab)", true),
    ];

    private static readonly string[] Quantifiers = ["", "", "", "?", "*", "+", "{0,2}", "{2}", "{1,}", "{3,4}", "??", "+?"];

    private static Arbitrary<string> AnchoredPatterns() =>
        Gen.Zip(Gen.Elements(Pieces), Gen.Elements(Quantifiers))
            .Select(static p => p.Item1.Atom ? p.Item1.Text + p.Item2 : p.Item1.Text)
            .ListOf()
            .Select(static parts => "^" + string.Concat(parts.Take(7)))
            .ToArbitrary();

    [Property(MaxTest = 2000)]
    public Property MayMatch_RandomAnchoredPattern_NeverRejectsAMatch() =>
        Prop.ForAll(AnchoredPatterns(), Inputs(), static (pattern, input) =>
        {
            DotNetRegex regex;
            try
            {
                regex = new DotNetRegex(pattern, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException)
            {
                return true.ToProperty(); // not a .NET pattern (a back-reference to a group not yet seen, say): nothing to check
            }

            var filter = StartCharFilter.Create(pattern, multiline: false);
            return (filter is null || filter.MayMatch(input) || !regex.IsMatch(input)).Label($"'{pattern}' on '{input}'");
        });

    [Theory]
    [InlineData(@"^(?:\W{0,2})?(?<Y>(?:200|201|202)\d)-", "192.0.2.1 - -")]
    [InlineData(@"(?i)^(?:\W{0,2})?(?<b>jan|feb|mar)", "192.0.2.1 - -")]
    [InlineData(@"^(?:\W{0,2})?(?<x>@[0-9a-f]{24})", "Aug 14")]
    [InlineData(@"^[aA]uthentication", "Failed password")]
    [InlineData(@"^\d", "")]
    [InlineData(@"^(?<d>3[01]|[12]\d|0?[1-9])/", "192.0.2.1 - -")]
    [InlineData(@"^(?<s>\d{10})(?:\.\d{3,6})?", "192.0.2.1 - -")]
    [InlineData(@"^(?<H>2[0-3]|[01]\d|\d):", "2001:db8::1 - -")]
    [InlineData(@"^ab", "a")]
    [InlineData(@"^a{2,3}b", "aaaab")]
    [InlineData(@"^.x", "ab")]
    public void MayMatch_InputThatCannotStartAMatch_IsRejected(string pattern, string input)
    {
        var filter = StartCharFilter.Create(pattern, multiline: false);

        Assert.NotNull(filter);
        Assert.False(filter.MayMatch(input));
    }

    /// <summary>
    /// Access-log lines begin with an address, where no <c>{^LN-BEG}</c> template finds a date: none of them may cost a
    /// regex call there, including those that begin with a digit (a day, an hour, a two-digit year, an epoch).
    /// </summary>
    [Theory]
    [InlineData("192.0.2.77 - - [14/Aug/2005:00:00:02 +0200] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8\"")]
    [InlineData("2001:db8::8e8d - - [14/Aug/2005:00:00:02 +0200] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8\"")]
    [InlineData("203.0.113.9 example.org - [14/Aug/2005:00:00:02 +0200] \"POST /wp-login.php HTTP/1.1\" 200 1")]
    public void MayMatch_LineStartTemplatesOnAnAccessLine_RuleOutEveryOne(string line)
    {
        var anchored = new DateTemplateCache(2026).All.Where(static t => (t.Flags & DateTemplateFlags.LineBegin) != 0).ToList();
        Assert.NotEmpty(anchored);
        foreach (var template in anchored)
        {
            var pattern = template.Regex.Translated.Pattern;
            Assert.False(DotNetRegex.IsMatch(line, pattern, RegexOptions.CultureInvariant), $"'{template.Name}' matches '{line}'");
            var filter = StartCharFilter.Create(pattern, multiline: false);
            Assert.True(filter is not null && !filter.MayMatch(line), $"'{template.Name}' ({pattern}) is not ruled out on '{line}'");
        }
    }

    [Theory]
    [InlineData(@"a")]
    [InlineData(@"^a|b")]
    [InlineData(@"^a?")]
    [InlineData(@"^.")]
    [InlineData(@"(?m)^a")]
    [InlineData(@"(?x)^a b")]
    [InlineData(@"^[a-[b]]")]
    public void Create_UnanchoredNullableUnboundedOrUnknown_GivesNoFilter(string pattern)
    {
        Assert.Null(StartCharFilter.Create(pattern, multiline: false));
    }

    [Fact]
    public void Create_Multiline_GivesNoFilter()
    {
        Assert.Null(StartCharFilter.Create(@"^a", multiline: true));
    }
}

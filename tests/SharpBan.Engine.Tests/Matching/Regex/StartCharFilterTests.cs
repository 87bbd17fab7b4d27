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

    [Theory]
    [InlineData(@"^(?:\W{0,2})?(?<Y>(?:200|201|202)\d)-", "192.0.2.1 - -")]
    [InlineData(@"(?i)^(?:\W{0,2})?(?<b>jan|feb|mar)", "192.0.2.1 - -")]
    [InlineData(@"^(?:\W{0,2})?(?<x>@[0-9a-f]{24})", "Aug 14")]
    [InlineData(@"^[aA]uthentication", "Failed password")]
    [InlineData(@"^\d", "")]
    public void MayMatch_InputThatCannotStartAMatch_IsRejected(string pattern, string input)
    {
        var filter = StartCharFilter.Create(pattern, multiline: false);

        Assert.NotNull(filter);
        Assert.False(filter.MayMatch(input));
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

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpBan.Engine.Matching.Regex;
using DotNetRegex = System.Text.RegularExpressions.Regex;

namespace SharpBan.Engine.Tests.Matching.Regex;

public sealed class LookAheadHintsTests
{
    private const string Hint = @"(?=[\d\D]*: )";

    /// <summary>sshd's shape: the user's first branch sets the group the final conditional tests.</summary>
    [Theory]
    [InlineData(@"^F (?:(?P<u>\S+)|[^:]+)- from x(?(u): |$)", @"^F (?:(?P<u>\S+(?=- from x)" + Hint + @")|[^:]+(?=- from x))- from x(?(u): |$)")]
    [InlineData(@"^F (?:(\S+)|[^:]+) from x(?(1): |$)", @"^F (?:(\S+" + Hint + @")|[^:]+(?= from x)) from x(?(1): |$)")]
    [InlineData(@"^F (?P<u>a|b)c(?(u): x)", @"^F (?P<u>(?:a|b)(?=[\d\D]*: x))c(?(u): x)")]
    [InlineData(@"^(?:F (?P<u>\S+)+ x(?(u): |$))?", @"^(?:F (?P<u>\S+" + Hint + @")+ x(?(u): |$))?")]
    [InlineData(@"(?P<u>a)(?(u)\.\[y|z)", @"(?P<u>a(?=[\d\D]*\.\[y))(?(u)\.\[y|z)")]
    [InlineData(@"(?P<u>a)(?(u)xyz+|z)", @"(?P<u>a(?=[\d\D]*xy))(?(u)xyz+|z)")]
    [InlineData(@"(?P<u>a)(?(u)xy|z)(?(u)vw)", @"(?P<u>a(?=[\d\D]*xy)(?=[\d\D]*vw))(?(u)xy|z)(?(u)vw)")]
    [InlineData(@"(?s)(?P<u>a)(?(u)xy|z)", @"(?s)(?P<u>a(?=[\d\D]*xy))(?(u)xy|z)")]
    public void Add_ConditionalAlwaysReachedAfterItsGroup_LookAheadAtTheGroupsEnd(string pattern, string expected)
    {
        Assert.Equal(expected, LookAheadHints.Add(pattern));
    }

    /// <summary>Where the look-ahead would not be a necessary condition, or could change which way a match takes.</summary>
    [Theory]
    [InlineData(@"(?i)(?P<u>a)(?(u)xy|z)")] // the literal matches more than its text
    [InlineData(@"(?P<u>a)(?x:b)(?(u)xy|z)")]
    [InlineData(@"(?P<u>a)(?(u)xy|z)?")] // the conditional may be skipped
    [InlineData(@"(?P<u>a)(?(u)xy|z){0,1}")]
    [InlineData(@"(?P<u>a)|b(?(u)xy|z)")] // another branch
    [InlineData(@"^F (?P<u>\S+)|[^:]+ from x(?(u): |$)")]
    [InlineData(@"(?:(?P<u>a)|b)(?:c|(?(u)xy|z))")]
    [InlineData(@"(?=(?P<u>abc))(?(u)xy|z)")] // the group ends after the conditional's position
    [InlineData(@"(?>(?P<u>a)|a)(?(u)xy|z)")] // atomic: the first way through is kept, pruning would pick another
    [InlineData(@"(?:(?P<u>a)|a)++(?(u)xy|z)")]
    [InlineData(@"(?<=(?P<u>a)(?(u)xy|z))")] // look-behind
    [InlineData(@"(?(u)xy|z)(?P<u>a)")] // the group comes later
    [InlineData(@"(?P<u>a(?(u)xy|z))")] // the conditional is inside the group
    [InlineData(@"(?P<u>a)(?(u)x|z)")] // one literal character
    [InlineData(@"(?P<u>a)(?(u)xy+|z)")]
    [InlineData(@"(?P<u>a)(?(u)\d: |z)")] // no literal first
    [InlineData(@"(?P<u>a)(?(v)xy|z)(?P<v>b)")]
    [InlineData(@"(?P<u>a)(?(2)xy|z)")] // no such group
    [InlineData(@"(?P<u>a)(?(u)|xy)")]
    public void Add_NoNecessaryLiteral_PatternUnchanged(string pattern)
    {
        Assert.Same(pattern, LookAheadHints.Add(pattern));
    }

    /// <summary>The second hint: a greedy loop that ends a branch and could eat the literal after the group.</summary>
    [Theory]
    [InlineData(@"^a (?P<user>\S+|[^:]+) from b", @"^a (?P<user>\S+|[^:]+(?= from b)) from b")]
    [InlineData(@"(?:x|.*) from", @"(?:x|.*(?= from)) from")]
    [InlineData(@"(?:x|y.{2,}) from", @"(?:x|y.{2,}(?= from)) from")]
    [InlineData(@"(a)?(?P<u>(?(1)b|[^:]+)) from", @"(a)?(?P<u>(?(1)b|[^:]+(?= from))) from")]
    [InlineData(@"(?P<u>(?:x|[^:]+)) from", @"(?P<u>(?:x|[^:]+(?= from))) from")]
    [InlineData(@"(?:x|[^:]+)\.\[z", @"(?:x|[^:]+(?=\.\[z))\.\[z")]
    [InlineData(@"(?:x|[^:]+) fro+m", @"(?:x|[^:]+(?= fr)) fro+m")]
    public void Add_LiteralAfterAGroupWithBranches_LookAheadAfterItsLoops(string pattern, string expected)
    {
        Assert.Equal(expected, LookAheadHints.Add(pattern));
    }

    [Theory]
    [InlineData(@"(?P<u>[^:]+) from")] // no branches: .NET jumps to the literal itself
    [InlineData(@"(?:a|\d+) from")] // the loop cannot eat the literal's first character
    [InlineData(@"(?:a|[^:]+?) from")] // lazy
    [InlineData(@"(?:a|[^:]+)+ from")] // quantified group
    [InlineData(@"(?>a|[^:]+) from")] // atomic: cutting a way could change the one kept
    [InlineData(@"(?:a|[^:]+)?+ from")]
    [InlineData(@"(?:a|[^:]+)x")] // one literal character
    [InlineData(@"(?:a|[^:]+)x*")]
    [InlineData(@"(?:a|[^:]?) from")] // bounded: a few steps back at most
    [InlineData(@"(?:a|[^:]{1,9}) from")]
    [InlineData(@"(?:a|b,?) from")]
    [InlineData(@"(?:a|[^:]+)\d from")]
    [InlineData(@"(?i)(?:a|[^:]+) from")]
    [InlineData(@"(?:a|(?:[^:]+)+) from")]
    public void Add_NoLoopBeforeTheLiteralToHelp_PatternUnchanged(string pattern)
    {
        Assert.Same(pattern, LookAheadHints.Add(pattern));
    }

    [Theory]
    [InlineData(@"a(b")]
    [InlineData(@"a)b(?(1)xy)")]
    [InlineData(@"(?P<u>a)(?Q)(?(u)xy|z)")]
    public void Add_PatternNotUnderstood_Unchanged(string pattern)
    {
        Assert.Same(pattern, LookAheadHints.Add(pattern));
    }

    /// <summary>
    /// The point of the hints: the same match, groups and failures as without them, on inputs where the conditional's
    /// literal is there, missing, or only before the group. Compared with the translation of the pattern as written.
    /// </summary>
    [Theory]
    [InlineData(@"^Failed (?:(?P<pk>publickey)|\S+) for (?P<inv>invalid user )?(?P<user>(?P<cond>\S+)|(?(inv)(?:(?! from ).)*?|[^:]+)) from (?P<ip>[\d.]+)(?: port \d+)?(?: ssh\d*)?(?(cond): |(?:(?:(?! from ).)*)$)")]
    [InlineData(@"(?P<u>\w+)(?:-(?P<v>\d))?\s*(?(v)\.: |;)(?(u)ab|c)")]
    [InlineData(@"(?P<a>x)?(?P<b>y|yy)(?(a)yz|y)(?(b)zz)")]
    [InlineData(@"(?:(?P<u>\S+)|[^:]+) from (?P<ip>\S+)")]
    [InlineData(@"(?:x|(?:a|b.*)) from(?: \S+)?$")]
    public void Search_WithHint_SameAsWithout(string pattern)
    {
        Assert.NotSame(pattern, LookAheadHints.Add(pattern));
        var hinted = new PyRegex(pattern, compiled: false);
        var plain = new DotNetRegex(PyRegexTranslator.Translate(pattern).Pattern);
        string[] inputs =
        [
            "Failed password for root from 192.0.2.7 port 22 ssh2",
            "Failed password for root from 192.0.2.7 port 22 ssh2: x",
            "Failed password for invalid user a: b from 192.0.2.7 port 22",
            "Failed publickey for invalid user x from 192.0.2.8 port 22 ssh2: RSA SHA256:abc",
            "Failed password for a b from 192.0.2.7 from 192.0.2.8",
            "ab-1.: ab", "ab-1;c", "ab;ab", "xyyzzz", "yyzz", "xyzz", "yyyzz",
            "a from b from c", "b from", "bb from x from", "x from y", "a: b from c",
        ];
        foreach (var input in inputs)
        {
            var expected = plain.Match(input);
            var actual = hinted.Search(input);
            Assert.Equal(expected.Success, actual is not null);
            if (actual is null)
            {
                continue;
            }

            Assert.Equal((expected.Index, expected.Length), (actual.Index, actual.Length));
            Assert.Equal(
                expected.Groups.Values.Select(static g => (g.Name, g.Success, g.Value)),
                actual.Groups.Values.Select(static g => (g.Name, g.Success, g.Value)));
        }
    }

    /// <summary>Pieces of random patterns, many of them in the shapes the hints look for.</summary>
    private static readonly string[] Pieces =
    [
        "a", "b", " ", ":", "x", @"\S+", "[^:]+", ".*", "[ab ]+", @"\d", "(?P<g>a|[^:]+)", "(?:b|.*)", "(?P<h>x)?", "(a+|b)",
        "(?(g): |b)", "(?(h)ab|a)", "(?(1)a:|x)", " from ", ": ", "ab", "(?>a|[^:]+)", "(?:a|b+)*", "(?=a)", "(?i:a)", "$", "^", "|",
    ];

    private static Arbitrary<string> Patterns() =>
        Gen.Elements(Pieces).ListOf().Select(static parts => string.Concat(parts.Take(9))).ToArbitrary();

    private static Arbitrary<string> Lines() =>
        Gen.Elements("a", "b", " ", ":", "x", " from ", ": ", "ab", "-").ListOf().Select(static parts => string.Concat(parts.Take(10))).ToArbitrary();

    /// <summary>
    /// Any pattern: the hints never throw, and a pattern they change finds the same match and groups as the one written
    /// (both translated and run by .NET; <c>PyRegexCompatTests</c> compares with Python itself).
    /// </summary>
    [Property(MaxTest = 3000)]
    public Property Add_RandomPattern_NeverThrowsAndMatchesTheSame() =>
        Prop.ForAll(Patterns(), Lines(), static (pattern, line) =>
        {
            var hinted = LookAheadHints.Add(pattern);
            if (ReferenceEquals(hinted, pattern))
            {
                return true.ToProperty();
            }

            DotNetRegex written;
            try
            {
                written = new DotNetRegex(PyRegexTranslator.Translate(pattern).Pattern);
            }
            catch (Exception e) when (e is PyRegexException or ArgumentException)
            {
                return true.ToProperty(); // not a pattern Python compiles (a conditional before its group, say)
            }

            var expected = written.Match(line);
            var actual = new DotNetRegex(PyRegexTranslator.Translate(hinted).Pattern).Match(line);
            return (expected.Success == actual.Success && expected.Index == actual.Index && expected.Length == actual.Length
                    && expected.Groups.Values.Select(static g => g.Success + g.Value).SequenceEqual(actual.Groups.Values.Select(static g => g.Success + g.Value)))
                .Label($"'{pattern}' hinted '{hinted}' on '{line}'");
        });
}

using SharpBan.Engine.Matching.Regex;
using static SharpBan.Engine.Matching.Regex.PatternOutline;

namespace SharpBan.Engine.Tests.Matching.Regex;

public sealed class PatternOutlineTests
{
    [Fact]
    public void Read_GroupsOfEveryKind_PositionsKindsNumbersAndParents()
    {
        const string Pattern = @"(a)(?P<n>b|c)(?:d(?=e)(?<!f))(?(n)g|h)(?>i)(?s:j)(?#k)(?P=n)";
        var outline = PatternOutline.Read(Pattern)!;

        Assert.Equal(
            [
                (NodeKind.Capture, "(a)", 1, (string?)null), (NodeKind.Capture, "(?P<n>b|c)", 2, "n"), (NodeKind.Plain, "(?:d(?=e)(?<!f))", 0, null),
                (NodeKind.LookAhead, "(?=e)", 0, null), (NodeKind.LookBehind, "(?<!f)", 0, null), (NodeKind.Conditional, "(?(n)g|h)", 0, null),
                (NodeKind.Plain, "(?>i)", 0, null), (NodeKind.Plain, "(?s:j)", 0, null),
            ],
            outline.Groups.Select(g => (g.Kind, Pattern[g.Open..(g.Close + 1)], g.Number, g.Name)));
        Assert.Equal("n", outline.Groups[5].Reference);
        Assert.Equal("g|h)", Pattern[outline.Groups[5].BodyStart..(outline.Groups[5].Close + 1)]);
        Assert.Same(outline.Groups[2], outline.Groups[3].Parent);
        Assert.Equal([Pattern.IndexOf("b|", StringComparison.Ordinal) + 1], outline.Groups[1].Bars);
        Assert.False(outline.HasCaseOrVerboseFlag);
    }

    [Theory]
    [InlineData(@"(?:a|[^:]+)", "[^:]", "Greedy", true)]
    [InlineData(@"(?:a|\S*?)", @"\S", "Lazy", true)]
    [InlineData(@"(?:a|b?+)", "b", "Possessive", false)]
    [InlineData(@"(?:a|x{2,})", "x", "Greedy", true)]
    [InlineData(@"(?:a|x{2,3})", "x", "Greedy", false)]
    [InlineData(@"(?:a|x,?)", ",", "Greedy", false)] // "," before "?" is the item, not a {m,} bound
    [InlineData(@"(?:a|x{y)", null, "None", false)] // a literal {
    public void Read_BranchEnds_LastItemAndItsQuantifier(string pattern, string? item, string quantifier, bool unbounded)
    {
        var group = PatternOutline.Read(pattern)!.Groups[0];

        Assert.Equal(2, group.Branches.Count);
        var last = group.Branches[1];
        Assert.Equal(group.Close, last.Position);
        Assert.Equal((Enum.Parse<Quantifier>(quantifier), unbounded), (last.LastQuantifier, last.LastUnbounded));
        Assert.Equal(item, last.LastItemStart < 0 ? null : pattern[last.LastItemStart..last.LastItemEnd]);
    }

    [Fact]
    public void Read_QuantifiedGroup_QuantifierOnTheGroup()
    {
        var outline = PatternOutline.Read(@"(a|b)*(c)+?(d){2}+(e)")!;

        Assert.Equal([Quantifier.Greedy, Quantifier.Lazy, Quantifier.Possessive, Quantifier.None], outline.Groups.Select(static g => g.Quantifier));
    }

    [Theory]
    [InlineData(@"(?i)a|b", true)]
    [InlineData(@"a(?x:b )", true)]
    [InlineData(@"a(?-i:b)", true)]
    [InlineData(@"(?s)a(?a:b)", false)]
    [InlineData(@"[(?i)]\(?i\)", false)]
    public void Read_Flags_CaseOrVerboseFound(string pattern, bool expected)
    {
        Assert.Equal(expected, PatternOutline.Read(pattern)!.HasCaseOrVerboseFlag);
    }

    [Theory]
    [InlineData(@"a(b")]
    [InlineData(@"a)b")]
    [InlineData(@"(?Q)")]
    [InlineData(@"[ab")]
    [InlineData(@"ab\")]
    public void Read_NotUnderstood_Null(string pattern)
    {
        Assert.Null(PatternOutline.Read(pattern));
    }

    [Fact]
    public void Read_ClassesAndEscapes_HoldNoStructure()
    {
        var outline = PatternOutline.Read(@"[]|(]\(\|[^]()]x")!;

        Assert.Empty(outline.Groups);
    }
}

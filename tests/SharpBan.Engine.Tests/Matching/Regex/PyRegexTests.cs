using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Tests.Matching.Regex;

public sealed class PyRegexTests
{
    [Fact]
    public void Search_PastCompileThreshold_SwitchesToCompiledWithSameResults()
    {
        var r = new PyRegex(@"^Failed (?P<m>\w+) for (?P<u>\S+) from (?P<h>[\d.]+)");
        const string line = "Failed password for root from 192.0.2.1 port 22";
        var first = r.Search(line)!;
        Assert.False(r.IsCompiled);
        for (var i = 0; i < PyRegex.CompileThreshold; i++)
        {
            _ = r.Search(line);
        }

        Assert.True(SpinWait.SpinUntil(() => r.IsCompiled, TimeSpan.FromSeconds(30)));
        var later = r.Search(line)!;
        Assert.Equal(r.GroupDict(first), r.GroupDict(later));
        Assert.Null(r.Search("Accepted password for root from 192.0.2.1"));
    }

    /// <summary>A pattern whose literal prefix covers every character the start check follows gets no start check.</summary>
    [Theory]
    [InlineData(@"^Failed (?P<m>\w+) for (?P<u>\S+)", false)]
    [InlineData(@"^Fail\w+ (?P<m>\w+) for (?P<u>\S+)", true)]
    [InlineData(@"^[Ff]ailed (?P<m>\w+) for (?P<u>\S+)", true)]
    public void Search_PastStartCheckThreshold_StartCheckOnlyWithoutALongLiteralPrefix(string pattern, bool built)
    {
        var r = new PyRegex(pattern);
        for (var i = 0; i < PyRegex.StartCheckThreshold * 2; i++)
        {
            Assert.Null(r.Search("Accepted password for root"));
        }

        Assert.Equal(built, r.StartCheckBuildStarted);
        Assert.Equal("root", r.GroupValue(r.Search("Failed password for root")!, 1));
    }

    /// <summary>A regex that only fails is compiled after <see cref="PyRegex.FailedSearchesPerUse"/> times as many searches as one that matches.</summary>
    [Fact]
    public void Search_OnlyFailing_CompiledAfterFailedSearchesPerUseTimesAsManySearches()
    {
        var r = new PyRegex(@"^Failed (?P<m>\w+) for (?P<u>\S+)");
        const string line = "Failed password for "; // passes the literal check, fails in the engine
        for (var i = 1; i < PyRegex.CompileThreshold * PyRegex.FailedSearchesPerUse; i++)
        {
            Assert.Null(r.Search(line));
        }

        Assert.False(r.CompileStarted);
        Assert.Null(r.Search(line));

        Assert.True(r.CompileStarted);
        Assert.True(SpinWait.SpinUntil(() => r.IsCompiled, TimeSpan.FromSeconds(30)));
        Assert.Equal("root", r.GroupValue(r.Search("Failed password for root")!, 1));
    }

    /// <summary>A busy anchored pattern gets its start check: a line that later characters rule out no longer reaches the engine.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Search_PastStartCheckThreshold_StartCheckFollowsLaterCharacters(bool compiled)
    {
        var r = new PyRegex(@"^(?P<d>3[01]|[12]\d|0?[1-9])/(?P<m>\w+)", compiled: compiled);
        const string address = "192.0.2.1 - - [14/Aug/2005:10:00:00 +0200]";
        Assert.Null(r.StartChars);
        for (var i = 0; i < PyRegex.StartCheckThreshold; i++)
        {
            Assert.Null(r.Search(address));
        }

        Assert.True(SpinWait.SpinUntil(() => r.StartChars is { } check && !check.MayMatch(address), TimeSpan.FromSeconds(30)));
        Assert.Null(r.Search(address));
        Assert.Equal("Aug", r.GroupValue(r.Search("14/Aug/2005:10:00:00 x")!, 1));
    }

    [Fact]
    public void Search_NotCompiledWhenAsked_StaysInterpreted()
    {
        var r = new PyRegex("a+b", compiled: false);
        for (var i = 0; i < PyRegex.CompileThreshold * 2; i++)
        {
            Assert.NotNull(r.Search("xaab"));
        }

        Assert.False(r.IsCompiled);
    }

    /// <summary>.NET 10's interpreter loses a capture around a lazy loop whose body matched empty; such a regex is compiled at once.</summary>
    [Fact]
    public void Search_LazyLoopOverPossiblyEmptyGroup_CompiledAtOnceWithPythonsCapture()
    {
        var r = new PyRegex("(x|(?:a*)+?.)");

        var m = r.Search("\u00e91A")!;

        Assert.True(r.IsCompiled);
        Assert.Equal("\u00e9", m.Groups[r.Translated.PythonGroups[0]].Value);
    }

    [Theory]
    [InlineData("(?:a)*?b", true)]
    [InlineData("(a)+?", true)]
    [InlineData("(a)??", true)]
    [InlineData("(a){1,3}?", true)]
    [InlineData("(a)*", false)]
    [InlineData("a*?", false)]
    [InlineData("[)]*?", false)]
    [InlineData(@"\)*?", false)]
    [InlineData("(a){x}?", false)]
    [InlineData(@"(?<g>a)\k<g>+?", true)]
    [InlineData(@"(?<g>a)\k<g>+", false)]
    public void HasLazyGroupLoop_LazyQuantifierOnAGroup(string pattern, bool expected)
    {
        Assert.Equal(expected, PyRegex.HasLazyGroupLoop(pattern));
    }

    /// <summary>A pattern .NET 10's compiled engine fails on with IndexOutOfRangeException: a non-match, never a crash.</summary>
    /// <summary>
    /// Verbose patterns (<c>(?x)</c>): whitespace and <c>#</c> comments are not items, so a quantifier after them repeats
    /// the item before (also a possessive one), a comment's parentheses are no group, and a scoped <c>(?-x:…)</c> keeps
    /// its spaces. Each expectation is Python 3.11's <c>re.search</c>.
    /// </summary>
    [Theory]
    [InlineData("(?x)(?P<g>a) ++b", "aab", "aab", "a")]
    [InlineData("(?x)(?P<g>a) # one or more\n ++b", "aab", "aab", "a")]
    [InlineData("(?x)#(x)\n(?P<g>a)\\1", "aa", "aa", "a")]
    [InlineData("(?x)# a\\\n(b)\n(?P<g>a) \\1", "aa", "aa", "a")]
    [InlineData("(?x)(?P<g>a) (?-x:b c)", "ab c", "ab c", "a")]
    [InlineData("(?x)(?P<g>a) {,2}+ b", "aab", "aab", "a")]
    [InlineData("(?x)(?P<g>a) { 1}", "a{1}", "a{1}", "a")]
    public void Search_VerbosePattern_SameAsPython(string pattern, string input, string match, string group)
    {
        var r = new PyRegex(pattern);
        var m = r.Search(input);
        Assert.NotNull(m);
        Assert.Equal(match, m.Value);
        Assert.Equal(group, r.GroupDict(m)["g"]);
    }

    /// <summary>
    /// .NET 10's compiled engine fails inside on this pattern (a lazy loop over a group makes it compile at once) where
    /// the interpreted engine finds Python's match: the search is run again interpreted, and is no fault.
    /// </summary>
    [Fact]
    public void Search_CompiledEngineFailsInside_RunAgainInterpretedWithPythonsMatch()
    {
        var r = new PyRegex(@"(?#a)(?:(?P<c0>[\[\]]++(?i:\S0a*?)(:[-a]|_0{2,}-.))|(?P=c0)(?P<g1>.[\x61-\x63]{1,3}))?+a?(?:\t\u00e9x1*?|.\u00e9{,}\.\u00e9{1})?(?(c0): (?P<g2>\.0{0,2}[^a]??)(?(g1)\u00e9|:?+-)*?0[A-Z0-9]|\S)$", multiline: true);

        var m = r.Search(".ax");
        Assert.NotNull(m);
        Assert.Equal((1, 2), (m.Index, m.Length)); // Python 3.11: span (1, 3)
        Assert.True(r.IsMatch(".ax"));
        Assert.Equal(0, r.Faults);
    }

    [Fact]
    public void Search_EngineFailsInside_NoMatchAndNoException()
    {
        var r = new PyRegex(@"(?P<g0>_?((x{1})(?<=\d\.)\t(?=[.]1))\.|((_|b{2,}- )[ab]{2,}.\.)+?(\A) ) *?(?:$b{,2}(?=^(?P<g1>-A)))?|(?(g1)(?:([^a]+?-[^a]x*?){2}\:|(0\d\S| )\Z\n([.]))+?(?(g0)-|[^\s]\w*_[^a])|[ab]A??)$\u00e9");

        Assert.Null(r.Search("xAa\u00e9Bb1B"));
        Assert.Null(r.Search("ab."));
        Assert.True(r.Faults is 0 or 2);
    }
}

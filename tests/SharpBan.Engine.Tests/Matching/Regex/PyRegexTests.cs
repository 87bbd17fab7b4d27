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
}

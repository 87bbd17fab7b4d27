using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Engine.Tests.Matching;

/// <summary>
/// What the line buffer holds after a line, and the lines a hit keeps: a one-line buffer's prefregex content is searched
/// in place (never copied out unless <see cref="LogFilter.LineBuffer"/> is read) and a hit keeps its line's own list,
/// so nothing a later line does may show through either.
/// </summary>
public sealed class LogFilterLineBufferTests
{
    private const long Now = 1124013600;

    private static LogFilter Filter(FilterSettings s) =>
        new(s, FilterMode.RegexTool with { ReturnRawHost = true }, FixedTime.Clock(Now), new DateTemplateCache(2026));

    [Theory]
    [InlineData(@"^ \S+ app: <F-CONTENT>.+</F-CONTENT>$", "failure from :1")] // the content is the buffer's tail
    [InlineData(@"^ \S+ app: <F-CONTENT>.+</F-CONTENT> end$", "failure from :1")] // it is not: copied, as before
    public void LineBuffer_OneLineBufferWithContent_HoldsTheContentAlone(string prefRegex, string content)
    {
        var f = Filter(new FilterSettings { PrefRegex = prefRegex, FailRegex = ["^failure from <HOST>"] });
        var tail = prefRegex.EndsWith(" end$", StringComparison.Ordinal) ? " end" : "";

        Assert.Empty(f.ProcessLine($"Aug 14 11:59:00 srv app: {content}{tail}")); // the failregex runs, and misses

        Assert.Equal(new LineTuple("", "", content), Assert.Single(f.LineBuffer));
    }

    [Fact]
    public void LineBuffer_PrefRegexMissesAfterContentLine_HoldsTheLine()
    {
        var f = Filter(new FilterSettings { PrefRegex = @"^ \S+ app: <F-CONTENT>.+</F-CONTENT>$", FailRegex = ["^failure from <HOST>"] });
        _ = f.ProcessLine("Aug 14 11:59:00 srv app: failure from :1");

        Assert.Empty(f.ProcessLine("Aug 14 11:59:01 srv other: failure from :1"));

        Assert.Equal(new LineTuple("", "Aug 14 11:59:01", " srv other: failure from :1"), Assert.Single(f.LineBuffer));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Hits_LaterLines_LeaveTheMatchedLinesOfEarlierHits(int maxLines)
    {
        // one-line buffers: a prefregex, and both failregexes hit each failure line (all regexes are tried); a multi-line
        // buffer: the first hit takes its line out of the buffer, so the second finds nothing
        var f = Filter(maxLines == 1
            ? new FilterSettings { PrefRegex = @"^ \S+ app: <F-CONTENT>.+</F-CONTENT>$", FailRegex = ["^failure from <HOST>", "^failure from <ADDR> port"] }
            : new FilterSettings { FailRegex = [@"^ \S+ app: failure from <HOST>", @"^ \S+ app: failure from <ADDR> port"], MaxLines = maxLines });
        var kept = new List<(string Line, FilterHit Hit)>();
        for (var i = 0; i < 12; i++)
        {
            var line = i % 3 == 2 ? $"Aug 14 11:59:{i:00} srv app: noise {i}" : $"Aug 14 11:59:{i:00} srv app: failure from 192.0.2.{i} port {i}";
            kept.AddRange(f.ProcessLine(line).Select(h => (line, h)));
        }

        Assert.Equal(maxLines == 1 ? 16 : 8, kept.Count); // 8 failure lines
        foreach (var (line, hit) in kept)
        {
            Assert.Equal(line, Assert.Single(hit.Matches).ToString());
        }
    }
}

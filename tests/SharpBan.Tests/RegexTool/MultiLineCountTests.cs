namespace SharpBan.Tests.RegexTool;

/// <summary>Lines a multi-line failregex consumes count as matched, not missed (fail2ban-regex's accounting).</summary>
public sealed class MultiLineCountTests
{
    private const string Regex = @"^start <HOST>\nend$";

    [Fact]
    public void Run_MatchConsumesBufferedLine_MovesItFromMissedToMatched()
    {
        var (rc, output) = RegexCli.Run("-L", "2", "--print-all-matched", "--print-all-missed", "start 192.0.2.1\nend\nother", Regex);
        Assert.Equal(0, rc);
        Assert.Equal("Lines: 3 lines, 0 ignored, 2 matched, 1 missed", RegexCli.Lines(output));
        Assert.Contains("|- Matched line(s):\n|  start 192.0.2.1\n|  end\n`-", output, StringComparison.Ordinal);
        Assert.Contains("|- Missed line(s):\n|  other\n`-", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_LineSlidOutOfFullBuffer_StaysMissed()
    {
        // with maxlines 2 the first "start" leaves the buffer before "end" comes: only the second start is consumed
        var (_, output) = RegexCli.Run("-L", "2", "--print-all-missed", "start 192.0.2.1\nstart 192.0.2.2\nend", Regex);
        Assert.Equal("Lines: 3 lines, 0 ignored, 2 matched, 1 missed", RegexCli.Lines(output));
        Assert.Contains("|- Missed line(s):\n|  start 192.0.2.1\n`-", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OneLineBuffer_NothingMoves()
    {
        var (_, output) = RegexCli.Run("-L", "1", "start 192.0.2.1\nend\nother", Regex);
        Assert.Equal("Lines: 3 lines, 0 ignored, 0 matched, 3 missed", RegexCli.Lines(output));
    }

    [Fact]
    public void Run_MissedAtTheLimitOfL_TooManyToPrint()
    {
        // fail2ban-regex prints kept lines only when there are fewer than -L (else 20)
        var (_, output) = RegexCli.Run("-L", "2", "a\nb", Regex);
        Assert.Contains("Missed line(s): too many to print.  Use --print-all-missed to print all 2 lines", output, StringComparison.Ordinal);
    }
}

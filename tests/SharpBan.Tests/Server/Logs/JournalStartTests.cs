using SharpBan.Server.Logs;

namespace SharpBan.Tests.Server.Logs;

public class JournalStartTests
{
    [Fact]
    public void From_RecentCursor_ResumesAfterIt() =>
        Assert.Equal(new JournalStart("s=abc;i=2", 950), JournalStart.From(("s=abc;i=2", 950), now: 1000, findTime: 600));

    [Fact]
    public void From_CursorOlderThanFindtime_SeeksToNowMinusFindtime() =>
        Assert.Equal(new JournalStart(null, 400), JournalStart.From(("s=abc;i=2", 100), now: 1000, findTime: 600));

    [Fact]
    public void From_NoCursorButTime_SeeksToTheLaterOfBoth() =>
        Assert.Equal(new JournalStart(null, 900), JournalStart.From(("2026-01-01T00:00:00.000000", 900), now: 1000, findTime: 600));
}

using SharpBan.Engine.Matching.Dates;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Tests.Matching.Dates;

public sealed class DateDetectorTests
{
    private const long Now = 1124013600; // 2005-08-14 12:00 CEST

    private static (string Text, double? Time) Detect(string line, string? pattern = null, long now = Now, string? tz = null)
    {
        var clock = FixedTime.Clock(now);
        var d = new DateDetector(new DateTemplateCache(2026), clock);
        if (tz is not null)
        {
            Assert.True(TimeZoneOffsets.TryParse(tz, out var off));
            d.DefaultOffsetMinutes = off;
        }

        if (pattern is not null)
        {
            d.AppendPattern(pattern);
        }

        var found = d.MatchTime(line);
        Assert.NotNull(found);
        var hit = found.Value.Hit;
        return (line[hit.TextStart..hit.TextEnd], d.GetTime(hit, found.Value.Template));
    }

    /// <summary>Access-log lines, error-log lines and others, as a <c>{^LN-BEG}</c> filter meets them in one file.</summary>
    private static readonly string[] MixedLines =
    [
        "192.0.2.77 - - [14/Aug/2005:00:00:02 +0200] \"GET / HTTP/1.1\" 200 612",
        "2005/08/14 00:00:03 [error] 123#0: *3 user \"admin\" was not found, client: 192.0.2.159",
        "2001:db8::8e8d - - [14/Aug/2005:00:00:04 +0200] \"GET / HTTP/1.1\" 200 612",
        "Aug 14 00:00:05 srv sshd[1]: Failed password for root from 192.0.2.1",
        "[14/Aug/2005:00:00:06] x", "14/Aug/2005:00:00:07 x", "1124013608 x", "@4000000043000000000000000 x",
        "  2005-08-14 00:00:09 x", "00:00:10 x", "050814 00:00:11 x", "<08/14/05@00:00:12> x", "Sun Aug 14 00:00:13 2005 x",
        "", "x", "2005", "20050814T000014 x", "08/14/2005:00:00:15 x", "14-Aug-05 00:00:16 x", "[[2005-08-14 00:00:17]] x",
    ];

    private static string Found(DateDetector d, string line) =>
        d.MatchTime(line) is { } found
            ? $"{found.Template.Name} {found.Hit.Index}+{found.Hit.End - found.Hit.Index} {d.GetTime(found.Hit, found.Template)}"
            : "none";

    [Theory]
    [InlineData("{^LN-BEG}", true)]
    [InlineData("{^LN-BEG}%Y/%m/%d %H:%M:%S", true)]
    [InlineData("^%Y/%m/%d %H:%M:%S", true)]
    [InlineData("{DEFAULT}", false)]
    public void MatchTime_StartCheckOverEveryTemplate_ChangesNoResult(string pattern, bool checks)
    {
        var cache = new DateTemplateCache(2026);
        var checkedDetector = new DateDetector(cache, FixedTime.Clock(Now));
        var walking = new DateDetector(cache, FixedTime.Clock(Now)) { UseStartCheck = false };
        checkedDetector.AppendPattern(pattern);
        walking.AppendPattern(pattern);
        var lines = Enumerable.Range(0, 3000).Select(static i => MixedLines[(i * 7) % MixedLines.Length] + (i % 5 == 0 ? " " : "")).ToList();

        for (var i = 0; i < lines.Count; i++)
        {
            if (i == 100)
            {
                Assert.Equal(checks, SpinWait.SpinUntil(() => checkedDetector.HasStartCheck, TimeSpan.FromSeconds(checks ? 30 : 0.2)));
            }

            Assert.Equal(Found(walking, lines[i]), Found(checkedDetector, lines[i]));
        }

        Assert.Equal(walking.WeightedTemplates.Select(static t => (t.Template.Name, t.Hits)), checkedDetector.WeightedTemplates.Select(static t => (t.Template.Name, t.Hits)));
    }

    /// <summary>Runs <paramref name="lineAt"/>'s lines until the detector has built its start check, each checked for a date or none.</summary>
    private static void FeedUntilStartCheck(DateDetector d, Func<int, string> lineAt, Func<int, bool> hasDate)
    {
        for (var i = 0; i < PyRegex.StartCheckThreshold; i++)
        {
            Assert.Equal(hasDate(i), d.MatchTime(lineAt(i)) is not null);
        }

        Assert.True(SpinWait.SpinUntil(() => d.HasStartCheck, TimeSpan.FromSeconds(30)));
    }

    private static string DateText(DateDetector d, string line)
    {
        var found = d.MatchTime(line);
        Assert.NotNull(found);
        return line[found.Value.Hit.TextStart..found.Value.Hit.TextEnd];
    }

    [Fact]
    public void MatchTime_LineStartTemplates_BuildAStartCheckThatRulesOutAnAddress()
    {
        var d = new DateDetector(new DateTemplateCache(2026), FixedTime.Clock(Now));
        d.AppendPattern("{^LN-BEG}");
        FeedUntilStartCheck(d, static _ => MixedLines[0], static _ => false);

        Assert.Null(d.MatchTime(MixedLines[0]));
        Assert.Equal("2005/08/14 00:00:03", DateText(d, MixedLines[1]));
    }

    /// <summary>A template added after the check was built is searched: the check of the old list no longer holds.</summary>
    [Fact]
    public void AppendPattern_AfterTheStartCheck_NewTemplateIsSearched()
    {
        var d = new DateDetector(new DateTemplateCache(2026), FixedTime.Clock(Now));
        d.AppendPattern("^%Y/%m/%d %H:%M:%S");
        FeedUntilStartCheck(d, static _ => MixedLines[1], static _ => true);
        Assert.Null(d.MatchTime("14/08/2005 00:00:03 x"));

        d.AppendPattern("^%d/%m/%Y %H:%M:%S");

        Assert.False(d.HasStartCheck);
        Assert.Equal("14/08/2005 00:00:03", DateText(d, "14/08/2005 00:00:03 x"));
        FeedUntilStartCheck(d, static i => i % 2 == 0 ? MixedLines[1] : "14/08/2005 00:00:03 x", static _ => true);
        Assert.NotNull(d.MatchTime("14/08/2005 00:00:03 x"));
        Assert.Null(d.MatchTime(MixedLines[0]));
    }

    [Fact]
    public void MatchTime_TemplatesSearchedAnywhere_BuildNoStartCheck()
    {
        var d = new DateDetector(new DateTemplateCache(2026), FixedTime.Clock(Now));
        for (var i = 0; i < 200; i++)
        {
            _ = d.MatchTime(MixedLines[i % MixedLines.Length]);
        }

        Thread.Sleep(200);
        Assert.False(d.HasStartCheck);
    }

    [Theory]
    [InlineData("Jan  5 01:31:41 www sshd[1643]: x", "Jan  5 01:31:41", 1104885101)]
    [InlineData("2005-01-23T21:59:59+01:00 host x", "2005-01-23T21:59:59+01:00", 1106513999)]
    [InlineData("1.2.3.4 - - [31/Oct/2006:09:22:55 -0000] \"GET", "31/Oct/2006:09:22:55 -0000", 1162286575)]
    [InlineData("1124013500 message", "1124013500", 1124013500)]
    [InlineData("130322 11:46:11 mysql", "130322 11:46:11", 1363949171)]
    public void MatchTime_DefaultTemplates_FindAndConvertDate(string line, string text, long expected)
    {
        var (t, time) = Detect(line);
        Assert.Equal(text, t);
        Assert.Equal(expected, time);
    }

    [Fact]
    public void GetTime_YearlessDateInFuture_MovesToPreviousYear()
    {
        // Dec 31 read on 2005-08-14: more than a day ahead → 2004
        var (_, time) = Detect("Dec 31 23:59:59 host x");
        Assert.Equal(new DateTimeOffset(2004, 12, 31, 22, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds(), time);
    }

    /// <summary>Two fields that set the same value: the later one in the pattern wins, as Python walks the groups.</summary>
    [Theory]
    [InlineData("^%Y %y-%m-%d %H:%M:%S", "2004 05-08-14 10:00:00 x", 2005, 8, 14, 10)]
    [InlineData("^%y %Y-%m-%d %H:%M:%S", "05 2004-08-14 10:00:00 x", 2004, 8, 14, 10)]
    [InlineData("^%m %b %d %Y %H:%M:%S", "07 Aug 14 2005 10:00:00 x", 2005, 8, 14, 10)]
    [InlineData("^%b %m %d %Y %H:%M:%S", "Aug 07 14 2005 10:00:00 x", 2005, 7, 14, 10)]
    [InlineData("^%I %H:%M:%S %p %Y-%m-%d", "09 10:00:00 PM 2005-08-14 x", 2005, 8, 14, 10)]
    public void GetTime_RepeatedField_LaterOneWins(string pattern, string line, int year, int month, int day, int hour)
    {
        var (_, time) = Detect(line, pattern, tz: "UTC");
        Assert.Equal(new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), time);
    }

    [Fact]
    public void GetTime_LogTimeZone_AppliesFixedOffset()
    {
        var (_, time) = Detect("2005-08-14 10:00:00 x", tz: "UTC");
        Assert.Equal(1124013600, time);
    }

    [Theory]
    [InlineData("%%Y", false)]
    [InlineData("^%Y-%m-%d %H:%M:%S", true)]
    public void AppendPattern_CustomPattern_Works(string pattern, bool matches)
    {
        var d = new DateDetector(new DateTemplateCache(2026), FixedTime.Clock(Now));
        d.AppendPattern(pattern);
        Assert.Equal(matches, d.MatchTime("2005-08-14 10:00:00 x") is not null);
    }

    [Fact]
    public void AppendPattern_Epoch_InSquareBrackets()
    {
        var (text, time) = Detect("[1124013500] x", "^\\[{EPOCH}\\]");
        Assert.Equal("[1124013500]", text);
        Assert.Equal(1124013500, time);
    }

    [Fact]
    public void AppendPattern_None_MatchesEmptyDate()
    {
        var (text, _) = Detect("no date here", "{NONE}");
        Assert.Equal("", text);
    }

    [Fact]
    public void ExYear_Window_CoversTwoThousandsToNearFuture()
    {
        var r = new System.Text.RegularExpressions.Regex("^" + TimeTokens.ExYear(2026).Replace("?P<", "?<", StringComparison.Ordinal) + "$");
        Assert.Matches(r, "2005");
        Assert.Matches(r, "2029");
        Assert.DoesNotMatch(r, "1999");
        Assert.DoesNotMatch(r, "2031");
    }

    [Theory]
    [InlineData("CET", 60)]
    [InlineData("CEST", 120)]
    [InlineData("-0330", -210)]
    [InlineData("CET+01", 120)]
    [InlineData("NPT", 345)]
    public void TimeZoneOffsets_KnownZones(string zone, int minutes)
    {
        Assert.True(TimeZoneOffsets.TryParse(zone, out var m));
        Assert.Equal(minutes, m);
    }
}

using SharpBan.Engine.Matching.Dates;

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
        var g = found.Value.Match.Groups[found.Value.Template.DateGroup];
        return (g.Value, d.GetTime(found.Value.Match, found.Value.Template));
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

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpBan.Engine.Matching.Dates;
using Xunit;

namespace SharpBan.Engine.Tests.Matching.Dates;

public sealed class IsoDateScannerTests
{
    private const int Year = 2026;

    private static readonly DateTemplateCache Cache = new(Year);

    /// <summary>The template the scanner stands in for; its regex is the oracle.</summary>
    private static readonly DateTemplate Template = Cache.Get("{^LN-BEG}" + IsoDateScanner.Pattern, builtIn: true);

    private static readonly IsoDateScanner Scanner = new(Year);

    private static readonly ScannerOracle Oracle = new(Scanner, Template);

    /// <summary>Lines near the ISO date: every part now and then wrong, short, long, in another case or zone form.</summary>
    private static Arbitrary<string> Lines()
    {
        var head = Gen.Elements("", "", " ", "  ", "   ", "[", "_", "x");
        var year = Gen.Elements("2005", "2005", "2026", "2030", "1999", "205", "20055");
        var separator = Gen.Elements("-", "-", "/", ".", ":", "");
        var second = Gen.Elements("=", "=", "=", "-", "/", "."); // "=": the first separator again
        var month = Gen.Elements("08", "8", "1", "10", "12", "13", "0", "00", "11");
        var day = Gen.Elements("14", "1", " 1", "01", "31", "32", "0", "3", "9x", "29");
        var between = Gen.Elements("T", " ", " ", "  ", "   ", "t", "", "x");
        var hour = Gen.Elements("10", "0", "9", "19", "20", "23", "24", "2", "123", "1");
        var minute = Gen.Elements("00", "5", "59", "60", "");
        var sec = Gen.Elements("00", "59", "60", "61", "62", "7", "6", "5x");
        var fraction = Gen.Elements("", "", ".1", ",123", ".123456", ".1234567", ",", ".x");
        var zone = Gen.Elements(
            "", "", "Z", "z", "UTC", "utc", "GMT", "+02:00", "-0530", "+02", "+2", "+02:0", "+02:001", " +0100", "  Z", "\tUTC",
            " CET", "Zulu", "+19", "+20", "\u001cZ", " \u00a0Z", new string(' ', 20) + "Z", "\n+01:00", "-00:30x");
        var tail = Gen.Elements("", " host app[1]: x", "x", "_", ".", ":", "\u00e9", " " + new string('y', 40) + "\u00e9");
        return (from h in head
                from y in year
                from s1 in separator
                from s2 in second
                from mo in month
                from d in day
                from b in between
                from hh in hour
                from mi in minute
                from s in sec
                from f in fraction
                from z in zone
                from t in tail
                select $"{h}{y}{s1}{mo}{(s2 == "=" ? s1 : s2)}{d}{b}{hh}:{mi}:{s}{f}{z}{t}").ToArbitrary();
    }

    [Fact]
    public void Pattern_IsADefaultTemplate()
    {
        Assert.Contains(IsoDateScanner.Pattern, DateTemplateCache.DefaultPatterns);
        Assert.Contains(SyslogDateScanner.Pattern, DateTemplateCache.DefaultPatterns);
    }

    [Property(MaxTest = 10000)]
    public Property Scan_AnyLineNearTheDate_AnswersAsTheRegex() =>
        Prop.ForAll(Lines(), line =>
        {
            _ = Oracle.Compare(line);
            return true; // Compare asserts
        });

    [Theory]
    [InlineData("2005-08-14T10:22:33 host", "2005-08-14T10:22:33", 8, 14, 10, 22, 33, null)]
    [InlineData("2005/08/14 10:22:33 [error] 1#0: x", "2005/08/14 10:22:33", 8, 14, 10, 22, 33, null)]
    [InlineData("2005-08-14 10:22:33,123 INFO x", "2005-08-14 10:22:33,123", 8, 14, 10, 22, 33, null)]
    [InlineData("2005-08-14T10:22:33.123456+02:00 host", "2005-08-14T10:22:33.123456+02:00", 8, 14, 10, 22, 33, 120)]
    [InlineData("2005-8-1  9:2:3 -0530 x", "2005-8-1  9:2:3 -0530", 8, 1, 9, 2, 3, -330)]
    [InlineData("2005.12.31 23:59:59Z", "2005.12.31 23:59:59Z", 12, 31, 23, 59, 59, 0)]
    [InlineData("2005-08-14 10:22:33 \tUTC x", "2005-08-14 10:22:33 \tUTC", 8, 14, 10, 22, 33, 0)]
    [InlineData("2005-08-14 10:22:33+02:001", "2005-08-14 10:22:33+02", 8, 14, 10, 22, 33, 120)]
    [InlineData("2005-08-14 10:22:33.1234567", "2005-08-14 10:22:33", 8, 14, 10, 22, 33, null)]
    [InlineData("2005-08-14 10:22:33 Zulu", "2005-08-14 10:22:33", 8, 14, 10, 22, 33, null)]
    [InlineData("2005-08-14 10:22:33\u001cZ", "2005-08-14 10:22:33\u001cZ", 8, 14, 10, 22, 33, 0)]
    public void Scan_IsoDates_ReadsTextAndFieldsAsTheRegex(string line, string text, int month, int day, int hour, int minute, int second, int? zone)
    {
        Assert.NotNull(Oracle.Compare(line));
        Assert.True(Scanner.Scan(line, out var hit));
        Assert.Equal(text, line[hit.TextStart..hit.TextEnd]);
        Assert.Equal(new StrptimeFields { Year = 2005, Month = month, Day = day, Hour = hour, Minute = minute, Second = second, ZoneOffset = zone }, hit.Fields);
    }

    [Theory]
    [InlineData("2005-08/14 10:22:33")]
    [InlineData("2005-13-14 10:22:33")]
    [InlineData("2005-08-14t10:22:33")]
    [InlineData("2005-08-14 24:22:33")]
    [InlineData("2005-08-14 10:22:33Zulu")]
    [InlineData("2030-08-14 10:22:33")]
    [InlineData("   2005-08-14 10:22:33")]
    public void Scan_NoIsoDate_NoHitAsTheRegex(string line)
    {
        Assert.Null(Oracle.Compare(line));
        Assert.False(Scanner.Scan(line, out _));
    }

    [Theory]
    [InlineData("2005-08-14 10:22:33\u00e9")]
    [InlineData("2005-08-14 10:22:33 \u00a0Z")]
    [InlineData("2005-08-14 10:22:33                     Z")]
    public void Scan_NonAsciiOrZoneBeyondReach_LeftToTheRegex(string line)
    {
        Assert.Null(Scanner.Scan(line, out _));
        _ = Oracle.Compare(line);
    }

    [Fact]
    public void Search_IsoTemplateAtLineStart_ScannedWithoutTheRegex()
    {
        const string line = "2005-08-14 10:22:33 host";
        Assert.Null(Template.Search(line)!.Value.Match);
        Assert.NotNull(Cache.Get(IsoDateScanner.Pattern, builtIn: true).Search(line)?.Match);
    }

    [Fact]
    public void GetTime_ScannedHit_SameTimeAndKindAsTheRegexHit()
    {
        var clock = FixedTime.Clock(1124013600);
        foreach (var line in new[] { "2005-08-14 10:22:33 x", "2005-08-14T10:22:33+02:00 x", "2005-02-29 10:00:00 x", "2004-02-29 10:00:00Z", "2005-08-14 10:22:61 x", "2005-08-14 10:22:33 -0030" })
        {
            Assert.True(Scanner.Scan(line, out var scanned));
            var match = Template.Regex.Search(line)!;
            var regexHit = new DateHit(match, Template.DateGroupNumber, Template.Regex.DenseGroups);
            foreach (var offset in new int?[] { null, 60 })
            {
                var viaScanner = Template.TryGetDate(scanned, offset, clock, out var a) ? a : (double?)null;
                var viaRegex = Template.TryGetDate(regexHit, offset, clock, out var b) ? b : (double?)null;
                Assert.Equal(viaRegex, viaScanner);
                Assert.Equal(Template.IsIntegral(regexHit, offset), Template.IsIntegral(scanned, offset));
            }
        }
    }
}

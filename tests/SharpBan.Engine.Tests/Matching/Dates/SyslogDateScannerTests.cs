using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpBan.Engine.Matching.Dates;
using Xunit;

namespace SharpBan.Engine.Tests.Matching.Dates;

public sealed class SyslogDateScannerTests
{
    private const int Year = 2026;

    private static readonly DateTemplateCache Cache = new(Year);

    /// <summary>The template the scanner stands in for; its regex is the oracle.</summary>
    private static readonly DateTemplate Template = Cache.Get("{^LN-BEG}" + SyslogDateScanner.Pattern, builtIn: true);

    private static readonly SyslogDateScanner Scanner = new(Year);

    /// <summary>Lines near the syslog date: every part now and then wrong, short, long or in another case.</summary>
    private static Arbitrary<string> Lines()
    {
        var head = Gen.Elements("", " ", "  ", "   ", "[", "<1>", "-(", "_", "x");
        var weekday = Gen.Elements("", "", "Mon ", "sun ", "SAT ", "Mo ", "Sunday ", "Tue  ", "Wed-", "Fri_");
        var month = Gen.Elements("Aug", "aug", "AUG", "Feb", "Dec", "jAn", "Au", "Augx", "Sep", "May");
        var afterMonth = Gen.Elements(" ", " ", " ", "  ", "-", "");
        var day = Gen.Elements("1", "01", " 1", "12", "29", "30", "31", "32", "0", "00", "3", "9 ", "19", "  5", "1x");
        var afterDay = Gen.Elements(" ", " ", "  ", "   ", "", "x");
        var hour = Gen.Elements("0", "00", "9", "23", "24", "29", "30", "123", " 7", "1");
        var minute = Gen.Elements("0", "05", "59", "60", "7", "");
        var second = Gen.Elements("0", "00", "59", "60", "61", "62", "7", "599", "6");
        var fraction = Gen.Elements("", "", ".", ".1", ".123456", ".1234567", ",5", ".12x");
        var year = Gen.Elements("", "", " 2024", " 2026", " 2030", " 1999", " 20245", " 202", "  2024", " 2019");
        var tail = Gen.Elements("", " host sshd[1]: x", "x", "_", ".", ":", "\n", "\u00e9", " \u00e9", " " + new string('y', 40) + "\u00e9");
        return (from h in head
                from w in weekday
                from mo in month
                from am in afterMonth
                from d in day
                from ad in afterDay
                from hh in hour
                from mi in minute
                from s in second
                from f in fraction
                from y in year
                from t in tail
                select $"{h}{w}{mo}{am}{d}{ad}{hh}:{mi}:{s}{f}{y}{t}").ToArbitrary();
    }

    private static readonly ScannerOracle Oracle = new(Scanner, Template);

    private static DateHit? Compare(string line) => Oracle.Compare(line);

    [Property(MaxTest = 3000)]
    public Property Scan_AnyLineNearTheDate_AnswersAsTheRegex() =>
        Prop.ForAll(Lines(), line =>
        {
            _ = Compare(line);
            return true; // Compare asserts
        });

    [Theory]
    [InlineData("Aug 14 10:22:33 host sshd[1]: x", "Aug 14 10:22:33", 8, 14, 10, 22, 33, null)]
    [InlineData("Sun Aug 14 10:22:33 2005 host", "Sun Aug 14 10:22:33 2005", 8, 14, 10, 22, 33, 2005)]
    [InlineData("Aug  5 01:02:03 host", "Aug  5 01:02:03", 8, 5, 1, 2, 3, null)]
    [InlineData("Aug 31 1:2:3", "Aug 31 1:2:3", 8, 31, 1, 2, 3, null)]
    [InlineData("  feb 29 23:59:59.123456 x", "feb 29 23:59:59.123456", 2, 29, 23, 59, 59, null)]
    [InlineData("Dec 1 10:00:00.1234567", "Dec 1 10:00:00", 12, 1, 10, 0, 0, null)]
    [InlineData("Dec 1 10:00:00 20245", "Dec 1 10:00:00", 12, 1, 10, 0, 0, null)]
    [InlineData("[Jan 12 7:00:61]", "Jan 12 7:00:61", 1, 12, 7, 0, 61, null)]
    [InlineData("Mar 3  9:00:00 2030 x", "Mar 3  9:00:00", 3, 3, 9, 0, 0, null)]
    public void Scan_SyslogDates_ReadsTextAndFieldsAsTheRegex(string line, string text, int month, int day, int hour, int minute, int second, int? year)
    {
        Assert.NotNull(Compare(line));
        Assert.True(Scanner.Scan(line, out var hit));
        Assert.Equal(text, line[hit.TextStart..hit.TextEnd]);
        Assert.Equal(new StrptimeFields { Year = year, Month = month, Day = day, Hour = hour, Minute = minute, Second = second }, hit.Fields);
    }

    [Theory]
    [InlineData("   Aug 14 10:22:33 x")]
    [InlineData("Aug 14 10:22:33x")]
    [InlineData("Aug 32 10:22:33")]
    [InlineData("Aug 14 10:22")]
    [InlineData("Augx 14 10:22:33")]
    [InlineData("Mon-Aug 14 10:22:33")]
    [InlineData("Aug 14 10:22:333")]
    [InlineData("")]
    public void Scan_NoSyslogDate_NoHitAsTheRegex(string line)
    {
        Assert.Null(Compare(line));
        Assert.False(Scanner.Scan(line, out _));
    }

    [Theory]
    [InlineData("Aug 14 10:22:33\u00e9")]
    [InlineData("\u00e9Aug 14 10:22:33")]
    [InlineData("De\u212A 14 10:22:33")]
    [InlineData("-(Sun Aug 14 10:22:33.123456 2024\u00e9")]
    public void Scan_NonAsciiWithinReach_LeftToTheRegex(string line)
    {
        Assert.Null(Scanner.Scan(line, out _));
        _ = Compare(line);
    }

    [Fact]
    public void Search_SyslogTemplateAtLineStart_ScannedWithoutTheRegex()
    {
        const string line = "Aug 14 10:22:33 host sshd[1]: x";
        var scanned = Template.Search(line);
        Assert.NotNull(scanned);
        Assert.Null(scanned.Value.Match);

        // the same pattern searched anywhere in the line, or with another pattern, is the regex's
        var anywhere = Cache.Get(SyslogDateScanner.Pattern, builtIn: true).Search(line);
        Assert.NotNull(anywhere?.Match);
        Assert.NotNull(Cache.Get("{^LN-BEG}%b %d %H:%M:%S", builtIn: true).Search(line)?.Match);
    }

    [Fact]
    public void GetTime_ScannedHit_SameTimeAsTheRegexHit()
    {
        var clock = FixedTime.Clock(1124013600);
        foreach (var line in new[] { "Aug 14 10:22:33 x", "Dec 31 23:59:59 x", "Feb 29 10:00:00 x", "Feb 29 10:00:00 2024 x", "Aug 15 13:00:00 x", "Aug 14 10:22:61 x" })
        {
            Assert.True(Scanner.Scan(line, out var scanned));
            var match = Template.Regex.Search(line)!;
            var regexHit = new DateHit(match, Template.DateGroupNumber, Template.Regex.DenseGroups);
            var viaScanner = Template.TryGetDate(scanned, null, clock, out var a) ? a : (double?)null;
            var viaRegex = Template.TryGetDate(regexHit, null, clock, out var b) ? b : (double?)null;
            Assert.Equal(viaRegex, viaScanner);
            Assert.Equal(Template.IsIntegral(regexHit, null), Template.IsIntegral(scanned, null));
        }
    }
}

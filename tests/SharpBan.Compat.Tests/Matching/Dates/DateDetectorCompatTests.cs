using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Samples;
using SharpBan.Engine.Matching.Dates;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Compat.Tests.Matching.Dates;

/// <summary>
/// Date detection against fail2ban's own <c>DateDetector</c> with its default templates, line by line in one detector
/// (so template re-ordering and the last-winner cache are exercised): generated lines in every default format, with
/// random times (many around Europe/Zurich's daylight-saving changes), zones, fractions and text around the date. For
/// each line the date text's position and the Unix time must be fail2ban's.
/// </summary>
public sealed class DateDetectorCompatTests
{
    private const long Now = 1780000000; // 2026-05-28, TZ Europe/Zurich
    private const int Lines = 6000;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] Days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    private static readonly string[] Prefixes = ["", "", "", "[", "host ", "<12>", "12 ", "x", "  ", "2 "];
    private static readonly string[] Suffixes = [" sshd[1]: Failed password", "] msg", "", ",rest", " +0100 x", " 2024 y", ".5 z", " PM q"];

    [OracleFact]
    public void MatchTimeAndGetTime_GeneratedLines_SameAsFail2Ban()
    {
        var random = new Random(20261126);
        var lines = Enumerable.Range(0, Lines).Select(_ => Line(random)).ToList();
        var expected = RunFail2Ban(lines);

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");
        var clock = new DateClock(new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now)), zone);
        var detector = new DateDetector(new DateTemplateCache(TimeProvider.System.GetUtcNow().Year), clock);
        detector.AddDefaults();

        var differences = new List<string>();
        var dated = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var ours = "null";
            if (detector.MatchTime(lines[i]) is { } found)
            {
                var time = detector.GetTime(found.Hit, found.Template);
                ours = new JsonArray(time is { } t ? JsonValue.Create(t) : null, found.Hit.TextStart, found.Hit.TextEnd).ToJsonString();
                dated += time is null ? 0 : 1;
            }

            var theirs = Normalise(expected[i]);
            if (theirs != ours)
            {
                differences.Add($"line {i + 1} {JsonSerializer.Serialize(lines[i])}: fail2ban {theirs}, ours {ours}");
            }
        }

        Assert.True(dated > Lines / 2, $"only {dated} lines dated");
        Assert.True(differences.Count == 0, $"{differences.Count} of {Lines} lines differ:\n" + string.Join('\n', differences.Take(30)));
    }

    private static readonly string[] DatePatterns =
    [
        "%Y-%m-%d %H:%M:%S", "^%Y-%m-%d %H:%M:%S", "{^LN-BEG}%b %d %H:%M:%S", "%d/%b/%Y:%H:%M:%S %z", "%a %b %d %H:%M:%S %Y",
        "%A, %d %B %Y %H:%M:%S", "%y%m%d %H:%M:%S", "%d.%m.%y %H:%M", "%j %Y %H:%M:%S", "%I:%M:%S %p %d/%m/%Y",
        "%m/%d/%Y %l:%M:%S %p", "%b %d %k:%M:%S", "%ExY%Exm%Exd %ExH%ExM%ExS", "%Y-%m-%dT%H:%M:%S.%f%z", "%d %b %Y %H:%M:%S %Z",
        "{UNB}%Y-%m-%d %H:%M:%S", "EPOCH", "LEPOCH", "TAI64N", "^%H:%M:%S", "%Exy-%Exm-%Exd %H:%M:%S", "%b %d, %Y %I:%M:%S %p",
        @"\[%d/%b/%Y %H:%M:%S\]", "{^LN-BEG}%Y-%m-%d %H:%M:%S,%f", "%d-%m-%Y %H:%M:%S %z",
    ];

    /// <summary>
    /// A user <c>datepattern</c> (one detector each, as a filter's), over lines written in it and in near misses
    /// (unpadded numbers, other separators, text around): the date text and time must be fail2ban's.
    /// </summary>
    [OracleFact]
    public void MatchTimeAndGetTime_UserDatePatterns_SameAsFail2Ban()
    {
        var random = new Random(20261127);
        var cases = DatePatterns.Select(p => (Pattern: p, Lines: Enumerable.Range(0, 80).Select(_ => Rendered(p, random)).ToList())).ToList();
        var expected = RunFail2Ban([.. cases.SelectMany(static c => c.Lines)], [.. cases.SelectMany(static c => Enumerable.Repeat(c.Pattern, c.Lines.Count))]);

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");
        var differences = new List<string>();
        var k = 0;
        var dated = 0;
        var clock = new DateClock(new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now)), zone); // one process: one mktime state
        foreach (var (pattern, lines) in cases)
        {
            var detector = new DateDetector(new DateTemplateCache(TimeProvider.System.GetUtcNow().Year), clock);
            detector.AppendPattern(pattern);
            foreach (var line in lines)
            {
                var ours = Ours(detector, line);
                dated += ours.StartsWith("[null", StringComparison.Ordinal) || ours == "null" ? 0 : 1;
                var theirs = Normalise(expected[k++]);
                if (theirs != ours)
                {
                    differences.Add($"{JsonSerializer.Serialize(pattern)} {JsonSerializer.Serialize(line)}: fail2ban {theirs}, ours {ours}");
                }
            }
        }

        Assert.True(dated > k / 3, $"only {dated} of {k} lines dated");
        Assert.True(differences.Count == 0, $"{differences.Count} of {k} lines differ:\n" + string.Join('\n', differences.Take(30)));
    }

    private static string Ours(DateDetector detector, string line)
    {
        if (detector.MatchTime(line) is not { } found)
        {
            return "null";
        }

        var time = detector.GetTime(found.Hit, found.Template);
        return new JsonArray(time is { } t ? JsonValue.Create(t) : null, found.Hit.TextStart, found.Hit.TextEnd).ToJsonString();
    }

    /// <summary>A line with a date written in <paramref name="pattern"/>'s fields, now and then loosely.</summary>
    private static string Rendered(string pattern, Random random)
    {
        var t = random.Next(3) == 0 ? NearTransition(random) : new DateTime(2003, 1, 1).AddSeconds(random.NextInt64(30L * 365 * 86400));
        var loose = random.Next(4) == 0;
        string N(int v, int width = 2) => loose && random.Next(2) == 0 ? v.ToString(CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
        var epoch = new DateTimeOffset(t, TimeSpan.Zero).ToUnixTimeSeconds();
        string[] fullMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        string[] fullDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
        var text = pattern switch
        {
            "EPOCH" => epoch + (random.Next(2) == 0 ? "" : "." + N(random.Next(1000), 3)),
            "LEPOCH" => (epoch * 1000 + random.Next(1000)).ToString(CultureInfo.InvariantCulture),
            "TAI64N" => "@4000" + epoch.ToString("x11", CultureInfo.InvariantCulture) + N(random.Next(100000000), 8),
            _ => System.Text.RegularExpressions.Regex.Replace(pattern.Replace("{^LN-BEG}", "").Replace("{UNB}", "").Replace("\\", "").TrimStart('^'), "%(Ex[a-zA-Z]|[a-zA-Z%])", m => m.Groups[1].Value switch
            {
                "Y" or "ExY" => t.Year.ToString(CultureInfo.InvariantCulture),
                "y" or "Exy" => N(t.Year % 100),
                "m" or "Exm" => N(t.Month),
                "d" or "Exd" => N(t.Day),
                "H" or "ExH" => N(t.Hour),
                "M" or "ExM" => N(t.Minute),
                "S" or "ExS" => N(t.Second),
                "k" => t.Hour.ToString(CultureInfo.InvariantCulture).PadLeft(2),
                "I" => N(t.Hour % 12 == 0 ? 12 : t.Hour % 12),
                "l" => (t.Hour % 12 == 0 ? 12 : t.Hour % 12).ToString(CultureInfo.InvariantCulture).PadLeft(2),
                "p" => t.Hour < 12 ? (loose ? "am" : "AM") : (loose ? "pm" : "PM"),
                "b" => loose ? Months[t.Month - 1].ToUpperInvariant() : Months[t.Month - 1],
                "B" => fullMonths[t.Month - 1],
                "a" => Days[(int)(t.DayOfWeek + 6) % 7],
                "A" => fullDays[(int)(t.DayOfWeek + 6) % 7],
                "j" => N(t.DayOfYear, 3),
                "f" => N(random.Next(1000000), 6),
                "z" => random.Next(3) switch { 0 => "+0100", 1 => "-0530", _ => "+02:00" },
                "Z" => random.Next(4) switch { 0 => "CET", 1 => "CEST", 2 => "UTC", _ => "GMT" },
                "%" => "%",
                _ => m.Value,
            }),
        };

        return Prefixes[random.Next(Prefixes.Length)] + text + Suffixes[random.Next(Suffixes.Length)];
    }

    /// <summary>fail2ban's times are ints for some templates: compared as numbers.</summary>
    private static string Normalise(JsonNode? node) => node is JsonArray a
        ? new JsonArray(a[0] is { } t ? JsonValue.Create(t.GetValue<double>()) : null, a[1]!.GetValue<int>(), a[2]!.GetValue<int>()).ToJsonString()
        : "null";

    private static string Line(Random random)
    {
        var t = random.Next(3) == 0 ? NearTransition(random) : new DateTime(2003, 1, 1).AddSeconds(random.NextInt64(30L * 365 * 86400));
        var mon = Months[t.Month - 1];
        var day = Days[(int)(t.DayOfWeek + 6) % 7];
        var f = random.Next(1_000_000);
        string I(int v, int width = 2) => v.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
        var zone = random.Next(4) switch { 0 => "+0100", 1 => "-0530", 2 => "+02:00", _ => "Z" };
        var hour12 = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
        var date = random.Next(24) switch
        {
            0 => $"{t.Year}-{I(t.Month)}-{I(t.Day)} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}",
            1 => $"{t.Year}-{I(t.Month)}-{I(t.Day)}T{I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}.{I(f, 6)}{zone}",
            2 => $"{t.Year}/{I(t.Month)}/{I(t.Day)} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)},{I(f / 1000, 3)}",
            3 or 4 => $"{mon} {t.Day,2} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}",
            5 => $"{day} {mon} {I(t.Day)} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)} {t.Year}",
            6 => $"{mon} {I(t.Day)} {t.Year} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}",
            7 => $"{I(t.Day)}/{I(t.Month)}/{t.Year} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}",
            8 => $"{I(t.Day)}-{mon}-{t.Year} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}.{I(f / 1000, 3)} {zone}",
            9 => $"{I(t.Day)}/{mon}/{t.Year}:{I(t.Hour)}:{I(t.Minute)}:{I(t.Second)} {zone}",
            10 => $"{I(t.Month)}/{I(t.Day)}/{t.Year}:{I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}",
            11 => $"{I(t.Month)}-{I(t.Day)}-{t.Year} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}",
            12 => (new DateTimeOffset(t, TimeSpan.Zero).ToUnixTimeSeconds() + (random.Next(2) == 0 ? "" : "." + I(f, 6))),
            13 => "@4000" + new DateTimeOffset(t, TimeSpan.Zero).ToUnixTimeSeconds().ToString("x11", CultureInfo.InvariantCulture) + I(f, 8),
            14 => $"{I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}",
            15 => $"<{I(t.Month)}/{I(t.Day)}/{I(t.Year % 100)}@{I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}>",
            16 => $"{I(t.Year % 100)}{I(t.Month)}{I(t.Day)} {t.Hour,2}:{I(t.Minute)}:{I(t.Second)}",
            17 => $"{mon} {I(t.Day)}, {t.Year} {hour12}:{I(t.Minute)}:{I(t.Second)} {(t.Hour < 12 ? "AM" : "PM")}",
            18 => $"{mon}-{I(t.Day)}-{I(t.Year % 100)} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}",
            19 => $"{t.Year}{I(t.Month)}{I(t.Day)}T{I(t.Hour)}{I(t.Minute)}{I(t.Second)}",
            20 => $"CET {day} {mon} {I(t.Day)} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}",
            21 => $"{zone} {day} {mon} {I(t.Day)} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)} {t.Year}",
            22 => $"{mon} {I(t.Day)} {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}.{I(f, 6)}",
            _ => $"{t.Year}-{I(t.Month)}-{I(t.Day)}  {I(t.Hour)}:{I(t.Minute)}:{I(t.Second)}",
        };

        return Prefixes[random.Next(Prefixes.Length)] + date + Suffixes[random.Next(Suffixes.Length)];
    }

    /// <summary>Local times within an hour and a half of a daylight-saving change in Zurich (2005, 2025, 2026).</summary>
    private static DateTime NearTransition(Random random)
    {
        DateTime[] changes = [new(2005, 3, 27, 2, 0, 0), new(2005, 10, 30, 2, 0, 0), new(2025, 3, 30, 2, 0, 0), new(2025, 10, 26, 2, 0, 0), new(2026, 3, 29, 2, 0, 0)];
        return changes[random.Next(changes.Length)].AddSeconds(random.Next(-5400, 5400));
    }

    private static List<JsonNode?> RunFail2Ban(List<string> lines, List<string>? patterns = null)
    {
        var script = $$"""
            import sys, json, os, time
            os.environ['TZ'] = 'Europe/Zurich'; time.tzset()
            from fail2ban.server.mytime import MyTime
            MyTime.setTime({{Now}})
            from fail2ban.server.datedetector import DateDetector
            d = None; current = None
            for l in sys.stdin:
                line, pattern = json.loads(l)
                if d is None or pattern != current:
                    d = DateDetector(); current = pattern
                    if pattern is None: d.addDefaultTemplate()
                    else: d.appendTemplate(pattern)
                m, t = d.matchTime(line)
                if t is None:
                    print("null"); continue
                r = d.getTime(line, (m, t))
                print(json.dumps([None if r is None else r[0], m.start(1), m.end(1)]))
            """;
        return [.. PythonOracle.Run(script, [.. lines.Select((l, i) => JsonSerializer.Serialize(new[] { l, patterns?[i] }))]).Select(static l => JsonNode.Parse(l))];
    }
}

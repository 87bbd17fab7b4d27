using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Samples;
using SharpBan.Compat.Tests.Support;
using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Compat.Tests.Matching;

/// <summary>
/// The filter engine (<see cref="LogFilter"/>) against fail2ban's <c>Filter.processLine</c> on generated filters and
/// logs: failregexes built from every tag (<c>&lt;HOST&gt;</c> and its parts, <c>&lt;SUBNET&gt;</c>, <c>&lt;CIDR&gt;</c>,
/// <c>F-ID</c>, <c>F-USER</c>, <c>F-ALT_*</c>, <c>F-TUPLE_*</c>, the mlfid tags), with and without a prefregex, ignoreregexes,
/// <c>maxlines</c>, a <c>datepattern</c>, each <c>usedns</c> mode (host names resolved from one table on both sides) and
/// the switches the daemon and the regex tool set; lines with addresses in every spelling, dates old, new, in the
/// future and missing. Per line: the same hits (failregex, id, time) with the same data.
/// </summary>
public sealed class LogFilterCompatTests
{
    private const long Now = 1124013600;

    private const string Script = """
        import sys, json, os, time
        os.environ['TZ'] = 'Europe/Zurich'
        time.tzset()
        from fail2ban.server.filter import Filter
        from fail2ban.client.filterreader import FilterReader
        from fail2ban.server.ipdns import DNSUtils, IPAddr
        from fail2ban.server.mytime import MyTime
        DNS = {}
        DNSUtils.dnsToIp = staticmethod(lambda dns: set(IPAddr(a) for a in DNS.get(dns, [])))
        def norm(v):
            if isinstance(v, tuple): return [norm(x) for x in v]
            if isinstance(v, list): return [''.join(x) if isinstance(x, tuple) else norm(x) for x in v]
            if isinstance(v, (set, frozenset)): return sorted((norm(x) for x in v), key=json.dumps)
            if isinstance(v, IPAddr): return str(v)
            return v
        for l in sys.stdin:
            c = json.loads(l)
            MyTime.setTime(1124013600)
            DNS.clear()
            DNS.update(c['dns'])
            try:
                f = Filter(None)
                f.returnRawHost = c['raw']
                f.checkAllRegex = c['checkAll']
                f.checkFindTime = c['findTime']
                f.inOperation = c['inOperation']
                f.ignorePending = c.get('ignorePending', True)
                f.setUseDns(c['usedns'])
                if c.get('filter'):
                    # a stock filter as a jail reads it: prefregex and maxlines first, as the reader's stream sends them
                    reader = FilterReader(c['filter'], 'jail', {}, basedir='/etc/fail2ban')
                    reader.read()
                    reader.getOptions({})
                    for opt in reader.convert():
                        for v in (opt[3] if opt[0] == 'multi-set' else [opt[3]]):
                            if opt[2] == 'prefregex': f.prefRegex = v
                            elif opt[2] == 'maxlines': f.setMaxLines(v)
                            elif opt[2] == 'addfailregex': f.addFailRegex(v)
                            elif opt[2] == 'addignoreregex': f.addIgnoreRegex(v)
                            elif opt[2] == 'datepattern': f.setDatePattern(v)
                else:
                    if c['datepattern'] is not None: f.setDatePattern(c['datepattern'])
                    if c.get('logtimezone') is not None: f.setLogTimeZone(c['logtimezone'])
                    f.setMaxLines(c['maxlines'])
                    if c['pref'] is not None: f.prefRegex = c['pref']
                    for r in c['fail']: f.addFailRegex(r)
                    for r in c['ignore']: f.addIgnoreRegex(r)
            except Exception as e:
                print(json.dumps('refused'))
                continue
            out = []
            for line in c['lines']:
                try:
                    if c.get('journal'):
                        # as the journal backend feeds a filter: the entry's time known, its text without a date
                        hits = f.processLine(('', '2005-08-14T12:00:00+02:00 ', line), 1124013600 - len(out))
                    else:
                        hits = f.processLine(line)
                except Exception as e:
                    out.append('raised')
                    continue
                out.append(sorted([[h[0], None if h[1] is None else str(h[1]), None if h[2] is None else float(h[2]),
                    {k: norm(v) for k, v in h[3].items() if v is not None}] for h in hits], key=json.dumps))
            print(json.dumps(out))
        """;

    private static readonly Dictionary<string, string[]> Names = new(StringComparer.Ordinal)
    {
        ["host.example.com"] = ["192.0.2.10"],
        ["dual.example.net"] = ["192.0.2.11", "2001:db8::11"],
        ["v6.example.org"] = ["2001:db8::12"],
        ["mail-3.example.org"] = ["198.51.100.3", "198.51.100.4"],
    };

    private static readonly string[] Users = ["root", "admin", "bob", "x-1", "", "r00t"];

    [OracleFact]
    public void ProcessLine_GeneratedFiltersAndLogs_SameHitsAsFail2Ban()
    {
        var random = new Random(20261128);
        var cases = Enumerable.Range(0, 2000).Select(_ => Case(random)).ToList();

        var expected = PythonOracle.Run(Script, [.. cases.Select(static c => JsonSerializer.Serialize(c))]);

        var withHits = 0;
        var differences = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var python = JsonNode.Parse(expected[i]);
            var ours = Ours(cases[i]);
            withHits += python is JsonArray a && a.Any(static l => l is JsonArray { Count: > 0 }) ? 1 : 0;
            if (Difference(cases[i], ours, python) is { } d)
            {
                differences.Add(d);
            }
        }

        Assert.InRange(withHits, cases.Count / 3, cases.Count);
        Assert.InRange(expected.Sum(static e => e.Split("\"raised\"").Length - 1), 1, cases.Count / 50);
        Assert.True(differences.Count == 0, $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(3)));
    }

    /// <summary>
    /// Every stock filter over lines of its sample log with their addresses swapped for other spellings and host names
    /// (resolved from one table on both sides), as the daemon runs it (first hit wins, dates clamped to now, ids
    /// normalised, <c>usedns</c> applied) and sometimes with every failregex tried: the same hits with the same data.
    /// </summary>
    [OracleFact]
    public void ProcessLine_StockFiltersOverChangedSampleLines_SameHitsAsFail2Ban()
    {
        var random = new Random(20261129);
        var cases = new List<FilterCase>();
        foreach (var file in Directory.GetFiles(Path.Join(OraclePaths.ConfigDirectory, "filter.d"), "*.conf").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var log = Path.Join(OraclePaths.SampleLogs, name);
            if (!File.Exists(log))
            {
                continue;
            }

            var sample = File.ReadAllLines(log).Where(static l => l.Length > 0 && !l.StartsWith('#')).ToList();
            for (var n = 0; n < 3 && sample.Count > 0; n++)
            {
                var lines = Enumerable.Range(0, Math.Min(30, sample.Count)).Select(_ => Changed(sample[random.Next(sample.Count)], random)).ToList();
                var server = random.Next(3) != 0;
                cases.Add(new FilterCase([], [], null, 1, null, random.Next(3) switch { 0 => "warn", 1 => "yes", _ => "no" },
                    Raw: false, CheckAll: !server, FindTime: server, InOperation: random.Next(4) != 0, Names, lines) { Stock = name });
            }
        }

        var expected = PythonOracle.Run(Script, [.. cases.Select(static c => JsonSerializer.Serialize(c))]);

        var withHits = 0;
        var differences = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var python = JsonNode.Parse(expected[i]);
            withHits += python is JsonArray a && a.Any(static l => l is JsonArray { Count: > 0 }) ? 1 : 0;
            if (Difference(cases[i], Ours(cases[i]), python) is { } d)
            {
                differences.Add(cases[i].Stock + ":\n" + d);
            }
        }

        Assert.InRange(withHits, cases.Count / 2, cases.Count);
        Assert.True(differences.Count == 0, $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(3)));
    }

    /// <summary>A sample line with some of its IPv4 addresses in another spelling or replaced by a host name.</summary>
    private static string Changed(string line, Random random) =>
        System.Text.RegularExpressions.Regex.Replace(line, @"\b\d{1,3}(?:\.\d{1,3}){3}\b", m => random.Next(2) == 0 ? m.Value : Host(random));

    /// <summary>The first line whose hits differ, described; null when all agree.</summary>
    private static string? Difference(FilterCase c, JsonNode? ours, JsonNode? python)
    {
        var describe = $"  {JsonSerializer.Serialize(c with { Lines = [] })}\n";
        if (ours is not JsonArray o || python is not JsonArray p)
        {
            return JsonNode.DeepEquals(ours, python) ? null : describe + $"    ours   {ours?.ToJsonString()}\n    Python {python?.ToJsonString()}";
        }

        for (var i = 0; i < c.Lines.Count; i++)
        {
            if (IsRaisingLine(p[i]))
            {
                return null;
            }

            if (!JsonNode.DeepEquals(WithoutAliasedLines(o[i]), WithoutAliasedLines(p[i])))
            {
                var before = string.Join("", c.Lines.Take(i + 1).TakeLast(4).Select(static l => $"    | {l}\n"));
                return describe + before + $"    ours   {o[i]?.ToJsonString()}\n    Python {p[i]?.ToJsonString()}";
            }
        }

        return null;
    }

    /// <summary>
    /// A line fail2ban raises on (an id with a slash and no number after it: <c>IPAddr</c>'s <c>int()</c>); its daemon
    /// logs the error and drops the line. SharpBan keeps the text as the id (a deliberate difference, see
    /// docs/compatibility.md), so the state after it differs: the rest of that log is not compared.
    /// </summary>
    private static bool IsRaisingLine(JsonNode? python) => python is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "raised";

    /// <summary>
    /// The hits of a line without the <c>nofail-matches</c> of its "no failure" hits: when all failregexes are tried,
    /// a later hit of the same session extends that list in place in Python (<c>m += …</c> on the list the earlier
    /// hit's shallow copy shares), after the earlier hit was returned. Those lines come back in the session's
    /// <c>matches</c>, which are compared.
    /// </summary>
    private static JsonNode? WithoutAliasedLines(JsonNode? line)
    {
        if (line is not JsonArray hits)
        {
            return line;
        }

        var copy = (JsonArray)hits.DeepClone();
        foreach (var hit in copy)
        {
            if (hit is JsonArray { Count: 4 } h && h[3] is JsonObject data && data["nofail"] is JsonValue nofail
                && !(nofail.GetValueKind() == JsonValueKind.String && nofail.GetValue<string>().Length == 0))
            {
                data.Remove("nofail-matches");
            }
        }

        return copy;
    }

    private static JsonNode Ours(FilterCase c)
    {
        LogFilter filter;
        try
        {
            var settings = c.Stock is { } stock
                ? (FilterSettingsReader.Read(new ConfigFileCache(OraclePaths.ConfigDirectory), stock, new OrderedDictionary<string, string>(StringComparer.Ordinal), new List<ConfigDiagnostic>())
                    ?? throw new InvalidOperationException("no filter " + stock)) with { UseDns = Enum.Parse<UseDns>(c.UseDns, ignoreCase: true) }
                : new FilterSettings
                {
                    FailRegex = c.Fail,
                    IgnoreRegex = c.Ignore,
                    PrefRegex = c.Pref,
                    MaxLines = c.MaxLines,
                    DatePattern = c.DatePattern,
                    LogTimeZone = c.LogTimeZone,
                    UseDns = Enum.Parse<UseDns>(c.UseDns, ignoreCase: true),
                };
            var mode = (c.CheckAll ? FilterMode.RegexTool : FilterMode.Server) with
            {
                CheckAllRegex = c.CheckAll,
                CheckFindTime = c.FindTime,
                ReturnRawHost = c.Raw,
                IgnorePending = c.IgnorePending,
            };
            var clock = new DateClock(new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now)), TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich"));
            filter = new LogFilter(settings, mode, clock, new DateTemplateCache(TimeProvider.System.GetUtcNow().Year), new TableResolver(c.Dns))
            {
                InOperation = c.InOperation,
            };
        }
        catch (Exception e) when (e is PyRegexException or FormatException or ArgumentException or InvalidOperationException)
        {
            return JsonValue.Create("refused");
        }

        var lines = new JsonArray();
        foreach (var line in c.Lines)
        {
            var found = c.Journal
                ? filter.ProcessLine(new LineTuple("", "2005-08-14T12:00:00+02:00 ", line), Now - lines.Count)
                : filter.ProcessLine(line);
            var hits = found.Select(static h => new JsonArray(
                JsonValue.Create(h.FailRegexIndex),
                h.Id is null ? null : JsonValue.Create(h.Id),
                h.Time is { } t ? JsonValue.Create(t) : null,
                Data(h.Data)));
            lines.Add(new JsonArray([.. hits.OrderBy(static h => h.ToJsonString(), StringComparer.Ordinal)]));
        }

        return lines;
    }

    private static JsonObject Data(IReadOnlyDictionary<string, object?> data)
    {
        var o = new JsonObject();
        foreach (var (k, v) in data)
        {
            if (v is not null)
            {
                o[k] = Value(v);
            }
        }

        return o;
    }

    private static JsonNode? Value(object? v) => v switch
    {
        null => null,
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        LineTuple t => JsonValue.Create(t.ToString()),
        HashSet<string> set => new JsonArray([.. set.Order(StringComparer.Ordinal).Select(static s => JsonValue.Create(s))]),
        System.Collections.IEnumerable e => new JsonArray([.. e.Cast<object>().Select(Value)]),
        _ => JsonValue.Create(v.ToString()),
    };

    /// <summary>One generated filter with its switches and log (serialised for the script as is).</summary>
    private sealed record FilterCase(
        [property: System.Text.Json.Serialization.JsonPropertyName("fail")] List<string> Fail,
        [property: System.Text.Json.Serialization.JsonPropertyName("ignore")] List<string> Ignore,
        [property: System.Text.Json.Serialization.JsonPropertyName("pref")] string? Pref,
        [property: System.Text.Json.Serialization.JsonPropertyName("maxlines")] int MaxLines,
        [property: System.Text.Json.Serialization.JsonPropertyName("datepattern")] string? DatePattern,
        [property: System.Text.Json.Serialization.JsonPropertyName("usedns")] string UseDns,
        [property: System.Text.Json.Serialization.JsonPropertyName("raw")] bool Raw,
        [property: System.Text.Json.Serialization.JsonPropertyName("checkAll")] bool CheckAll,
        [property: System.Text.Json.Serialization.JsonPropertyName("findTime")] bool FindTime,
        [property: System.Text.Json.Serialization.JsonPropertyName("inOperation")] bool InOperation,
        [property: System.Text.Json.Serialization.JsonPropertyName("dns")] Dictionary<string, string[]> Dns,
        [property: System.Text.Json.Serialization.JsonPropertyName("lines")] List<string> Lines)
    {
        /// <summary>
        /// An mlfid hit still waiting for its address stops the search (the daemon); false returns it (fail2ban-regex
        /// with <c>-o</c>).
        /// </summary>
        [System.Text.Json.Serialization.JsonPropertyName("ignorePending")]
        public bool IgnorePending { get; init; } = true;

        /// <summary>Lines fed as journal entries: no date in the text, the time given (one second earlier per line).</summary>
        [System.Text.Json.Serialization.JsonPropertyName("journal")]
        public bool Journal { get; init; }

        /// <summary><c>logtimezone</c>, or null for the local zone.</summary>
        [System.Text.Json.Serialization.JsonPropertyName("logtimezone")]
        public string? LogTimeZone { get; init; }

        /// <summary>A stock filter of <c>/etc/fail2ban/filter.d</c> to read instead of the regexes above.</summary>
        [System.Text.Json.Serialization.JsonPropertyName("filter")]
        public string? Stock { get; init; }
    }

    /// <summary>A message a failregex looks for: the text with <c>{h}</c>/<c>{u}</c>/<c>{n}</c> holes and its failregexes.</summary>
    private sealed record Message(string Text, string[] Regexes);

    private static readonly Message[] Messages =
    [
        new("auth failure for {u} from {h} port {n}", [@"auth failure for <F-USER>\S*</F-USER> from <HOST>(?: port \d+)?$", @"auth failure for \S* from <HOST>", @"failure for (?:<F-USER>\S+</F-USER> )?from <ADDR> port <F-PORT/>"]),
        new("bad login rhost={h}", [@"bad login rhost=<ADDR>$", @"rhost=<IP4>\s*$", @"rhost=<IP6>", @"bad login rhost=<HOST>"]),
        new("client {h} denied", [@"client <DNS> denied", @"client <HOST> denied$", @"^client <F-ID>\S+</F-ID> denied"]),
        new("net {h}/{n} blocked", [@"net <SUBNET> blocked", @"net <ADDR>/<CIDR> blocked", @"net <HOST>/\d+ blocked", @"net <F-ID>\S+</F-ID> blocked"]),
        new("session {n} failed from {h}", [@"session <F-ID>\d+</F-ID> failed from <HOST>", @"session <F-ID/> failed", @"session (?P<fid>\d+) failed"]),
        new("login user={u} alt={u} from {h}", [@"login(?: user=<F-USER>\S*</F-USER>)?(?: alt=<F-ALT_USER>\S+</F-ALT_USER>)? from <HOST>", @"alt=<F-ALT_USER1>\S*</F-ALT_USER1> from <F-ALT_HOST>\S+</F-ALT_HOST>"]),
        new("conn {u} port {n} from {h}", [@"conn <F-ID>\S+</F-ID> port <F-TUPLE_ID>\d+</F-TUPLE_ID> from <HOST>", @"conn <F-TUPLE_ID_1>\S+</F-TUPLE_ID_1> port <F-TUPLE_ID_2>\d+</F-TUPLE_ID_2> from <F-ID>\S+</F-ID>"]),
        new("connect from {h}", [@"^<F-NOFAIL>connect</F-NOFAIL> from <HOST>", @"^connect from <HOST>$"]),
        new("user {u} failed", [@"^user <F-USER>\S+</F-USER> failed$", @"user (?P<user>\S*) failed"]),
        new("accepted for {u}", [@"^<F-MLFGAINED>accepted</F-MLFGAINED> for <F-USER>\S+</F-USER>", @"^<F-NOFAIL>accepted</F-NOFAIL> for \S+"]),
        new("disconnect {h}", [@"^<F-MLFFORGET>disconnect</F-MLFFORGET>", @"^<F-MLFFORGET><F-NOFAIL>disconnect</F-NOFAIL></F-MLFFORGET> <HOST>"]),
        new("auth begin {n}", [@"auth begin (?P<n>\d+)\n.*fail from <HOST>", @"auth begin \d+<SKIPLINES>.*from <HOST>"]),
        new("fail from {h}", [@"fail from <HOST>$", @"^fail from <SUBNET>", @"svc\[<F-MLFID>\d+</F-MLFID>\]: (?:error: )?fail from <HOST>"]),
        new("alt {u} from {h}", [@"alt <F-ALT_ID>\S+</F-ALT_ID> from <HOST>", @"alt <F-ALT_USER>\S*</F-ALT_USER> from (?:<F-ID>\d+</F-ID>|<F-ALT_ID>\S+</F-ALT_ID>)", @"alt (?P<user>\S*) from <F-TUPLE_ID>\S+</F-TUPLE_ID>"]),
    ];

    private static readonly string[] Prefregexes =
    [
        @"^\S+ svc\[<F-MLFID>\d+</F-MLFID>\]: <F-CONTENT>.+</F-CONTENT>$",
        @"^\S+ svc\[\d+\]: <F-CONTENT>.+</F-CONTENT>$",
        @"^\S+ (?:<F-DAEMON>\w+</F-DAEMON>)\[<F-MLFID>\d+</F-MLFID>\]: (?:error: )?<F-CONTENT>.+</F-CONTENT>$",
        @"svc\[(?P<mlfid>\d+)\]: ",
    ];

    private static readonly string[] Ignores = [@"for root", @"192\.0\.2\.1\b", @"denied$", @"from 2001:db8::", @"user=\s"];

    private static readonly string[] DatePatterns = [@"{^LN-BEG}%Y-%m-%d %H:%M:%S", @"^%b %d %H:%M:%S", "{NONE}", @"%Y-%m-%d %H:%M(?::%S)?"];

    private static FilterCase Case(Random random)
    {
        var picked = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Messages[random.Next(Messages.Length)]).Distinct().ToList();
        var fail = picked.Select(m => m.Regexes[random.Next(m.Regexes.Length)]).ToList();
        if (random.Next(4) == 0)
        {
            fail.Add(picked[0].Regexes[random.Next(picked[0].Regexes.Length)]);
        }

        var usedns = random.Next(5) switch { 0 => "yes", 1 => "warn", 2 => "raw", _ => "no" };
        var pref = random.Next(3) == 0 ? null : Prefregexes[random.Next(Prefregexes.Length)];
        var ignore = Enumerable.Range(0, random.Next(4) == 0 ? random.Next(1, 3) : 0).Select(_ => Ignores[random.Next(Ignores.Length)]).ToList();
        var maxLines = random.Next(4) == 0 ? random.Next(2, 5) : 1;
        var datePattern = random.Next(6) == 0 ? DatePatterns[random.Next(DatePatterns.Length)] : null;
        var server = random.Next(2) == 0;
        var journal = random.Next(5) == 0;
        var lines = new List<string>();
        var pids = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(100, 104)).ToList();
        for (var i = random.Next(3, 25); i > 0; i--)
        {
            var message = random.Next(6) == 0 ? Messages[random.Next(Messages.Length)] : picked[random.Next(picked.Count)];
            lines.Add(Line(random, message.Text, pids[random.Next(pids.Count)], dated: !journal));
        }

        return new FilterCase(fail, ignore, pref, maxLines, datePattern, usedns, Raw: !server && random.Next(2) == 0,
            CheckAll: !server || random.Next(4) == 0, FindTime: server || random.Next(4) == 0, InOperation: random.Next(3) != 0,
            Names, lines)
        {
            LogTimeZone = random.Next(5) == 0 ? TimeZones[random.Next(TimeZones.Length)] : null,
            Journal = journal,
            IgnorePending = random.Next(4) != 0,
        };
    }

    private static readonly string[] TimeZones = ["UTC", "UTC+0200", "-0530", "GMT+01:00", "Z", "CEST", "UTC+2"];

    private static string Line(Random random, string text, int pid, bool dated)
    {
        var body = text
            .Replace("{h}", Host(random), StringComparison.Ordinal)
            .Replace("{n}", random.Next(5) == 0 ? "x" : random.Next(8, 129).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        while (body.Contains("{u}", StringComparison.Ordinal))
        {
            var at = body.IndexOf("{u}", StringComparison.Ordinal);
            body = body[..at] + Users[random.Next(Users.Length)] + body[(at + 3)..];
        }

        var daemon = random.Next(8) == 0 ? "other" : "svc";
        var rest = $"server {daemon}[{pid}]: " + (random.Next(10) == 0 ? "error: " : "") + body;
        if (!dated)
        {
            return rest;
        }

        var offset = random.Next(8) switch { 0 => -700, 1 => 300, 2 => -30, 3 => -90, _ => -random.Next(0, 20) };
        var local = DateTimeOffset.FromUnixTimeSeconds(Now + offset).ToOffset(TimeSpan.FromHours(2));
        return random.Next(10) switch
        {
            0 => rest,
            1 => local.ToString("MMM dd HH:mm:ss ", CultureInfo.InvariantCulture) + rest,
            2 => (Now + offset).ToString(CultureInfo.InvariantCulture) + " " + rest,
            3 => local.ToString("yyyy-MM-dd HH:mm ", CultureInfo.InvariantCulture) + rest,
            _ => local.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture) + rest,
        };
    }

    private static string Host(Random random)
    {
        var n = random.Next(1, 4).ToString(CultureInfo.InvariantCulture);
        return random.Next(16) switch
        {
            0 => "192.0.2." + n,
            1 => "198.51.100." + n,
            2 => "2001:db8::" + n,
            3 => "[2001:db8::" + n + "]",
            4 => "::ffff:192.0.2." + n,
            5 => "2001:DB8:0:0::" + n,
            6 => "host.example.com",
            7 => "dual.example.net",
            8 => "v6.example.org",
            9 => "mail-3.example.org",
            10 => "unknown.example",
            11 => "192.0.2.30" + n,
            12 => "192.0.2." + n + ":22",
            13 => "10.0." + n,
            14 => "[192.0.2." + n + "]",
            _ => "203.0.113." + n,
        };
    }
}

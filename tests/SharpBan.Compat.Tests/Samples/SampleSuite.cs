using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Compat.Tests.Samples;

/// <summary>
/// Runs fail2ban's annotated sample logs against its filters with the semantics of its <c>samplestestcase.py</c>:
/// TZ Europe/Zurich, now = 1124013600, all failregexes tried, raw ids, no find-time clamping.
/// </summary>
internal sealed partial class SampleSuite
{
    public const long TestNow = 1124013600;
    private const string TestNowText = "2005-08-14T10:00:00";

    private readonly DateClock _clock;
    private readonly DateTemplateCache _dates;
    private readonly bool _aheadOfTime;

    /// <param name="aheadOfTime">Run each line as the regex tool's pipeline does when the matching stage lags: date,
    /// buffer, prefregex and failregex searches computed first (<see cref="LogFilter.FindDate"/>), the state after.</param>
    public SampleSuite(bool aheadOfTime = false)
    {
        _aheadOfTime = aheadOfTime;
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");
        _clock = new DateClock(new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(TestNow)), zone);
        // %ExY is built from the real current year (fail2ban does the same)
        _dates = new DateTemplateCache(TimeProvider.System.GetUtcNow().Year);
    }

    [GeneratedRegex(@"^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$")]
    private static partial Regex Directive();

    /// <summary>Filter names and the config directory each is read from.</summary>
    public static IEnumerable<(string Name, string BaseDir)> Filters()
    {
        foreach (var f in Directory.GetFiles(Path.Join(Oracle.OraclePaths.ConfigDirectory, "filter.d"), "*.conf").Order(StringComparer.Ordinal))
        {
            var n = Path.GetFileNameWithoutExtension(f);
            if (!n.EndsWith("common", StringComparison.Ordinal) && !n.StartsWith('.'))
            {
                yield return (n, Oracle.OraclePaths.ConfigDirectory);
            }
        }

        var testFilters = Path.Join(Oracle.OraclePaths.TestConfigDirectory, "filter.d");
        if (Directory.Exists(testFilters))
        {
            // The zzz-* test filters include common.conf through a source-tree relative path that does not exist in
            // the Debian package; read them from a temporary copy whose include points at the installed common.conf.
            var temp = Directory.CreateTempSubdirectory("sharpban-zzz-").FullName;
            Directory.CreateDirectory(Path.Join(temp, "filter.d"));
            File.Copy(Path.Join(Oracle.OraclePaths.ConfigDirectory, "filter.d", "common.conf"), Path.Join(temp, "filter.d", "common.conf"));
            foreach (var f in Directory.GetFiles(testFilters, "zzz-*.conf").Order(StringComparer.Ordinal))
            {
                var text = File.ReadAllText(f).Replace("../../../../../../../config/filter.d/common.conf", "common.conf", StringComparison.Ordinal);
                File.WriteAllText(Path.Join(temp, "filter.d", Path.GetFileName(f)), text);
                yield return (Path.GetFileNameWithoutExtension(f), temp);
            }
        }
    }

    public List<SampleCase> Run(string name, string baseDir, string? logDirectory = null)
    {
        var logs = logDirectory ?? Oracle.OraclePaths.SampleLogs;
        var cases = new List<SampleCase>();
        var cache = new ConfigFileCache(baseDir);
        var filters = new Dictionary<string, LogFilter>(StringComparer.Ordinal);
        List<(string Key, LogFilter? Filter, Dictionary<string, string> Opts, string? Error)>? filterTests = null;
        var commonOpts = new Dictionary<string, string>(StringComparer.Ordinal);
        var fileNames = new List<string> { name };
        if (!File.Exists(Path.Join(logs, name)))
        {
            cases.Add(new SampleCase(name, name, 0, name, "no sample log"));
            return cases;
        }

        for (var fi = 0; fi < fileNames.Count; fi++)
        {
            var file = fileNames[fi];
            var lines = ReadLines(Path.Join(logs, file));
            var ignoreBlock = false;
            for (var ln = 0; ln < lines.Count; ln++)
            {
                var line = lines[ln];
                var lineNumber = ln + 1;
                JsonElement faildata = default;
                var hasFaildata = false;
                var m = Directive().Match(line.TrimEnd('\n'));
                if (m.Success)
                {
                    var json = JsonDocument.Parse(m.Groups[2].Value).RootElement;
                    switch (m.Groups[1].Value)
                    {
                        case "fileOptions":
                            commonOpts = ToOpts(json);
                            continue;
                        case "filterOptions":
                            filterTests = [];
                            ignoreBlock = false;
                            var list = json.ValueKind == JsonValueKind.Array ? json.EnumerateArray().ToList() : [json];
                            foreach (var item in list)
                            {
                                var opts = new Dictionary<string, string>(commonOpts, StringComparer.Ordinal);
                                foreach (var (k, v) in ToOpts(item))
                                {
                                    opts[k] = v;
                                }

                                if (opts.TryGetValue("test.condition", out var cond) && cond.Length > 0)
                                {
                                    ignoreBlock = !SampleExpression.Evaluate(cond, name, opts);
                                }

                                if (!ignoreBlock)
                                {
                                    filterTests.Add(GetFilter(name, cache, filters, opts));
                                }
                            }

                            continue;
                        case "addFILE":
                            fileNames.Add(json.GetString()!);
                            continue;
                    }

                    faildata = json;
                    hasFaildata = true;
                    ln++;
                    lineNumber = ln + 1;
                    if (ln >= lines.Count)
                    {
                        break;
                    }

                    line = lines[ln];
                }
                else if (ignoreBlock || line.StartsWith('#') || line.Trim().Length == 0)
                {
                    continue;
                }

                if (ignoreBlock)
                {
                    continue;
                }

                if (filterTests is null || filterTests.Count == 0)
                {
                    filterTests = [GetFilter(name, cache, filters, [])];
                }

                line = line.TrimEnd('\r', '\n');
                foreach (var (key, filter, opts, error) in filterTests)
                {
                    if (hasFaildata && faildata.TryGetProperty("constraint", out var constraint)
                        && constraint.GetString() is { Length: > 0 } c && !SampleExpression.Evaluate(c, name, opts))
                    {
                        continue;
                    }

                    string? failure;
                    if (filter is null)
                    {
                        failure = error;
                    }
                    else
                    {
                        try
                        {
                            failure = Check(filter, opts, line, hasFaildata ? faildata : null);
                        }
                        catch (Exception e) when (e is not OutOfMemoryException)
                        {
                            // deliberate: one broken case is reported, the rest of the suite still runs
                            failure = "exception: " + e.GetType().Name + ": " + e.Message;
                        }
                    }

                    if (hasFaildata)
                    {
                        cases.Add(new SampleCase(name, file, lineNumber, key, failure));
                    }
                    else if (failure is not null)
                    {
                        cases.Add(new SampleCase(name, file, lineNumber, key, "unannotated line: " + failure));
                    }
                }
            }
        }

        return cases;
    }

    private (string, LogFilter?, Dictionary<string, string>, string?) GetFilter(string name, ConfigFileCache cache, Dictionary<string, LogFilter> filters, Dictionary<string, string> opts)
    {
        var fltOpts = opts.Where(static kv => !kv.Key.StartsWith("test.", StringComparison.Ordinal)).ToList();
        var key = name + (opts.TryGetValue("test.filter-name", out var fn) && fn.Length > 0 ? fn
            : fltOpts.Count > 0 ? "{" + string.Join(", ", fltOpts.Select(static kv => $"'{kv.Key}': '{kv.Value}'")) + "}" : "");
        if (filters.TryGetValue(key, out var existing))
        {
            return (key, existing, opts, null);
        }

        try
        {
            var diagnostics = new List<ConfigDiagnostic>();
            var options = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in fltOpts)
            {
                options[k] = v;
            }

            var settings = FilterSettingsReader.Read(cache, name, options, diagnostics)
                ?? throw new InvalidOperationException("filter not found");
            var filter = new LogFilter(settings, FilterMode.RegexTool with { ReturnRawHost = true }, _clock, _dates);
            filters[key] = filter;
            return (key, filter, opts, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // deliberate: a filter that does not load fails all of its cases, with the reason
            return (key, null, opts, "filter load failed: " + e.Message);
        }
    }

    private string? Check(LogFilter filter, Dictionary<string, string> opts, string line, JsonElement? faildata)
    {
        List<FilterHit> ret;
        if (opts.GetValueOrDefault("logtype") != "journal")
        {
            ret = _aheadOfTime && filter.CanPipeline
                ? filter.ProcessDated(filter.FindDate(line, prepare: true, prepareFailRegexes: true))
                : filter.ProcessLine(line);
        }
        else
        {
            if (opts.GetValueOrDefault("test.prefix-line") is { } prefix)
            {
                line = prefix + line;
            }

            ret = filter.ProcessLine(new LineTuple("", TestNowText, line), TestNow);
        }

        var found = ret.Where(static h => h.Id is not null && !PyValue.IsTrue(h.Data.GetValueOrDefault("nofail"))).ToList();
        var shouldMatch = faildata is { } fd && fd.TryGetProperty("match", out var mv) && mv.ValueKind == JsonValueKind.True;
        if (found.Count == 0)
        {
            return shouldMatch ? "Line not matched when should have" : null;
        }

        if (!shouldMatch)
        {
            return $"Line matched when shouldn't have (regex {found[0].FailRegexIndex}, id {found[0].Id})";
        }

        if (found.Count != 1)
        {
            return "Multiple regexs matched " + string.Join(",", found.Select(static f => f.FailRegexIndex));
        }

        var hit = found[0];
        foreach (var prop in faildata!.Value.EnumerateObject())
        {
            if (prop.Name is "time" or "match" or "desc" or "constraint")
            {
                continue;
            }

            var fv = hit.Data.GetValueOrDefault(prop.Name);
            if (fv is null && prop.Name == "host")
            {
                fv = hit.Id;
                if (prop.Value.GetString() is { } host && IpText.Normalize(host, IpText.Unspecified) == hit.Id)
                {
                    continue;
                }
            }

            if (fv is null && prop.Name == "attempts")
            {
                fv = hit.Matches.Count;
            }

            if (!ValueEquals(fv, prop.Value))
            {
                return $"{prop.Name}: expected {prop.Value.GetRawText()}, got {Show(fv)}";
            }
        }

        if (faildata.Value.TryGetProperty("time", out var tv) && tv.GetString() is { } t)
        {
            var local = DateTime.ParseExact(t, ["yyyy-M-dTH:m:s", "yyyy-M-dTH:m:s.FFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None);
            var expected = _clock.ToUnix(new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerSecond))) + ((local.Ticks % TimeSpan.TicksPerSecond) / 1e7);
            if (hit.Time is not { } actual || Math.Abs(actual - expected) > 1e-6)
            {
                return $"time: expected {expected.ToString(CultureInfo.InvariantCulture)} ({t}), got {hit.Time?.ToString(CultureInfo.InvariantCulture) ?? "none"}";
            }
        }

        return null;
    }

    private static bool ValueEquals(object? actual, JsonElement expected)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Null:
                return actual is null;
            case JsonValueKind.Number:
                return actual is int i ? expected.GetInt32() == i
                    : actual is string s && s == expected.GetRawText();
            case JsonValueKind.Array:
                var want = expected.EnumerateArray().Select(static e => e.ToString()).Order(StringComparer.Ordinal).ToList();
                var have = actual switch
                {
                    IEnumerable<string> strings => strings.Order(StringComparer.Ordinal).ToList(),
                    object?[] arr => arr.Select(static o => o?.ToString() ?? "").Order(StringComparer.Ordinal).ToList(),
                    _ => null,
                };
                return have is not null && want.SequenceEqual(have);
            default:
                return actual is not null && Show(actual) == expected.GetString();
        }
    }

    private static string Show(object? v) => v switch
    {
        null => "None",
        string s => s,
        IEnumerable<string> e => "[" + string.Join(", ", e) + "]",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    private static Dictionary<string, string> ToOpts(JsonElement e)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            d[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        }

        return d;
    }

    /// <summary>Lines as Python's text-mode iteration yields them (universal newlines, trailing newline kept off).</summary>
    private static List<string> ReadLines(string path)
    {
        var text = new UTF8Encoding(false, false).GetString(File.ReadAllBytes(path));
        return [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').SkipLast(text.EndsWith('\n') ? 1 : 0)];
    }
}

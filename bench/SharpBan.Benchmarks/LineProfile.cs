using System.Diagnostics;
using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Benchmarks;

/// <summary>
/// Stopwatch harness (<c>profile CONFIGDIR FILTER LOG [passes]</c>): steady-state ns/line of the whole filter and of
/// date detection alone over a real log held in memory, regex-tool mode. Complements BenchmarkDotNet's single-line view.
/// </summary>
internal static class LineProfile
{
    public static int Run(string configDir, string filter, string log, int passes)
    {
        var (name, options) = OptionList.Extract(filter);
        var settings = FilterSettingsReader.Read(new ConfigFileCache(configDir), name, options, new List<ConfigDiagnostic>())
            ?? throw new InvalidOperationException("filter not found: " + filter);
        var lines = File.ReadAllLines(log);
        var shown = new LogFilter(settings, FilterMode.RegexTool, DateClock.System, DateTemplateCache.ForClock(TimeProvider.System));
        foreach (var r in shown.PrefRegex is null ? shown.FailRegexes : [shown.PrefRegex, .. shown.FailRegexes])
        {
            Console.WriteLine($"prefilter: prefix '{r.Regex.Prefilter.Prefix}' required '{r.Regex.Prefilter.Required}' any of '{string.Join("' '", r.Regex.Prefilter.AnyOf ?? [])}'");
        }

        GC.KeepAlive(shown);

        var time = TimeProvider.System;
        var clock = new DateClock(time, TimeZoneInfo.Local);
        var cache = DateTemplateCache.ForClock(time);
        for (var pass = 1; pass <= passes; pass++)
        {
            var f = new LogFilter(settings, FilterMode.RegexTool, clock, cache);
            var hits = 0L;
            var alloc = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            foreach (var line in lines)
            {
                hits += f.ProcessLine(line).Count;
            }

            var whole = sw.Elapsed;
            var bytes = GC.GetAllocatedBytesForCurrentThread() - alloc;
            var d = new DateDetector(cache, clock);
            foreach (var p in (settings.DatePattern ?? "").Split('\n').Select(static p => p.Trim()).Where(static p => p.Length > 0))
            {
                d.AppendPattern(p);
            }

            sw.Restart();
            foreach (var line in lines)
            {
                if (d.MatchTime(line) is { } m)
                {
                    _ = d.GetTime(m.Hit, m.Template);
                }
            }

            var dates = sw.Elapsed;
            var staged = new LogFilter(settings, FilterMode.RegexTool, clock, cache);
            var dated = new DatedLine[lines.Length];
            var alloc1 = GC.GetAllocatedBytesForCurrentThread();
            sw.Restart();
            for (var i = 0; i < lines.Length; i++)
            {
                dated[i] = staged.FindDate(lines[i], prepare: true);
            }

            var stage1 = sw.Elapsed;
            var bytes1 = GC.GetAllocatedBytesForCurrentThread() - alloc1;
            var splitter = new LogFilter(settings, FilterMode.RegexTool, clock, cache);
            sw.Restart();
            foreach (var line in lines)
            {
                _ = splitter.FindDate(line);
            }

            var split = sw.Elapsed;
            var buffers = dated.Select(static d => d.Prepared?.Buffer).OfType<string>().ToArray();
            var contents = dated.Select(static d => d.Prepared?.Pref?.Content as string).OfType<string>().Select(static c => c + "\n").ToArray();

            var alloc2 = GC.GetAllocatedBytesForCurrentThread();
            sw.Restart();
            foreach (var line in dated)
            {
                _ = staged.ProcessDated(line);
            }

            var stage2 = sw.Elapsed;
            var bytes2 = GC.GetAllocatedBytesForCurrentThread() - alloc2;
            var prefAndFail = MeasureRegexes(staged, buffers, contents);
            Console.WriteLine($"pass {pass}: filter {whole.TotalNanoseconds / lines.Length:F0} ns/line, {bytes / lines.Length} B/line, {hits} hits; "
                + $"dates only {dates.TotalNanoseconds / lines.Length:F0} ns/line, date cut out {split.TotalNanoseconds / lines.Length:F0} ns/line; pipeline stages (with prefregex in stage 1) "
                + $"{stage1.TotalNanoseconds / lines.Length:F0} + {stage2.TotalNanoseconds / lines.Length:F0} ns/line "
                + $"({bytes1 / lines.Length} + {bytes2 / lines.Length} B/line); "
                + $"prefregex with groups {prefAndFail.Pref.TotalNanoseconds / lines.Length:F0}, failregexes with groups {prefAndFail.Fail.TotalNanoseconds / lines.Length:F0} ns/line");
            if (pass == passes)
            {
                PrintEachFailRegex(staged, staged.PrefRegex is null ? buffers : contents, lines.Length);
            }
        }

        return 0;
    }

    /// <summary>Each failregex alone over the texts the failregexes see (last pass): ns per log line, hits, its source.</summary>
    private static void PrintEachFailRegex(LogFilter filter, string[] texts, int lineCount)
    {
        var sw = new Stopwatch();
        for (var i = 0; i < filter.FailRegexes.Count; i++)
        {
            var r = filter.FailRegexes[i];
            var hits = 0;
            sw.Restart();
            foreach (var c in texts)
            {
                if (r.Regex.Search(c) is { } m)
                {
                    hits++;
                    _ = r.Groups(m);
                }
            }

            var source = r.Source.Length > 90 ? r.Source[..90] + "…" : r.Source;
            Console.WriteLine($"  failregex {i + 1,2}: {sw.Elapsed.TotalNanoseconds / lineCount,6:F0} ns/line, {hits,7} hits  {source}");
        }
    }

    /// <summary>The regex share of the work: prefregex over the buffers, every failregex over the prefregex contents.</summary>
    private static (TimeSpan Pref, TimeSpan Fail) MeasureRegexes(LogFilter filter, string[] buffers, string[] contents)
    {
        var sw = Stopwatch.StartNew();
        if (filter.PrefRegex is { } pref)
        {
            foreach (var b in buffers)
            {
                if (pref.Regex.Search(b) is { } m)
                {
                    _ = pref.Groups(m);
                }
            }
        }

        var prefTime = sw.Elapsed;
        sw.Restart();
        foreach (var c in filter.PrefRegex is null ? buffers : contents)
        {
            foreach (var r in filter.FailRegexes)
            {
                if (r.Regex.Search(c) is { } m)
                {
                    _ = r.Groups(m);
                }
            }
        }

        return (prefTime, sw.Elapsed);
    }
}

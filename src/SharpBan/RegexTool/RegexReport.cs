using System.Globalization;
using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;

namespace SharpBan.RegexTool;

/// <summary>The human report, laid out like fail2ban-regex's.</summary>
internal static class RegexReport
{
    /// <param name="header">The "Use …" lines (<see cref="RegexHeader"/>), computed before the run.</param>
    /// <param name="now">Shown as the time of a failure without one (Python's <c>time.localtime(None)</c> is now).</param>
    /// <param name="dateDetector">False when dates came with the lines and no datepattern was set (the journal): no date section.</param>
    /// <param name="log">The lines logged during the run (<c>-l</c>), shown between the "Use …" lines and the results.</param>
    public static void Write(TextWriter o, LogFilter filter, RegexToolOptions options, RegexStats stats, IEnumerable<string> header, DateTimeOffset now,
        bool dateDetector = true, string log = "")
    {
        WriteBanner(o, header);

        o.WriteLine();
        o.Write(log);
        o.WriteLine();
        o.WriteLine("Results");
        o.WriteLine("=======");
        o.WriteLine();
        if (filter.PrefRegex is { } pre)
        {
            o.WriteLine($"Prefregex: {stats.PrefMatched} total");
            o.WriteLine($"|  {pre.Regex.PythonPattern}");
            foreach (var groups in stats.PrefGroups)
            {
                o.WriteLine($"|      {groups}");
            }

            o.WriteLine("`-");
            o.WriteLine();
        }

        o.WriteLine($"Failregex: {stats.FailHits.Sum()} total");
        if (stats.FailHits.Sum() > 0 || (options.Verbose > 0 && stats.FailHits.Length > 0))
        {
            o.WriteLine("|-  #) [# of hits] regular expression");
            for (var i = 0; i < stats.FailHits.Length; i++)
            {
                if (stats.FailHits[i] == 0 && options.Verbose == 0)
                {
                    continue;
                }

                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|  {i + 1,2}) [{stats.FailHits[i]}] {filter.FailRegexes[i].Source}"));
                foreach (var (hit, multiple) in stats.FailMatches[i])
                {
                    var at = hit.Time is { } t ? DateTimeOffset.FromUnixTimeMilliseconds((long)(t * 1000)) : now;
                    var when = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.Local).ToString("ddd MMM dd HH:mm:ss yyyy", CultureInfo.InvariantCulture);
                    o.WriteLine($"|      {hit.Id ?? "None"}  {when}{(multiple ? " (multiple regex matched)" : "")}");
                }
            }

            o.WriteLine("`-");
        }

        o.WriteLine();
        o.WriteLine($"Ignoreregex: {stats.IgnoreHits.Sum()} total");
        if (stats.IgnoreHits.Sum() > 0 || (options.Verbose > 0 && stats.IgnoreHits.Length > 0))
        {
            o.WriteLine("|-  #) [# of hits] regular expression");
            for (var i = 0; i < stats.IgnoreHits.Length; i++)
            {
                if (stats.IgnoreHits[i] > 0 || options.Verbose > 0)
                {
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|  {i + 1,2}) [{stats.IgnoreHits[i]}] {filter.IgnoreRegexes[i].Source}"));
                }
            }

            o.WriteLine("`-");
        }

        if (dateDetector)
        {
            o.WriteLine();
            o.WriteLine("Date template hits:");
            var templates = filter.DateDetector.WeightedTemplates.Where(t => t.Hits > 0 || options.Verbose > 0).ToList();
            if (templates.Count > 0)
            {
                o.WriteLine("|- [# of hits] date format");
                foreach (var (template, hits, weight) in templates)
                {
                    o.WriteLine($"|  [{hits}] {template.Name}");
                    if (options.VerboseDate)
                    {
                        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|      # weight: {weight:F3} ({template.Weight:F3}), pattern: {template.Pattern ?? ""}"));
                        o.WriteLine($"|      # regex:   {template.RegexText}");
                    }
                }

                o.WriteLine("`-");
            }
        }

        o.WriteLine();
        o.WriteLine($"Lines: {stats.Tested} lines, {stats.Ignored} ignored, {stats.Matched} matched, {stats.Missed} missed");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[processed in {stats.Elapsed.TotalSeconds:F2} sec]"));
        if (filter.RegexTimeouts > 0)
        {
            o.WriteLine($"[{filter.RegexTimeouts} regex searches hit the match timeout and counted as no match]");
        }

        if (filter.RegexFaults > 0)
        {
            o.WriteLine($"[{filter.RegexFaults} regex searches failed inside the .NET regex engine and counted as no match]");
        }

        o.WriteLine();
        var failRegexes = filter.FailRegexes.Select(static r => r.Source).ToList();
        if (options.PrintAllMatched)
        {
            PrintLines(o, "Matched", options.Debuggex ? stats.MatchedLinesDebuggex : stats.MatchedLines, stats.Matched, true, options, filter, failRegexes);
        }

        if (!options.PrintNoIgnored)
        {
            PrintLines(o, "Ignored", options.Debuggex ? stats.IgnoredLinesDebuggex : stats.IgnoredLines, stats.Ignored, options.PrintAllIgnored, options, filter, [.. filter.IgnoreRegexes.Select(static r => r.Source)]);
        }

        if (!options.PrintNoMissed)
        {
            PrintLines(o, "Missed", options.Debuggex ? stats.MissedLinesDebuggex : stats.MissedLines, stats.Missed, options.PrintAllMissed, options, filter, failRegexes);
        }
    }

    /// <summary>fail2ban-regex's "Running tests" banner and the "Use …" lines (before the results, or before an error).</summary>
    public static void WriteBanner(TextWriter o, IEnumerable<string> header)
    {
        o.WriteLine();
        o.WriteLine("Running tests");
        o.WriteLine("=============");
        o.WriteLine();
        foreach (var line in header)
        {
            o.WriteLine(line);
        }
    }

    /// <summary>
    /// fail2ban-regex prints the kept lines when fewer than the limit (or all asked), else one "too many" line; with
    /// <c>--debuggex</c> one row per line and regex (failregexes for matched and missed lines, ignoreregexes for ignored).
    /// </summary>
    private static void PrintLines(TextWriter o, string kind, List<string> lines, int count, bool all, RegexToolOptions options, LogFilter filter, List<string> regexes)
    {
        if (count == 0)
        {
            return;
        }

        var header = kind + " line(s):";
        if (!all && count >= options.PrintLimit)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{header} too many to print.  Use --print-all-{kind.ToLowerInvariant()} to print all {count} lines"));
            return;
        }

        var rows = options.Debuggex ? DebuggexRows(lines, regexes, options, filter) : lines.Select(static l => PyText.RStrip(l)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        o.WriteLine("|- " + header);
        foreach (var row in rows)
        {
            o.WriteLine("|  " + row);
        }

        o.WriteLine("`-");
    }

    private static List<string> DebuggexRows(List<string> lines, List<string> regexes, RegexToolOptions options, LogFilter filter)
    {
        // fail2ban-regex passes its --usedns value as given: none means the full <HOST> pattern
        var useDns = options.UseDns is { } text && UseDnsParser.TryParse(text, out var mode) ? mode : UseDns.Yes;
        var encoding = LogEncoding.Get(options.Encoding);
        return [.. from line in lines from regex in regexes select Debuggex.Row(line, regex, filter.MaxLines > 1, useDns, encoding)];
    }
}

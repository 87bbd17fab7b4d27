using System.Globalization;
using SharpBan.Engine.Matching;

namespace SharpBan.RegexTool;

/// <summary>The human report, laid out like fail2ban-regex's.</summary>
internal static class RegexReport
{
    public static void Write(TextWriter o, LogFilter filter, RegexToolOptions options, RegexStats stats, string filterDescription, string logDescription)
    {
        o.WriteLine();
        o.WriteLine("Running tests");
        o.WriteLine("=============");
        o.WriteLine();
        o.WriteLine($"Use   failregex filter file : {filterDescription}");
        o.WriteLine($"Use         maxlines : {options.MaxLines ?? 1}");
        o.WriteLine($"Use      datepattern : {options.DatePattern ?? "Default Detectors"}");
        o.WriteLine($"Use         log file : {logDescription}");
        o.WriteLine($"Use         encoding : {options.Encoding}");
        o.WriteLine();
        o.WriteLine();
        o.WriteLine("Results");
        o.WriteLine("=======");
        o.WriteLine();
        if (filter.PrefRegex is { } pre)
        {
            o.WriteLine($"Prefregex: {stats.PrefMatched} total");
            o.WriteLine($"|  {pre.Regex.PythonPattern}");
            o.WriteLine("`-");
            o.WriteLine();
        }

        o.WriteLine($"Failregex: {stats.FailHits.Sum()} total");
        if (stats.FailHits.Sum() > 0 || options.Verbose > 0)
        {
            o.WriteLine("|-  #) [# of hits] regular expression");
            for (var i = 0; i < stats.FailHits.Length; i++)
            {
                if (stats.FailHits[i] == 0 && options.Verbose == 0)
                {
                    continue;
                }

                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|  {i + 1,2}) [{stats.FailHits[i]}] {filter.FailRegexes[i].Source}"));
                foreach (var hit in stats.FailMatches[i])
                {
                    var when = hit.Time is { } t ? DateTimeOffset.FromUnixTimeMilliseconds((long)(t * 1000)).ToString("ddd MMM dd HH:mm:ss yyyy", CultureInfo.InvariantCulture) : "no date";
                    o.WriteLine($"|      {hit.Id}  {when}");
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

        o.WriteLine();
        o.WriteLine("Date template hits:");
        o.WriteLine("|- [# of hits] date format");
        foreach (var (template, hits) in filter.DateDetector.Templates)
        {
            if (hits > 0 || options.Verbose > 0 || options.VerboseDate)
            {
                o.WriteLine($"|  [{hits}] {template.Name}");
            }
        }

        o.WriteLine("`-");
        o.WriteLine();
        o.WriteLine($"Lines: {stats.Tested} lines, {stats.Ignored} ignored, {stats.Matched} matched, {stats.Missed} missed");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[processed in {stats.Elapsed.TotalSeconds:F2} sec]"));
        if (filter.RegexTimeouts > 0)
        {
            o.WriteLine($"[{filter.RegexTimeouts} regex searches hit the match timeout and counted as no match]");
        }

        o.WriteLine();
        PrintLines(o, "Ignored line(s)", stats.IgnoredLines, stats.Ignored, options.PrintAllIgnored, "--print-all-ignored", options.PrintNoIgnored);
        PrintLines(o, "Matched line(s)", stats.MatchedLines, stats.Matched, true, "--print-all-matched", !options.PrintAllMatched);
        PrintLines(o, "Missed line(s)", stats.MissedLines, stats.Missed, options.PrintAllMissed, "--print-all-missed", options.PrintNoMissed);
    }

    private static void PrintLines(TextWriter o, string title, List<string> lines, int count, bool all, string option, bool suppressed)
    {
        if (suppressed || count == 0)
        {
            return;
        }

        if (!all && count > 20)
        {
            o.WriteLine($"|- {title}: too many to print.  Use {option} to print all {count} lines");
            o.WriteLine();
            return;
        }

        o.WriteLine($"|- {title}:");
        foreach (var l in lines)
        {
            o.WriteLine("|  " + l);
        }

        o.WriteLine("`-");
    }
}

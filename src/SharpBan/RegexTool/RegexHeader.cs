using System.Globalization;
using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.RegexTool;

/// <summary>
/// The "Use …" lines fail2ban-regex prints before the results, in its order: command-line maxlines and datepattern,
/// the filter (and what it sets), the ignoreregex line, then the log.
/// </summary>
internal static class RegexHeader
{
    private const int ShortLength = 53;

    /// <summary>
    /// Adds the lines up to the log to <paramref name="lines"/>, one by one as fail2ban-regex prints them while it sets the
    /// filter up: when <paramref name="dates"/> fails (a bad datepattern), the lines before stay and show with the error.
    /// Call before the run (the date templates re-order while lines are read).
    /// </summary>
    /// <param name="dates">Builds the filter's date detector (for the template names of the datepattern line).</param>
    /// <param name="log">fail2ban's INFO log line (logger, message) as the tool shows it among these lines; null when not shown here.</param>
    /// <param name="upToTheFilterFile">Only the lines up to reading the filter's files (a filter file that cannot be used).</param>
    public static void Filter(
        List<string> lines, RegexToolOptions options, ResolvedFilter filter, FilterSettings settings, Func<DateDetector> dates, Func<string, string, string?> log,
        bool upToTheFilterFile = false)
    {
        void Log(string logger, string message)
        {
            if (log(logger, message) is { } line)
            {
                lines.Add(line);
            }
        }

        DateDetector? detector = null;
        DateDetector Dates() => detector ??= dates();
        var maxLinesShown = false;
        var datePatternShown = false;
        if (options.MaxLines is > 0)
        {
            Log("fail2ban.filter", MaxLinesSet(settings.MaxLines));
            lines.Add(MaxLines(settings.MaxLines));
            maxLinesShown = true;
        }

        if (options.DatePattern is { } cmdPattern)
        {
            lines.Add(DatePattern(cmdPattern, Dates()));
            datePatternShown = true;
        }

        switch (filter.Origin)
        {
            case FilterOrigin.Line:
                lines.Add("Use   failregex line : " + Short(filter.Name));
                break;
            case FilterOrigin.ForeignFile:
                lines.Add("Use   failregex file : " + filter.Name);
                break;
            default:
                lines.Add($"Use   failregex filter file : {filter.Name}, basedir: {filter.BaseDirectory}");
                break;
        }

        if (filter.Origin != FilterOrigin.Line && filter.Options.Count > 0)
        {
            lines.Add("Use   filter options : " + PyRepr.Dict(filter.Options));
        }

        foreach (var (logger, message) in filter.LoadLog)
        {
            Log(logger, message);
        }

        if (upToTheFilterFile)
        {
            return;
        }

        if (options.Verbose > 1 && filter.RealOptions is { } real)
        {
            lines.Add("Real  filter options : " + PyRepr.Dict(real));
        }

        foreach (var command in filter.Stream)
        {
            switch (command.Count >= 4 ? command[2] as string : null)
            {
                case "maxlines" when !maxLinesShown:
                    Log("fail2ban.filter", MaxLinesSet(settings.MaxLines));
                    lines.Add(MaxLines(settings.MaxLines));
                    maxLinesShown = true;
                    break;
                case "datepattern" when !datePatternShown:
                    lines.Add(DatePattern(Convert.ToString(command[3], CultureInfo.InvariantCulture) ?? "", Dates()));
                    datePatternShown = true;
                    break;
            }
        }

        if (options.IgnoreRegex is { } ignore)
        {
            lines.Add("Use ignoreregex line : " + Short(ignore));
        }
    }

    public static IEnumerable<string> LogFile(string path, string encoding) =>
        [$"Use         log file : {path}", $"Use         encoding : {encoding}"];

    /// <param name="log">As for <see cref="Filter"/>.</param>
    public static IEnumerable<string> Journal(string encoding, IReadOnlyList<string>? match, Func<string, string, string?> log)
    {
        yield return "Use         systemd journal";
        yield return $"Use         encoding : {encoding}";
        if (log("fail2ban.filter", "  encoding: " + encoding) is { } set)
        {
            yield return set;
        }

        if (match is { Count: > 0 })
        {
            if (log("fail2ban.filtersystemd", "[~jailless~] Added journal match for: " + PyText.Repr(string.Join(' ', match))) is { } added)
            {
                yield return added;
            }

            yield return "Use    journal match : " + string.Join(' ', match);
        }
    }

    /// <summary>A literal LOG argument: one line, or the first five of several.</summary>
    public static IEnumerable<string> Literal(string log, bool single, IReadOnlyList<string> lines)
    {
        if (single)
        {
            yield return "Use      single line : " + Short(log.Replace("\n", @"\n", StringComparison.Ordinal));
            yield break;
        }

        yield return string.Create(CultureInfo.InvariantCulture, $"Use      multi line : {lines.Count} line(s)");
        for (var i = 0; i < lines.Count; i++)
        {
            if (i >= 5)
            {
                yield return "| ...";
                break;
            }

            yield return string.Create(CultureInfo.InvariantCulture, $"| {i + 1,2}: {Short(lines[i])}");
        }

        yield return "`-";
    }

    /// <summary>fail2ban's filter says so when its maxlines is set.</summary>
    private static string MaxLinesSet(int maxLines) => string.Create(CultureInfo.InvariantCulture, $"  maxLines: {maxLines}");

    private static string MaxLines(int maxLines) => string.Create(CultureInfo.InvariantCulture, $"Use         maxlines : {maxLines}");

    /// <summary>The pattern as given, then the template's name, or "Default Detectors" for none or more than two.</summary>
    private static string DatePattern(string pattern, DateDetector dates)
    {
        var count = dates.Count;
        var name = count == 0 || count > 2 ? "Default Detectors" : dates.Templates.First().Template.Name;
        return $"Use      datepattern : {pattern} : {name}";
    }

    private static string Short(string s) => s.Length > ShortLength ? s[..(ShortLength - 3)] + "..." : s;
}

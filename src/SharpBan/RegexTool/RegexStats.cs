using SharpBan.Engine.Matching;

namespace SharpBan.RegexTool;

/// <summary>Counters and retained lines collected while testing a log.</summary>
internal sealed class RegexStats(int failRegexCount, int ignoreRegexCount)
{
    public int Tested { get; set; }

    public int Matched { get; set; }

    public int Missed { get; set; }

    public int Ignored { get; set; }

    public int PrefMatched { get; set; }

    /// <summary>With <c>-v</c>: the prefregex groups of the first matched lines, as Python dict reprs (then "...").</summary>
    public List<string> PrefGroups { get; } = [];

    public int[] FailHits { get; } = new int[failRegexCount];

    /// <summary>Per failregex (verbose only): each hit, and whether more than one earlier hit of its line counted (fail2ban's flag).</summary>
    public List<(FilterHit Hit, bool Multiple)>[] FailMatches { get; } = [.. Enumerable.Range(0, failRegexCount).Select(static _ => new List<(FilterHit, bool)>())];

    public int[] IgnoreHits { get; } = new int[ignoreRegexCount];

    public List<string> MatchedLines { get; } = [];

    public List<string> MissedLines { get; } = [];

    /// <summary>
    /// With <c>--debuggex</c>, the missed lines its rows are built from: fail2ban-regex removes a line that a multi-line
    /// match consumed from this list by its text without the date, so a dated line stays in it.
    /// </summary>
    public List<string> MissedLinesDebuggex { get; } = [];

    public List<string> IgnoredLines { get; } = [];

    /// <summary>With <c>--debuggex</c>: the matched lines its rows are built from (consumed lines joined to their match).</summary>
    public List<string> MatchedLinesDebuggex { get; } = [];

    /// <summary>With <c>--debuggex</c>: the ignored lines its rows are built from.</summary>
    public List<string> IgnoredLinesDebuggex { get; } = [];

    public TimeSpan Elapsed { get; set; }

    public int Failures { get; set; }
}

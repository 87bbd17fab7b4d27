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

    public int[] FailHits { get; } = new int[failRegexCount];

    public List<FilterHit>[] FailMatches { get; } = [.. Enumerable.Range(0, failRegexCount).Select(static _ => new List<FilterHit>())];

    public int[] IgnoreHits { get; } = new int[ignoreRegexCount];

    public List<string> MatchedLines { get; } = [];

    public List<string> MissedLines { get; } = [];

    public List<string> IgnoredLines { get; } = [];

    public TimeSpan Elapsed { get; set; }

    public int Failures { get; set; }
}

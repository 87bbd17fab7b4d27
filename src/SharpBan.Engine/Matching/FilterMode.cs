namespace SharpBan.Engine.Matching;

/// <summary>How the caller uses the filter: the daemon and the regex tool differ in a few switches.</summary>
public sealed record FilterMode
{
    /// <summary>The daemon: first matching failregex wins, dates clamped to now, old lines dropped.</summary>
    public static FilterMode Server { get; } = new();

    /// <summary>fail2ban-regex: all failregexes tried, no time clamping, raw ids only when asked.</summary>
    public static FilterMode RegexTool { get; } = new() { CheckAllRegex = true, CheckFindTime = false, TrackPrefRegex = true };

    /// <summary>Try every failregex (reporting each hit) instead of stopping at the first.</summary>
    public bool CheckAllRegex { get; init; }

    /// <summary>Keep ids as text (no DNS, no address parsing of host names).</summary>
    public bool ReturnRawHost { get; init; }

    /// <summary>Clamp/drop dates relative to now and <see cref="FindTime"/>.</summary>
    public bool CheckFindTime { get; init; } = true;

    /// <summary>Return immediately when an mlfid failure is still waiting for its address.</summary>
    public bool IgnorePending { get; init; } = true;

    public double FindTime { get; init; } = 600;

    /// <summary>
    /// Keep <c>LastPrefRegexMatched</c> exact (the regex tool reports it). Otherwise a line on which no failregex can
    /// match (by their literal prefilters) skips the prefregex altogether.
    /// </summary>
    public bool TrackPrefRegex { get; init; }
}

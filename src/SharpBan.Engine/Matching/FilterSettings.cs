namespace SharpBan.Engine.Matching;

/// <summary>The resolved options a filter is built from (what the config stream sends to the server).</summary>
public sealed record FilterSettings
{
    public IReadOnlyList<string> FailRegex { get; init; } = [];

    public IReadOnlyList<string> IgnoreRegex { get; init; } = [];

    public string? PrefRegex { get; init; }

    public int MaxLines { get; init; } = 1;

    /// <summary>Newline-separated <c>datepattern</c> entries; null = the default templates.</summary>
    public string? DatePattern { get; init; }

    public UseDns UseDns { get; init; } = UseDns.Warn;

    /// <summary><c>logtimezone</c> (e.g. <c>UTC</c>, <c>CET+01</c>), or null for the local zone.</summary>
    public string? LogTimeZone { get; init; }

    /// <summary>
    /// Refuse a failregex without a failure-id group when the prefregex has none either (fail2ban's check when a
    /// failregex is added). The server checks each regex as it is added instead: a later prefregex does not re-check.
    /// </summary>
    public bool RequireIdGroups { get; init; } = true;
}

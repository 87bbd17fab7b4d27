namespace SharpBan.RegexTool;

/// <summary>Parsed options of <c>sharpban regex</c>.</summary>
internal sealed record RegexToolOptions
{
    public required string Log { get; init; }

    public required string Filter { get; init; }

    public string? IgnoreRegex { get; init; }

    public string ConfigDirectory { get; init; } = "/etc/fail2ban";

    public string? DatePattern { get; init; }

    public string? TimeZone { get; init; }

    public string Encoding { get; init; } = "UTF-8";

    public bool Raw { get; init; }

    public string? UseDns { get; init; }

    public int? MaxLines { get; init; }

    public string? JournalMatch { get; init; }

    public int Verbose { get; init; }

    public bool VerboseDate { get; init; }

    public bool CheckAllRegex { get; init; } = true;

    public string? Out { get; init; }

    public bool PrintNoMissed { get; init; }

    public bool PrintNoIgnored { get; init; }

    public bool PrintAllMatched { get; init; }

    public bool PrintAllMissed { get; init; }

    public bool PrintAllIgnored { get; init; }

    public bool Json { get; init; }

    public double? Now { get; init; }

    public bool Journal { get; init; }
}

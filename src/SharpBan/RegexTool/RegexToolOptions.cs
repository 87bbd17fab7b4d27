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

    /// <summary>
    /// Ignored and missed lines are printed when there are fewer than this many (else "too many to print"): fail2ban-regex
    /// takes <c>-L</c> when it is given, else 20.
    /// </summary>
    public int PrintLimit => MaxLines is > 0 and var n ? n : 20;

    public string? JournalMatch { get; init; }

    public int Verbose { get; init; }

    /// <summary><c>-l</c>: fail2ban's numeric level the tool logs at (default CRITICAL).</summary>
    public int LogLevel { get; init; } = 50;

    public bool VerboseDate { get; init; }

    public bool CheckAllRegex { get; init; } = true;

    public string? Out { get; init; }

    public bool PrintNoMissed { get; init; }

    public bool PrintNoIgnored { get; init; }

    public bool PrintAllMatched { get; init; }

    public bool PrintAllMissed { get; init; }

    public bool PrintAllIgnored { get; init; }

    /// <summary><c>-D/--debuggex</c>: a debuggex.com link for each printed line and regex.</summary>
    public bool Debuggex { get; init; }

    /// <summary><c>-t/--log-traceback</c>: an error also prints where it was raised.</summary>
    public bool LogTraceback { get; init; }

    /// <summary><c>--full-traceback</c> (with <c>-t</c>): the whole stack instead of the innermost frame.</summary>
    public bool FullTraceback { get; init; }

    public bool Json { get; init; }

    public double? Now { get; init; }

    public bool Journal { get; init; }
}

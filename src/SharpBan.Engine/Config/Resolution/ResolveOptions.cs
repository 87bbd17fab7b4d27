namespace SharpBan.Engine.Config.Resolution;

/// <summary>How to resolve: one jail only, whether missing log files are tolerated (dump) and global overrides.</summary>
internal sealed record ResolveOptions
{
    /// <summary>The fail2ban version we are compatible with, visible as <c>%(fail2ban_version)s</c>.</summary>
    public const string CompatibleVersion = "1.0.2";

    public string? Jail { get; init; }

    public bool AllowMissingLogs { get; init; }

    public IReadOnlyDictionary<string, string>? GlobalOverrides { get; init; }

    public string Version { get; init; } = CompatibleVersion;
}

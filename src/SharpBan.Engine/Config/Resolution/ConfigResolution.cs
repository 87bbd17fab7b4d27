namespace SharpBan.Engine.Config.Resolution;

/// <summary>The outcome of resolving a configuration directory.</summary>
internal sealed record ConfigResolution(
    IReadOnlyList<IReadOnlyList<object?>> Stream,
    GlobalSettings? Global,
    IReadOnlyList<ConfigDiagnostic> Diagnostics,
    IReadOnlyList<string> Jails)
{
    /// <summary>Per jail, the log files it names that did not exist yet (see <see cref="JailReader.AwaitedLogs"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Path, string Tail)>> AwaitedLogs { get; init; } =
        new Dictionary<string, IReadOnlyList<(string Path, string Tail)>>(StringComparer.Ordinal);

    public bool HasErrors => Diagnostics.Any(static d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>A file could not be read as INI: fail2ban refuses the whole configuration (no stream, no start).</summary>
    public bool HasSyntaxErrors => Diagnostics.Any(static d => d.IsSyntax);
}

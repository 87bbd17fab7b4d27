namespace SharpBan.Engine.Config.Resolution;

/// <summary>The outcome of resolving a configuration directory.</summary>
internal sealed record ConfigResolution(
    IReadOnlyList<IReadOnlyList<object?>> Stream,
    GlobalSettings? Global,
    IReadOnlyList<ConfigDiagnostic> Diagnostics,
    IReadOnlyList<string> Jails)
{
    public bool HasErrors => Diagnostics.Any(static d => d.Severity == DiagnosticSeverity.Error);
}

namespace SharpBan.Engine.Config;

/// <summary>
/// Thrown inside the resolver (cold path) when a value cannot be resolved; caught at the jail boundary
/// and turned into a <see cref="ConfigDiagnostic"/> so one broken jail never takes the others down.
/// </summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(ConfigDiagnostic diagnostic)
        : base(diagnostic.Message) => Diagnostic = diagnostic;

    public ConfigException()
        : this(ConfigDiagnostic.Error("configuration error", SourceLocation.None))
    {
    }

    public ConfigException(string message)
        : this(ConfigDiagnostic.Error(message, SourceLocation.None))
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException) =>
        Diagnostic = ConfigDiagnostic.Error(message, SourceLocation.None);

    public ConfigDiagnostic Diagnostic { get; }
}

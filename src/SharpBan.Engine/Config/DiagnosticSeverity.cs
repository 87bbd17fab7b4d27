namespace SharpBan.Engine.Config;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

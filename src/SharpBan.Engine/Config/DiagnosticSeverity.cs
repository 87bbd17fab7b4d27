namespace SharpBan.Engine.Config;

internal enum DiagnosticSeverity
{
    Warning,
    Error,
}

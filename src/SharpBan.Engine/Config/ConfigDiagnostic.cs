using System.Text;

namespace SharpBan.Engine.Config;

/// <summary>One configuration problem with its location (file, line, section, option) when known.</summary>
internal sealed record ConfigDiagnostic(
    DiagnosticSeverity Severity,
    string Message,
    SourceLocation Location,
    string? Section = null,
    string? Option = null)
{
    public static ConfigDiagnostic Error(string message, SourceLocation location, string? section = null, string? option = null) =>
        new(DiagnosticSeverity.Error, message, location, section, option);

    public static ConfigDiagnostic Warning(string message, SourceLocation location, string? section = null, string? option = null) =>
        new(DiagnosticSeverity.Warning, message, location, section, option);

    /// <summary>A file fail2ban's INI reader refuses (duplicate section or option, a line it cannot parse): it fails the whole configuration.</summary>
    public static ConfigDiagnostic SyntaxError(string message, SourceLocation location, string? section = null, string? option = null) =>
        new(DiagnosticSeverity.Error, message, location, section, option) { IsSyntax = true };

    /// <summary>True for <see cref="SyntaxError"/>s: fail2ban then starts nothing and dumps no stream.</summary>
    public bool IsSyntax { get; init; }

    /// <summary>Renders as <c>file:line: error: [section] option: message</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Location.IsKnown)
        {
            sb.Append(Location.ToString()).Append(": ");
        }

        sb.Append(Severity == DiagnosticSeverity.Error ? "error: " : "warning: ");
        if (Section is not null)
        {
            sb.Append('[').Append(Section).Append("] ");
        }

        if (Option is not null)
        {
            sb.Append(Option).Append(": ");
        }

        sb.Append(Message);
        return sb.ToString();
    }
}

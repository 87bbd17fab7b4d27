using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;

namespace SharpBan.Client;

/// <summary><c>client -t</c>: every problem with file, line, section and option, then a verdict.</summary>
internal static class ConfigTest
{
    public const string Success = "OK: configuration test is successful";
    public const string Failure = "ERROR: test configuration failed";

    /// <param name="systemJournal">
    /// Whether the host keeps a systemd journal (<see cref="Server.JournalFallback.SystemJournalPresent"/>): a jail the
    /// server would then switch to the journal because none of its log files exists is a warning, not an error.
    /// </param>
    public static int Run(string directory, IReadOnlyDictionary<string, string> overrides, TextWriter output, bool systemJournal = false)
    {
        var resolution = ConfigResolver.Resolve(directory, new ResolveOptions { GlobalOverrides = overrides });
        Server.JournalFallback.Apply(resolution, systemJournal, out var switched);
        var diagnostics = resolution.Diagnostics
            .Select(d => d is { Severity: DiagnosticSeverity.Error, Option: "logpath", Section: { } jail } && switched.Contains(jail)
                ? d with { Severity = DiagnosticSeverity.Warning, Message = d.Message + "; the server reads the systemd journal instead (backend auto, the filter's journalmatch)" }
                : d)
            .Concat(resolution.HasSyntaxErrors ? [] : FilterCheck.Run(resolution.Stream))
            .ToList();
        foreach (var diagnostic in diagnostics)
        {
            output.WriteLine(diagnostic.ToString());
        }

        var ok = !diagnostics.Any(static d => d.Severity == DiagnosticSeverity.Error);
        output.WriteLine(ok ? Success : Failure);
        return ok ? 0 : 255; // fail2ban-client's exit code for a failed test
    }
}

using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Engine.Config.Stream;

namespace SharpBan.Client;

/// <summary><c>client -d</c>: the resolved command stream on standard output, problems on standard error.</summary>
internal static class ConfigDump
{
    /// <summary>fail2ban-client's answer when a file it read is not valid INI (exit code 255, nothing dumped).</summary>
    public const string SyntaxFailure = "ERROR: The configuration stream failed because of the invalid syntax.";

    /// <param name="pretty"><c>--dp</c>: each command as indented JSON (fail2ban-client pretty-prints its Python lists).</param>
    public static int Run(string directory, IReadOnlyDictionary<string, string> overrides, TextWriter output, TextWriter error, bool pretty = false)
    {
        var resolution = ConfigResolver.Resolve(directory, new ResolveOptions { AllowMissingLogs = true, GlobalOverrides = overrides });
        foreach (var diagnostic in resolution.Diagnostics)
        {
            error.WriteLine(diagnostic.ToString());
        }

        if (resolution.Global is null)
        {
            // fail2ban-client's words (with its trailing space) and exit code when the directory does not exist
            output.WriteLine(ClientOutput.NoBaseDirectory(directory));
            output.Flush();
            return 255;
        }

        if (resolution.Global.Failure is { } failure)
        {
            output.WriteLine(resolution.Global.FailsEarly ? "ERROR: " + failure.Message : SyntaxFailure);
            output.Flush();
            return 255;
        }

        if (resolution.HasSyntaxErrors)
        {
            output.WriteLine(SyntaxFailure);
            output.Flush();
            return 255;
        }

        if (pretty)
        {
            ConfigStreamJson.WriteIndented(output, resolution.Stream);
        }
        else
        {
            ConfigStreamJson.WriteLines(output, resolution.Stream);
        }

        output.Flush();
        // fail2ban-client -d fails (255) when jails could not be read and none could (its jails reader: some jail good,
        // or no jail wrong); the stream is still printed, with each broken jail as a config-error line
        var good = resolution.Stream.Any(static c => c.Count > 0 && c[0] is "add");
        var broken = resolution.Stream.Any(static c => c.Count > 0 && c[0] is "config-error");
        return broken && !good ? 255 : 0;
    }
}

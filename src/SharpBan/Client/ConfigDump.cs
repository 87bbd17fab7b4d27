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
        // fail2ban-client -d exits 255 when a jail could not be read (unknown filter or action, bad substitution); the
        // stream is still printed, with the broken jail as a config-error line
        return resolution.Global is null ? 1 : resolution.HasErrors ? 255 : 0;
    }
}

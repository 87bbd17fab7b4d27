using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Engine.Config.Stream;

namespace SharpBan.Client;

/// <summary><c>client -d</c>: the resolved command stream on standard output, problems on standard error.</summary>
internal static class ConfigDump
{
    public static int Run(string directory, IReadOnlyDictionary<string, string> overrides, TextWriter output, TextWriter error)
    {
        var resolution = ConfigResolver.Resolve(directory, new ResolveOptions { AllowMissingLogs = true, GlobalOverrides = overrides });
        foreach (var diagnostic in resolution.Diagnostics)
        {
            error.WriteLine(diagnostic.ToString());
        }

        ConfigStreamJson.WriteLines(output, resolution.Stream);
        output.Flush();
        return resolution.Global is null ? 1 : 0;
    }
}

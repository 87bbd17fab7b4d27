using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;

namespace SharpBan.Client;

/// <summary><c>client -t</c>: every problem with file, line, section and option, then a verdict.</summary>
internal static class ConfigTest
{
    public const string Success = "OK: configuration test is successful";
    public const string Failure = "ERROR: test configuration failed";

    public static int Run(string directory, IReadOnlyDictionary<string, string> overrides, TextWriter output)
    {
        var resolution = ConfigResolver.Resolve(directory, new ResolveOptions { GlobalOverrides = overrides });
        foreach (var diagnostic in resolution.Diagnostics)
        {
            output.WriteLine(diagnostic.ToString());
        }

        var ok = !resolution.HasErrors;
        output.WriteLine(ok ? Success : Failure);
        return ok ? 0 : 255; // fail2ban-client's exit code for a failed test
    }
}

using System.Diagnostics;
using System.Text;

namespace SharpBan.Tests.ControlPickle;

/// <summary>The pickle tests' oracle: the real python3 (always installed in CI), one process per batch of cases.</summary>
internal static class Python3
{
    private const string Path = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> on its standard input and returns its
    /// standard output, both UTF-8; throws with its standard error if it fails.</summary>
    public static string Run(string script, string input)
    {
        var utf8 = new UTF8Encoding(false);
        var info = new ProcessStartInfo(Path, ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
            StandardErrorEncoding = utf8,
        };
        using var python = Process.Start(info)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        python.StandardInput.Write(input);
        python.StandardInput.Close();
        python.WaitForExit();
        if (python.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3 exited {python.ExitCode}: {errors.Result}");
        }

        return output.Result;
    }
}

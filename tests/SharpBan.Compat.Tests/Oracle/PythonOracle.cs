using System.Diagnostics;
using System.Text;

namespace SharpBan.Compat.Tests.Oracle;

/// <summary>Runs a Python script under fail2ban's interpreter, one input line in, one output line out (JSON both ways).</summary>
internal static class PythonOracle
{
    /// <summary>The script's output lines, one per input line (checked); its standard error in the failure message.</summary>
    public static List<string> Run(string script, IReadOnlyCollection<string> lines)
    {
        var info = new ProcessStartInfo(OraclePaths.Python, ["-W", "ignore", "-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + OraclePaths.Python);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        foreach (var line in lines)
        {
            process.StandardInput.WriteLine(line);
        }

        process.StandardInput.Close();
        var results = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        process.WaitForExit();
        Assert.True(results.Count == lines.Count, $"{OraclePaths.Python} answered {results.Count} of {lines.Count} lines: {errors.Result}");
        return results;
    }
}

using System.CommandLine;
using System.Diagnostics;
using SharpBan.Compat.Tests.Oracle;

namespace SharpBan.Compat.Tests.RegexTool;

/// <summary>Runs <c>fail2ban-regex</c> and <c>sharpban regex</c> (in process, through the real command line) on the same arguments.</summary>
internal static class RegexToolRun
{
    public static (int Exit, string Output) Reference(IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(OraclePaths.FailRegexBinary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start fail2ban-regex");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    public static (int Exit, string Output) Ours(IReadOnlyList<string> args)
    {
        using var output = new StringWriter();
        var exit = SharpBanCommand.Create().Parse(["regex", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString());
    }

    /// <summary>The output without the run time, which differs from run to run.</summary>
    public static string WithoutTiming(string output) =>
        string.Join('\n', output.Split('\n').Where(static l => !l.StartsWith("[processed in ", StringComparison.Ordinal)));

    public static string? LinesSummary(string output) =>
        output.Split('\n').FirstOrDefault(static l => l.StartsWith("Lines: ", StringComparison.Ordinal));

    /// <summary>The <c>|  N) [hits] regex</c> rows of the Failregex section (not its <c>|-  #) [# of hits]</c> header).</summary>
    public static List<string> FailRegexRows(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, static l => l.StartsWith("Failregex: ", StringComparison.Ordinal));
        return start < 0 ? [] : [.. lines.Skip(start + 1).TakeWhile(static l => l.Length > 0 && l != "`-").Where(static l => l.StartsWith("|  ", StringComparison.Ordinal) && l.Contains(") [", StringComparison.Ordinal))];
    }
}

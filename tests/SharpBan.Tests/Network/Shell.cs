using System.Diagnostics;

namespace SharpBan.Tests.Network;

/// <summary>Runs test-side commands (ip, nft, nc, …) with an argument list, never through a shell.</summary>
internal static class Shell
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static (int Exit, string Out, string Err) Run(string file, IEnumerable<string> args, string? stdin = null,
        TimeSpan? timeout = null)
    {
        using var process = Start(file, args, redirectInput: stdin is not null);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs and throws with the command's stderr unless it exits 0; returns stdout.</summary>
    public static string Check(string file, params string[] args)
    {
        var (exit, output, error) = Run(file, args);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {exit}: {error.Trim()}");
        }

        return output;
    }

    public static Process Start(string file, IEnumerable<string> args, bool redirectInput = false)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
    }
}

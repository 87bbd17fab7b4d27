using System.Diagnostics;
using System.Text;
using SharpBan.Control;

namespace SharpBan.Server;

/// <summary>
/// Starts the daemon detached (<c>sharpban server</c> without <c>-f</c>, <c>sharpban client start</c>): re-executes
/// this program with <c>server -f</c> in a new session (setsid), then waits until the socket answers. Until then its
/// standard error is read, so that a server that ends at start (a socket, pid file or configuration it refuses) is
/// reported at once with its own words; once it answers, its standard streams are closed.
/// </summary>
internal static class DaemonLauncher
{
    /// <summary>The most of the server's standard error kept for the report of a failed start.</summary>
    private const int MaxErrorText = 16 * 1024;

    /// <summary>Null when the server answers; else why not (its exit status and what it wrote to standard error, or the timeout).</summary>
    public static async Task<string?> StartAsync(ServerOptions options, string socket, TimeSpan timeout)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the sharpban executable");
        var args = options.ToArguments();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // run as `dotnet sharpban.dll` (never under NativeAOT, where Assembly.Location is empty)
            args.Insert(0, Path.Join(AppContext.BaseDirectory, typeof(DaemonLauncher).Assembly.GetName().Name + ".dll"));
        }

        var useSetsid = File.Exists("/usr/bin/setsid");
        var psi = new ProcessStartInfo(useSetsid ? "/usr/bin/setsid" : self)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (useSetsid)
        {
            psi.ArgumentList.Add(self);
        }

        psi.Environment[DaemonService.DetachedVariable] = "1"; // the server says "Daemon started", as fail2ban's detached one

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("the server could not be started");
        process.StandardInput.Close();
        process.StandardOutput.Close();
        var errors = new StringBuilder();
        var collecting = CollectAsync(process.StandardError, errors);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (await ControlClient.PingAsync(socket, TimeSpan.FromSeconds(1)).ConfigureAwait(false))
            {
                process.StandardError.Close();
                return null;
            }

            // an exit with status 0 is setsid having forked after all, the server running on as its child: the ping decides
            if (process.HasExited && process.ExitCode != 0)
            {
                await collecting.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                lock (errors)
                {
                    var said = errors.ToString().Trim();
                    return $"the server exited with status {process.ExitCode}" + (said.Length > 0 ? ":\n" + said : "");
                }
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        process.StandardError.Close();
        return $"it did not answer within {timeout.TotalSeconds:0} seconds";
    }

    /// <summary>Keeps the first <see cref="MaxErrorText"/> characters the server writes to standard error, until the pipe closes.</summary>
    private static async Task CollectAsync(StreamReader reader, StringBuilder errors)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (errors)
                {
                    if (errors.Length < MaxErrorText)
                    {
                        errors.AppendLine(line);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // deliberate: the pipe was closed once the server answered
        }
    }
}

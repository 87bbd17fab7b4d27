using System.Diagnostics;
using SharpBan.Control;

namespace SharpBan.Server;

/// <summary>
/// Starts the daemon detached (<c>sharpban server</c> without <c>-f</c>, <c>sharpban client start</c>): re-executes
/// this program with <c>server -f</c> in a new session (setsid) with standard streams closed, then waits until the
/// socket answers.
/// </summary>
internal static class DaemonLauncher
{
    public static async Task<bool> StartAsync(ServerOptions options, string socket, TimeSpan timeout)
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
        process.StandardError.Close();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (await ControlClient.PingAsync(socket, TimeSpan.FromSeconds(1)).ConfigureAwait(false))
            {
                return true;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return false;
    }
}

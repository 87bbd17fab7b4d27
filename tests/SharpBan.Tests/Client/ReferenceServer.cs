using System.Diagnostics;
using SharpBan.Tests.Server;

namespace SharpBan.Tests.Client;

/// <summary>fail2ban 1.0.2 in the foreground (<c>fail2ban-client -f start</c>), killed by pid on dispose.</summary>
internal sealed class ReferenceServer : IAsyncDisposable
{
    private readonly Process _process;

    private ReferenceServer(string dir, Process process)
    {
        Dir = dir;
        _process = process;
    }

    public string Dir { get; }

    /// <remarks><paramref name="prepare"/> may add files to the configuration directory before the server starts.</remarks>
    public static async Task<ReferenceServer> StartAsync(string jailLocal, Action<string>? prepare = null)
    {
        var dir = Directory.CreateTempSubdirectory("sharpban-f2b-").FullName;
        TestDaemon.CopyDirectory("/etc/fail2ban", dir);
        File.WriteAllText(Path.Join(dir, "fail2ban.local"), $"""
            [Definition]
            logtarget = {Path.Join(dir, "sharpban.log")}
            socket = {Path.Join(dir, "s.sock")}
            pidfile = {Path.Join(dir, "s.pid")}
            dbfile = {Path.Join(dir, "db.sqlite3")}
            """);
        File.WriteAllText(Path.Join(dir, "jail.local"), jailLocal.Replace("$DIR", dir, StringComparison.Ordinal));
        File.WriteAllText(Path.Join(dir, "auth.log"), "");
        File.WriteAllText(Path.Join(dir, "web.log"), "");
        File.WriteAllText(Path.Join(dir, "test.log"), "");
        prepare?.Invoke(dir);
        var psi = new ProcessStartInfo("/usr/bin/fail2ban-client") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", dir, "-x", "-f", "start" })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ReferenceServer(dir, process);
        await TestDaemon.WaitUntilAsync(() => server.ClientAsync(["ping"]).GetAwaiter().GetResult().Code == 0, "fail2ban answers ping", 60);
        return server;
    }

    public async Task<(int Code, string Output)> ClientAsync(string[] words)
    {
        var psi = new ProcessStartInfo("/usr/bin/fail2ban-client") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", Dir }.Concat(words))
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await stderr;
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }
}

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

    /// <remarks><paramref name="prepare"/> may add files to the configuration directory before the server starts;
    /// <paramref name="networkNamespace"/>: run it there (<c>ip netns exec</c>), null: in the test's own.</remarks>
    public static async Task<ReferenceServer> StartAsync(string jailLocal, Action<string>? prepare = null, string? networkNamespace = null)
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
        var psi = new ProcessStartInfo(networkNamespace is null ? "/usr/bin/fail2ban-client" : "ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] prefix = networkNamespace is null ? [] : ["netns", "exec", networkNamespace, "/usr/bin/fail2ban-client"];
        foreach (var a in prefix.Concat(["-c", dir, "-x", "-f", "start"]))
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

    /// <summary>
    /// Whether the reference fail2ban is installed; an assertion failure when it is not and CI requires it
    /// (<c>SHARPBAN_REQUIRE_ORACLE=1</c>, set by <c>.ci/run</c>).
    /// </summary>
    public static bool Available()
    {
        var installed = File.Exists("/usr/bin/fail2ban-client") && Directory.Exists("/etc/fail2ban");
        Assert.True(installed || Environment.GetEnvironmentVariable("SHARPBAN_REQUIRE_ORACLE") != "1", "fail2ban is not installed");
        return installed;
    }

    /// <summary>
    /// A recorder action's output file once it has at least <paramref name="minimumLines"/> lines and stayed the same for
    /// <paramref name="quietSeconds"/> (the server's queued commands have run); what it has after a minute otherwise.
    /// </summary>
    public static async Task<List<string>> SettledLinesAsync(string path, int minimumLines = 0, double quietSeconds = 1)
    {
        var last = "";
        var since = DateTime.UtcNow;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
            if (text != last)
            {
                (last, since) = (text, DateTime.UtcNow);
            }
            else if (DateTime.UtcNow - since > TimeSpan.FromSeconds(quietSeconds) && text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= minimumLines)
            {
                break;
            }

            await Task.Delay(100);
        }

        return [.. last.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    public async Task<(int Code, string Output)> ClientAsync(string[] words)
    {
        var (code, output, _) = await ClientSplitAsync(words);
        return (code, output);
    }

    /// <summary>fail2ban-client's exit code, standard output and standard error (its log lines).</summary>
    public Task<(int Code, string Output, string Error)> ClientSplitAsync(string[] words) => RunClientAsync(Dir, words);

    /// <summary>
    /// fail2ban-client with the configuration directory <paramref name="dir"/> (whose socket it talks to: also a
    /// <c>sharpban server</c>'s, which speaks fail2ban's protocol too).
    /// </summary>
    public static async Task<(int Code, string Output, string Error)> RunClientAsync(string dir, string[] words)
    {
        var psi = new ProcessStartInfo("/usr/bin/fail2ban-client") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", dir }.Concat(words))
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var error = await stderr;
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout, error);
    }

    public ValueTask DisposeAsync() => Support.HelperServer.StopAsync(_process, Dir);
}

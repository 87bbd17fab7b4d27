using System.Diagnostics;
using System.Globalization;
using System.Text;
using SharpBan.Client;

namespace SharpBan.Tests.Server;

/// <summary>
/// A real <c>sharpban server -f</c> process in a temporary directory (own socket, SQLite file, log, dummy action
/// target). Killed by pid and the directory deleted on dispose, also when a test fails.
/// </summary>
internal sealed class TestDaemon : IAsyncDisposable
{
    private Process? _process;

    /// <summary>The plainest jail: sshd reading <c>$DIR/auth.log</c> by polling, banning into the dummy file.</summary>
    public const string PollingJail = """
        [sshd]
        enabled = true
        backend = polling
        logpath = $DIR/auth.log
        action = dummy[target="$DIR/dummy.out"]
        """;

    /// <summary>The daemons of running tests, whose logs' last lines a wait that times out shows.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<TestDaemon, byte> Live = new();

    private TestDaemon(string dir)
    {
        Dir = dir;
        Live[this] = 0;
    }

    public string Dir { get; }

    /// <summary>Extra environment of the server process (e.g. a PATH with stub programs or a fake <c>nft</c> first).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The server's process id while it runs.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("server not started");

    public string AuthLog => Path.Join(Dir, "auth.log");

    public string DummyFile => Path.Join(Dir, "dummy.out");

    public string LogFile => Path.Join(Dir, "sharpban.log");

    public string Socket => Path.Join(Dir, "s.sock");

    /// <summary>A network namespace to run the server in (<c>ip netns exec</c>); null: the test's own.</summary>
    public string? NetworkNamespace { get; set; }

    /// <summary>A command the server is started through (e.g. <c>unshare -m sh -c '…' …</c>), which must exec it.</summary>
    public IReadOnlyList<string> Wrapper { get; set; } = [];

    /// <summary>The SQLite file the default <c>fail2ban.local</c> names.</summary>
    public string Database => Path.Join(Dir, "db.sqlite3");

    public static string ShippedConfig()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Join(dir.FullName, "config", "jail.conf")))
        {
            dir = dir.Parent;
        }

        return Path.Join(dir?.FullName ?? throw new InvalidOperationException("shipped config not found"), "config");
    }

    /// <summary>Creates the directory with the shipped config plus <paramref name="jailLocal"/> and starts the server.</summary>
    /// <remarks><paramref name="configSource"/>: another configuration to copy instead (e.g. /etc/fail2ban).</remarks>
    public static async Task<TestDaemon> StartAsync(string jailLocal, bool start = true, string? configSource = null)
    {
        var dir = Directory.CreateTempSubdirectory("sharpban-test-").FullName;
        var daemon = new TestDaemon(dir);
        CopyDirectory(configSource ?? ShippedConfig(), dir);
        File.WriteAllText(Path.Join(dir, "fail2ban.local"), $"""
            [Definition]
            logtarget = {daemon.LogFile}
            socket = {daemon.Socket}
            pidfile = {Path.Join(dir, "s.pid")}
            dbfile = {Path.Join(dir, "db.sqlite3")}
            """);
        File.WriteAllText(Path.Join(dir, "jail.local"), jailLocal.Replace("$DIR", dir, StringComparison.Ordinal));
        File.WriteAllText(daemon.AuthLog, "");
        if (start)
        {
            await daemon.StartServerAsync();
        }

        return daemon;
    }

    /// <summary>How to run this build's <c>sharpban</c> with <paramref name="args"/>, its standard streams read by the test.</summary>
    public static ProcessStartInfo Sharpban(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Join(AppContext.BaseDirectory, "sharpban.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    public async Task StartServerAsync()
    {
        var psi = new ProcessStartInfo(NetworkNamespace is null ? "dotnet" : "ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        string[] prefix = NetworkNamespace is null ? [] : ["netns", "exec", NetworkNamespace, "dotnet"];
        if (Wrapper.Count > 0)
        {
            psi.FileName = Wrapper[0];
            prefix = [.. Wrapper.Skip(1), "dotnet"];
        }

        foreach (var a in prefix.Concat([Path.Join(AppContext.BaseDirectory, "sharpban.dll"), "server", "-f", "-x", "-c", Dir]))
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (key, value) in Environment)
        {
            psi.Environment[key] = value;
        }

        _process = Process.Start(psi)!;
        var output = new StringBuilder();
        void Keep(string? line)
        {
            lock (output)
            {
                if (line is not null && output.Length < 20_000)
                {
                    output.AppendLine(line);
                }
            }
        }

        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var started = _process;
        try
        {
            // generous: on a loaded 2-core CI machine with parallel test classes a start has taken over 15 s
            await WaitUntilAsync(() => started.HasExited || Control.ControlClient.PingAsync(Socket, TimeSpan.FromSeconds(1)).GetAwaiter().GetResult(), "server answers ping", 45);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nserver output:\n{Output()}\nlog:\n{Tail(Log())}", e);
        }

        if (started.HasExited)
        {
            throw new InvalidOperationException($"the server exited with code {started.ExitCode} before answering ping\nserver output:\n{Output()}\nlog:\n{Tail(Log())}");
        }

        string Output()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
    }

    public async Task StopServerAsync()
    {
        await ClientAsync("stop");
        await WaitUntilAsync(() => _process!.HasExited, "server exits", 45); // a hang guard: a loaded machine can stretch a stop
    }

    /// <summary>SIGKILL to the server process (no shutdown code runs), then waits for it to be gone.</summary>
    public async Task KillServerAsync()
    {
        _process!.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public void Append(params string[] lines) => File.AppendAllLines(AuthLog, lines);

    /// <summary>
    /// The time at the start of the first line of a daemon's <paramref name="log"/> that holds <paramref name="message"/>:
    /// durations read from the daemon's own clock, which a stalled test host does not stretch.
    /// </summary>
    public static DateTime LogTime(string log, string message)
    {
        var line = log.Split('\n').First(l => l.Contains(message, StringComparison.Ordinal));
        return DateTime.ParseExact(line[..23], "yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture);
    }

    public static string Sshd(string message, int pid = 4242) =>
        DateTimeOffset.Now.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture) + $" host sshd[{pid}]: " + message;

    public static string FailedPassword(string ip, string user = "root", int pid = 4242) => Sshd($"Failed password for {user} from {ip} port 22 ssh2", pid);

    /// <summary>Runs a client command in-process against the server; returns exit code and standard output.</summary>
    public async Task<(int Code, string Output)> ClientAsync(params string[] words) => await ClientAsync(false, words);

    public async Task<(int Code, string Output)> ClientAsync(bool json, params string[] words)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ServerControl.RunAsync(Dir, Socket, Path.Join(Dir, "s.pid"), json, words, output, error);
        return (code, (output.ToString() + error.ToString()).TrimEnd('\n'));
    }

    /// <summary>Like <see cref="ClientAsync(string[])"/>, standard output and standard error kept apart.</summary>
    public async Task<(int Code, string Output, string Error)> ClientSplitAsync(params string[] words)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ServerControl.RunAsync(Dir, Socket, Path.Join(Dir, "s.pid"), false, words, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public string Dummy() => File.Exists(DummyFile) ? File.ReadAllText(DummyFile) : "";

    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    public async Task<int> TotalFailedAsync(string jail = "sshd")
    {
        var (_, json) = await ClientAsync(true, "status", jail);
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        return node["Filter"]!["Total failed"]!.GetValue<int>();
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, double seconds = 15)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed.TotalSeconds > seconds)
            {
                throw new TimeoutException($"timed out waiting for: {what}" + LiveLogTails());
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The last lines of every running test daemon's log (tests run in parallel: the failing one is among them).</summary>
    private static string LiveLogTails()
    {
        var text = new StringBuilder();
        foreach (var d in Live.Keys)
        {
            var lines = d.Log().Split('\n');
            text.Append($"\n--- last log lines of the daemon in {d.Dir}:\n").AppendJoin('\n', lines.TakeLast(40));
        }

        return text.ToString();
    }

    public async Task WaitForFailedAsync(int count, string jail = "sshd") =>
        await WaitUntilAsync(() => TotalFailedAsync(jail).GetAwaiter().GetResult() >= count, $"{count} failures counted in {jail}");

    public async ValueTask DisposeAsync()
    {
        Live.TryRemove(this, out _);
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory left behind is harmless
        }
    }

    /// <summary>Copies a configuration tree (also used for the reference fail2ban's copy).</summary>
    internal static void CopyDirectory(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Join(to, Path.GetRelativePath(from, d)));
        }

        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(f, Path.Join(to, Path.GetRelativePath(from, f)), overwrite: true);
        }
    }
}

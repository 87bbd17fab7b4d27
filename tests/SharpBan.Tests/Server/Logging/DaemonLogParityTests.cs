using System.Text.RegularExpressions;
using SharpBan.Tests.Client;
using Xunit.Abstractions;

namespace SharpBan.Tests.Server.Logging;

/// <summary>
/// The daemon's own log, line for line as fail2ban 1.0.2 writes it for the same configuration and log: start-up
/// (database, each jail's creation, backend and options), failures and bans, and the shut-down (log files removed,
/// flush before the unbans, database closed). Scripts and monitors that read fail2ban.log see the same lines.
/// </summary>
public sealed partial class DaemonLogParityTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _logDir = Directory.CreateTempSubdirectory("sharpban-logparity-").FullName;

    public void Dispose() => Directory.Delete(_logDir, recursive: true);

    [Fact]
    public async Task StartBanStop_SameLinesAsFail2ban()
    {
        if (!ReferenceServer.Available())
        {
            return;
        }

        var log = Path.Join(_logDir, "auth.log");
        var other = Path.Join(_logDir, "other.log");
        File.WriteAllText(log, "");
        File.WriteAllText(other, "");
        var jailLocal = $"""
            [sshd]
            enabled = true
            backend = polling
            logpath = {log}
            action = dummy

            [other]
            enabled = true
            filter = sshd[mode=aggressive]
            backend = auto
            logpath = {other}
            maxretry = 2
            findtime = 1h
            bantime = 20m
            bantime.increment = true
            bantime.maxtime = 2d
            maxlines = 3
            logencoding = utf-8
            action = dummy
            """;
        var theirs = await RunAsync(await ReferenceServer.StartAsync(jailLocal), s => s.ClientAsync(["stop"]), s => Path.Join(s.Dir, "sharpban.log"), log);
        File.WriteAllText(log, "");
        var d = await TestDaemon.StartAsync(jailLocal, configSource: "/etc/fail2ban");
        var ours = await RunAsync(d, async s => await s.ClientAsync("stop"), s => s.LogFile, log);
        output.WriteLine(string.Join('\n', theirs));
        output.WriteLine("--- ours:");
        output.WriteLine(string.Join('\n', ours));
        Assert.Contains(ours, l => l.Contains("Creating new jail 'other'", StringComparison.Ordinal));
        Assert.Contains(ours, l => l.Contains("Flush ticket(s) with dummy", StringComparison.Ordinal));
        // fail2ban opens a file (and logs "Added logfile") when the stream adds it to a jail, SharpBan when the jail
        // starts: with several jails the line comes later, with the same text (docs/compatibility.md)
        static bool Added(string l) => l.Contains("Added logfile: ", StringComparison.Ordinal);
        Assert.Equal(theirs.Where(Added).Order(StringComparer.Ordinal), ours.Where(Added).Order(StringComparer.Ordinal));
        Assert.Equal(theirs.Where(l => !Added(l)), ours.Where(l => !Added(l)));
    }

    /// <summary>Feeds five failures, waits for the ban, stops the server; its log without times, pids and its directory.</summary>
    private async Task<List<string>> RunAsync<T>(T server, Func<T, Task> stop, Func<T, string> logFile, string authLog)
        where T : IAsyncDisposable
    {
        await using (server)
        {
            var file = logFile(server);
            await TestDaemon.WaitUntilAsync(() => File.Exists(file) && File.ReadAllText(file).Contains("Jail 'other' started", StringComparison.Ordinal), "both jails started", 30);
            var now = DateTime.Now;
            File.AppendAllLines(authLog, Enumerable.Range(1, 5).Select(i =>
                $"{now:MMM} {now.Day,2} {now:HH:mm:ss} host sshd[{100 + i}]: Failed password for root from 192.0.2.9 port {40000 + i} ssh2"));
            await TestDaemon.WaitUntilAsync(() => File.ReadAllText(file).Contains("[sshd] Ban 192.0.2.9", StringComparison.Ordinal), "the ban", 30);
            await stop(server);
            await TestDaemon.WaitUntilAsync(() => File.ReadAllText(file).Contains("Exiting", StringComparison.Ordinal), "the server exits", 30);
            var dir = Path.GetDirectoryName(file)!;
            return [.. File.ReadAllLines(file)
                .Select(l => Stamp().Replace(l, "").Replace(dir, "$DIR", StringComparison.Ordinal))
                .Where(l => !l.StartsWith("fail2ban.observer", StringComparison.Ordinal) && !l.Contains("syslogsocket", StringComparison.Ordinal))
                .Select(l => Version().Replace(l, "$1"))
                .Select(l => FoundTime().Replace(l, " - TIME"))];
        }
    }

    /// <summary>The time and the pid: <c>2026-11-26 18:50:25,123 fail2ban.server         [4242]: </c>.</summary>
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} |\[\d+\]")]
    private static partial Regex Stamp();

    /// <summary>The time of a failure (each server reads its own copy of the lines, written a moment apart).</summary>
    [GeneratedRegex(@" - \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")]
    private static partial Regex FoundTime();

    /// <summary>The program's name and version in the first and the last line.</summary>
    [GeneratedRegex(@"(Starting|Exiting) (?:Fail2ban v1\.0\.2|SharpBan v\S+ \(fail2ban 1\.0\.2\)|Fail2ban|SharpBan)$")]
    private static partial Regex Version();
}

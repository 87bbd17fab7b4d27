using System.Text.RegularExpressions;
using SharpBan.Tests.Client;
using Xunit.Abstractions;

namespace SharpBan.Tests.Server.Logging;

/// <summary>
/// The daemon's own log, line for line as fail2ban 1.0.2 writes it for the same configuration and input: start-up
/// (database, each jail's creation, backend and options), failures and bans, an increased ban, a journal jail, and the
/// shut-down (log files removed, flush before the unbans, database closed). Scripts and monitors that read
/// fail2ban.log see the same lines.
/// </summary>
public sealed partial class DaemonLogParityTests(ITestOutputHelper output) : IDisposable
{
    private const string Address = "192.0.2.9";
    private readonly string _logDir = Directory.CreateTempSubdirectory("sharpban-logparity-").FullName;

    public void Dispose() => Directory.Delete(_logDir, recursive: true);

    private string AuthLog => Path.Join(_logDir, "auth.log");

    private string OtherLog => Path.Join(_logDir, "other.log");

    /// <summary>Two file jails (polling and auto, options of every kind); five failures ban in the first.</summary>
    [Fact]
    public async Task StartBanStop_SameLinesAsFail2ban()
    {
        var (theirs, ours) = await BothAsync(TwoJails, "Jail 'other' started", async (_, waitFor) =>
        {
            Failures(AuthLog, 1, "192.0.2.100");
            await waitFor("[sshd] Ignore 192.0.2.100 by ip", 1);
            Failures(AuthLog, 5);
            await waitFor($"[sshd] Ban {Address}", 1);
        });
        Assert.Contains(ours, l => l.Contains("Creating new jail 'other'", StringComparison.Ordinal));
        Assert.Contains(ours, l => l.Contains("Flush ticket(s) with dummy", StringComparison.Ordinal));
        AssertSameLines(theirs, ours);
    }

    /// <summary>A log rotated the way logrotate does by default (renamed, a new file created): the failures in both files,
    /// the rotation itself said only at fail2ban's MSG level (below INFO).</summary>
    [Fact]
    public async Task RotatedLog_SameLinesAsFail2ban()
    {
        var (theirs, ours) = await BothAsync(TwoJails, "Jail 'other' started", async (_, waitFor) =>
        {
            Failures(AuthLog, 2);
            await waitFor($"[sshd] Found {Address}", 2);
            File.Move(AuthLog, AuthLog + ".1", overwrite: true);
            File.WriteAllText(AuthLog, "");
            await Task.Delay(1500); // each server sees the new, empty file before its lines
            Failures(AuthLog, 3);
            await waitFor($"[sshd] Ban {Address}", 1);
        });
        Assert.DoesNotContain(ours, l => l.Contains("rotation", StringComparison.Ordinal));
        AssertSameLines(theirs, ours);
    }

    /// <summary>bantime.increment: banned, the ban ends, banned again for longer.</summary>
    [Fact]
    public async Task IncreasedBan_SameLinesAsFail2ban()
    {
        var jailLocal = $"""
            [sshd]
            enabled = false

            [other]
            enabled = true
            filter = sshd
            backend = polling
            logpath = {OtherLog}
            maxretry = 2
            bantime = 3
            bantime.increment = true
            action = dummy
            """;
        var (theirs, ours) = await BothAsync(jailLocal, "Jail 'other' started", async (_, waitFor) =>
        {
            Failures(OtherLog, 2);
            await waitFor($"[other] Ban {Address}", 1);
            await waitFor($"[other] Unban {Address}", 1);
            await Task.Delay(1100); // later failures than the first ban
            Failures(OtherLog, 2);
            await waitFor($"[other] Ban {Address}", 2);
        });
        Assert.Contains(ours, l => l.Contains($"[other] Found {Address}, bad - TIME, 1 # -> 2.0, Ban", StringComparison.Ordinal));
        Assert.Contains(ours, l => l.Contains($"[other] IP {Address} is bad: 1 # last TIME - incr 3s to 6s", StringComparison.Ordinal));
        Assert.Contains(ours, l => l.Contains($"[other] Increase Ban {Address} (2 # 6s -> TIME)", StringComparison.Ordinal));

        // fail2ban's observer is a thread of its own: its lines (and its second "Found …, bad" for the next failure)
        // come later than SharpBan's, which counts the known bad address as the failure arrives
        Assert.Equal(theirs.Distinct().Order(StringComparer.Ordinal), ours.Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>A journal jail (journal files of the test's, written by systemd-journal-remote): its backend line, its
    /// journal match, an entry from before the start, "in operation", the ban.</summary>
    [Fact]
    public async Task JournalJail_SameLinesAsFail2ban()
    {
        var dir = Path.Join(_logDir, "journal");
        var journal = Path.Join(dir, "remote.journal");
        var jailLocal = $"""
            [sshd]
            enabled = true
            backend = systemd[journalpath={dir}]
            action = dummy
            """;
        void Entries(int count) => JournalFile.Append(journal, [.. Enumerable.Range(0, count).Select(_ => JournalFile.Sshd($"Failed password for root from {Address} port 22 ssh2"))]);
        var (theirs, ours) = await BothAsync(jailLocal, "Jail is in operation now", async (_, waitFor) =>
        {
            Entries(4);
            await waitFor($"[sshd] Ban {Address}", 1);
        }, () =>
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            Directory.CreateDirectory(dir);
            Entries(1); // read while catching up, before "in operation"
            Thread.Sleep(2000); // older than a second when the server starts: not taken for a new entry
        });
        Assert.Contains(ours, l => l.Contains("Added journal match for: ", StringComparison.Ordinal));

        // fail2ban's journal thread may read (and log) before its main thread says the jail started
        static bool Started(string l) => l.Contains("Jail 'sshd' started", StringComparison.Ordinal);
        Assert.Single(ours, Started);
        Assert.Single(theirs, Started);
        Assert.Equal(theirs.Where(l => !Started(l)), ours.Where(l => !Started(l)));
    }

    /// <summary>
    /// fail2ban's warnings about dates, each once: an old failure ignored while the log is read at the start, a
    /// failure two hours old in operation (a time zone problem: counted as now), a second one (no second warning), and a
    /// failure without a date. These are what tells a user why failures do not count as expected.
    /// </summary>
    [Fact]
    public async Task OddDates_SameWarningsAsFail2ban()
    {
        var jailLocal = SshdJail("dummy");
        var (theirs, ours) = await BothAsync(jailLocal, "Jail 'sshd' started", async (_, waitFor) =>
        {
            await waitFor("Ignoring all log entries older than", 1);
            Failures(AuthLog, 1, at: DateTime.Now.AddHours(-2));
            await waitFor($"[sshd] Found {Address}", 2);
            Failures(AuthLog, 1, at: DateTime.Now.AddHours(-2));
            await waitFor($"[sshd] Found {Address}", 3);
            File.AppendAllLines(AuthLog, [$"host sshd[99]: Failed password for root from {Address} port 40099 ssh2"]);
            await waitFor($"[sshd] Found {Address}", 4);
        }, reset: () =>
        {
            // the start seeks to now - findtime, so only an old line after a recent one is read (and ignored)
            File.WriteAllText(AuthLog, "");
            Failures(AuthLog, 1, at: DateTime.Now.AddMinutes(-5));
            Failures(AuthLog, 1, at: DateTime.Now.AddDays(-2));
        });
        Assert.Contains(ours, l => l.EndsWith("WARNING [sshd] Ignoring all log entries older than 600s; these are probably messages generated while fail2ban was not running.", StringComparison.Ordinal));
        Assert.Contains(ours, l => l.EndsWith("WARNING [sshd] Detected a log entry 2h before the current time in operation mode. This looks like a timezone problem. Treating such entries as if they just happened.", StringComparison.Ordinal));
        Assert.Contains(ours, l => l.Contains("WARNING [sshd] Match without a timestamp: ", StringComparison.Ordinal));
        Assert.Equal(2, ours.Count(l => l.Contains("Please check a jail for a timing issue", StringComparison.Ordinal)));

        // the log's first line (dated when each server's copy was written) gives "Added logfile" its hash
        static List<string> WithoutHash(List<string> lines) => [.. lines.Select(static l => FirstLineHash().Replace(l, "hash = HASH)"))];
        AssertSameLines(WithoutHash(theirs), WithoutHash(ours));
    }

    /// <summary>
    /// What fail2ban says of a jail's odd settings: a name of 26 characters or more (its actions' chain names), before
    /// the jail is created; an unknown <c>usedns</c> (taken as "no").
    /// </summary>
    [Fact]
    public async Task OddJailSettings_SameMessagesAsFail2ban()
    {
        const string name = "sshd-of-the-backup-servers"; // 26
        var jailLocal = $"""
            [sshd]
            enabled = false

            [{name}]
            enabled = true
            filter = sshd
            backend = polling
            logpath = {AuthLog}
            usedns = Sometimes
            action = dummy
            """;
        var (theirs, ours) = await BothAsync(jailLocal, $"Jail '{name}' started", (_, _) => Task.CompletedTask);
        Assert.Contains(ours, static l => l.EndsWith($"WARNING Jail name '{name}' might be too long and some commands might not function correctly. Please shorten", StringComparison.Ordinal));
        Assert.Contains(ours, static l => l.EndsWith("ERROR   Incorrect value 'sometimes' specified for usedns. Using safe 'no'", StringComparison.Ordinal));
        Assert.Equal(theirs, ours);
    }

    /// <summary>
    /// Commands that fail (output on both streams, an exit code, a signal): fail2ban.utils' lines with the output line by
    /// line, then the operation's failure in fail2ban.actions. Differences: the command ids (Python object addresses),
    /// standard error shown as stdout (the shell worker merges the streams), the ActionInfo without its functions.
    /// </summary>
    [Fact]
    public async Task FailingAction_SameLinesAsFail2ban()
    {
        var jailLocal = SshdJail("failing");
        static void Prepare(string dir) => File.WriteAllText(Path.Join(dir, "action.d", "failing.conf"), """
            [Definition]
            actionstart = echo start-out; exit 2
            actionstop = exit 4
            actioncheck =
            actionban = if [ "<ip>" = "192.0.2.7" ]; then echo ban-out; echo "ban-err 'quoted'" >&2; exit 3; fi
            actionunban = printf "u1\nu2\n" >&2; exit 130
            """);
        var (theirs, ours) = await BothAsync(jailLocal, "Jail 'sshd' started", async (client, waitFor) =>
        {
            await client(["set", "sshd", "banip", "192.0.2.7"]);
            await waitFor("Error banning 192.0.2.7", 1);
            await client(["set", "sshd", "banip", "192.0.2.8"]);
            await client(["set", "sshd", "unbanip", "192.0.2.8"]);
            await waitFor("Error unbanning 192.0.2.8", 1);
        }, prepare: Prepare);
        Assert.Contains(ours, l => l.EndsWith("ID -- stdout: 'ban-out'", StringComparison.Ordinal));
        Assert.Contains(ours, l => l.EndsWith("ID -- killed with SIGINT (return code: 130)", StringComparison.Ordinal));
        Assert.Contains(ours, l => l.EndsWith("Failed to stop jail 'sshd' action 'failing': Error stopping action Jail('sshd')/failing: 'Script error'", StringComparison.Ordinal));
        AssertSameLines([.. theirs.Select(l => ActionInfoFunctions().Replace(l.Replace("-- stderr: ", "-- stdout: ", StringComparison.Ordinal), ""))], ours);
    }

    /// <summary>
    /// <c>client start</c> detaches the server, which says "Daemon started" after its first lines as fail2ban's does;
    /// the marker that tells it so is not handed on to action commands.
    /// </summary>
    [Fact]
    public async Task ClientStart_DetachedServerSaysDaemonStarted()
    {
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = envdump
            """, start: false);
        var env = Path.Join(d.Dir, "env.out");
        File.WriteAllText(Path.Join(d.Dir, "action.d", "envdump.conf"), $"""
            [Definition]
            actionstart = env > {env}
            actionstop =
            actionban =
            actionunban =
            """);
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Join(AppContext.BaseDirectory, "sharpban.dll"), "client", "-c", d.Dir, "start" })
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using (var client = System.Diagnostics.Process.Start(psi)!)
            {
                var stdout = await client.StandardOutput.ReadToEndAsync();
                await client.WaitForExitAsync();
                Assert.True(client.ExitCode == 0, stdout + await client.StandardError.ReadToEndAsync());
            }

            await TestDaemon.WaitUntilAsync(() => File.Exists(env), "the action started");
            var lines = File.ReadAllLines(d.LogFile).Select(l => Stamp().Replace(l, "")).ToList();
            Assert.Equal("fail2ban.server         : INFO    Daemon started", lines[2]);
            Assert.DoesNotContain("SHARPBAN_DETACHED", File.ReadAllText(env), StringComparison.Ordinal);
            Assert.Equal(0, (await d.ClientAsync("stop")).Code);
        }
        finally
        {
            var pidFile = Path.Join(d.Dir, "s.pid");
            if (File.Exists(pidFile) && int.TryParse(ReadShared(pidFile).Trim(), out var pid))
            {
                try
                {
                    using var server = System.Diagnostics.Process.GetProcessById(pid);
                    if (server.ProcessName is "dotnet" or "sharpban")
                    {
                        server.Kill(entireProcessTree: true); // still running: the test failed before its stop
                    }
                }
                catch (ArgumentException)
                {
                    // gone
                }
            }
        }
    }

    /// <summary>The server's pid file, which it holds locked (.NET refuses to open it here; cat does not care).</summary>
    private static string ReadShared(string path) => Network.Shell.Run("cat", [path]).Out;

    /// <summary>The sshd jail on the test's log, polled, with <paramref name="action"/>.</summary>
    private string SshdJail(string action) => $"""
        [sshd]
        enabled = true
        backend = polling
        logpath = {AuthLog}
        action = {action}
        """;

    private string TwoJails => $"""
        [sshd]
        enabled = true
        backend = polling
        logpath = {AuthLog}
        ignoreip = 192.0.2.100
        action = dummy

        [other]
        enabled = true
        filter = sshd[mode=aggressive]
        backend = auto
        logpath = {OtherLog}
        maxretry = 2
        findtime = 1h
        bantime = 20m
        bantime.increment = true
        bantime.maxtime = 2d
        maxlines = 3
        logencoding = utf-8
        action = dummy
        """;

    /// <summary>
    /// The same lines in the same order, with two allowances. fail2ban opens a file (and logs "Added logfile") when the
    /// stream adds it to a jail, SharpBan when the jail starts: with several jails the line comes later, with the same
    /// text (docs/compatibility.md). fail2ban's jails run their actions in threads of their own: "Jail 'X' started" may
    /// come before or after the actions' start lines, and after "Stopping all jails" the jails' lines may interleave
    /// either way (each jail's own lines keep their order).
    /// </summary>
    private static void AssertSameLines(List<string> theirs, List<string> ours)
    {
        static bool Added(string l) => l.Contains("Added logfile: ", StringComparison.Ordinal) || l.EndsWith("' started", StringComparison.Ordinal);
        Assert.Equal(theirs.Where(Added).Order(StringComparer.Ordinal), ours.Where(Added).Order(StringComparer.Ordinal));
        var (theirHead, theirTail) = SplitAtStop([.. theirs.Where(l => !Added(l))]);
        var (ourHead, ourTail) = SplitAtStop([.. ours.Where(l => !Added(l))]);
        Assert.Equal(theirHead, ourHead);
        Assert.Equal(theirTail.Order(StringComparer.Ordinal), ourTail.Order(StringComparer.Ordinal));
        foreach (var jail in new[] { "sshd", "other" })
        {
            bool Of(string l) => l.Contains($"[{jail}]", StringComparison.Ordinal) || l.Contains($"'{jail}'", StringComparison.Ordinal);
            Assert.Equal(theirTail.Where(Of), ourTail.Where(Of));
        }
    }

    private static (List<string> Head, List<string> Tail) SplitAtStop(List<string> lines)
    {
        var stop = lines.FindIndex(static l => l.Contains("Stopping all jails", StringComparison.Ordinal));
        return stop < 0 ? (lines, []) : (lines[..(stop + 1)], lines[(stop + 1)..]);
    }

    private static void Failures(string log, int count, string address = Address, DateTime? at = null)
    {
        var now = at ?? DateTime.Now;
        File.AppendAllLines(log, Enumerable.Range(1, count).Select(i =>
            $"{now:MMM} {now.Day,2} {now:HH:mm:ss} host sshd[{100 + i}]: Failed password for root from {address} port {40000 + i} ssh2"));
    }

    /// <summary>fail2ban, then SharpBan, each on fresh input (<paramref name="reset"/>) through the same scenario.</summary>
    private async Task<(List<string> Theirs, List<string> Ours)> BothAsync(string jailLocal, string ready,
        Func<Func<string[], Task>, Func<string, int, Task>, Task> scenario, Action? reset = null, Action<string>? prepare = null)
    {
        Assert.True(ReferenceServer.Available());
        reset ??= () =>
        {
            File.WriteAllText(AuthLog, "");
            File.WriteAllText(OtherLog, "");
        };
        reset();
        var fail2ban = await ReferenceServer.StartAsync(jailLocal, prepare);
        var theirs = await RunAsync(fail2ban, Path.Join(fail2ban.Dir, "sharpban.log"), async w => await fail2ban.ClientAsync(w), ready, scenario);
        reset();
        var d = await TestDaemon.StartAsync(jailLocal, start: false, configSource: "/etc/fail2ban");
        prepare?.Invoke(d.Dir);
        await d.StartServerAsync();
        var ours = await RunAsync(d, d.LogFile, async w => await d.ClientAsync(w), ready, scenario);
        return (theirs, ours);
    }

    /// <summary>
    /// Waits until the log says <paramref name="ready"/>, plays the scenario, stops the server; its log without times,
    /// pids and its directory.
    /// </summary>
    private async Task<List<string>> RunAsync(IAsyncDisposable server, string file, Func<string[], Task> client, string ready,
        Func<Func<string[], Task>, Func<string, int, Task>, Task> scenario)
    {
        await using (server)
        {
            Task WaitFor(string text, int count) => TestDaemon.WaitUntilAsync(
                () => File.Exists(file) && File.ReadAllText(file).Split(text).Length > count, $"{count} × {text}", 30);
            await WaitFor(ready, 1);
            await scenario(client, WaitFor);
            await client(["stop"]);
            await WaitFor("Exiting", 1);
            var dir = Path.GetDirectoryName(file)!;
            output.WriteLine($"--- {server.GetType().Name}:");
            output.WriteLine(File.ReadAllText(file));
            return [.. File.ReadAllLines(file)
                .Select(l => Stamp().Replace(l, "").Replace(dir, "$DIR", StringComparison.Ordinal))
                .Where(l => !ObserverThread().IsMatch(l) && !l.Contains("syslogsocket", StringComparison.Ordinal))
                .Select(l => Version().Replace(l, "$1"))
                .Select(l => SyslogTime().Replace(Time().Replace(l, "TIME"), "TIME"))
                .Select(l => CommandId().Replace(l, "ID -- "))];
        }
    }

    /// <summary>The start and stop of fail2ban's observer thread (SharpBan has none).</summary>
    [GeneratedRegex(@"^fail2ban\.observer +: INFO +Observer (start|stop)")]
    private static partial Regex ObserverThread();

    /// <summary>The id of a command's lines (fail2ban: a Python object address).</summary>
    [GeneratedRegex(@"\b[0-9a-f]{6,16} -- ")]
    private static partial Regex CommandId();

    /// <summary>The functions in fail2ban's ActionInfo repr (with their addresses).</summary>
    [GeneratedRegex(@", '(?:fid|raw-ticket)': <function \S+ at 0x[0-9a-f]+>")]
    private static partial Regex ActionInfoFunctions();

    /// <summary>The time and the pid: <c>2026-11-26 18:50:25,123 fail2ban.server         [4242]: </c>.</summary>
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} |\[\d+\]")]
    private static partial Regex Stamp();

    /// <summary>Times in messages (each server reads its own copy of the lines, written a moment apart).</summary>
    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")]
    private static partial Regex Time();

    [GeneratedRegex(@"hash = [0-9a-f]+\)$")]
    private static partial Regex FirstLineHash();

    /// <summary>A log line's own date, quoted in a warning (each server's copy written a moment apart).</summary>
    [GeneratedRegex(@"\b[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d")]
    private static partial Regex SyslogTime();

    /// <summary>The program's name and version in the first and the last line.</summary>
    [GeneratedRegex(@"(Starting|Exiting) (?:Fail2ban v1\.0\.2|SharpBan v\S+ \(fail2ban 1\.0\.2\)|Fail2ban|SharpBan)$")]
    private static partial Regex Version();
}

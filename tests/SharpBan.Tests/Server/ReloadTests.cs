using System.Text.Json.Nodes;

namespace SharpBan.Tests.Server;

/// <summary>
/// <c>reload</c> in place, as fail2ban (a real server process): the action files record every command that ran, so each
/// test asserts exactly which ones a reload caused.
/// </summary>
public class ReloadTests
{
    /// <summary>Records start, stop, ban, unban, flush and reload of the action named <c>name</c>, one line each.</summary>
    internal const string Recorder = """
        [Definition]
        actionstart = printf '%%s\n' 'start <name>' >> '<target>'
        actionstop = printf '%%s\n' 'stop <name>' >> '<target>'
        actionban = printf '%%s\n' '+<ip> <name>' >> '<target>'
        actionunban = printf '%%s\n' '-<ip> <name>' >> '<target>'
        actionflush = printf '%%s\n' 'flush <name>' >> '<target>'
        actionreload = printf '%%s\n' 'reload <name>' >> '<target>'
        [Init]
        target = /dev/null
        name = default
        """;

    /// <summary>The recorder without <c>actionflush</c> and <c>actionreload</c>.</summary>
    internal static readonly string PlainRecorder = string.Join('\n', Recorder.Split('\n').Where(l => !l.StartsWith("actionflush", StringComparison.Ordinal) && !l.StartsWith("actionreload", StringComparison.Ordinal)));

    private const string SshdWith = """
        [sshd]
        enabled = true
        backend = polling
        logpath = $DIR/auth.log
        """;

    private static string TwoActions => SshdWith + """

        action = rec[target="$DIR/dummy.out", name=a]
                 recplain[target="$DIR/dummy.out", name=b]
        """;

    [Fact]
    public async Task Reload_UnchangedJail_RunsOnlyActionReloadAndKeepsBansFailuresAndLogPosition()
    {
        await using var d = await StartAsync(TwoActions);
        d.Append(TestDaemon.FailedPassword("203.0.113.80"), TestDaemon.FailedPassword("203.0.113.80"));
        await d.WaitForFailedAsync(2);
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.80");
        await TestDaemon.WaitUntilAsync(() => Lines(d).Contains("+192.0.2.80 a") && Lines(d).Contains("+192.0.2.80 b"), "ban by both actions (each in its own lane)");
        var before = Lines(d);

        Assert.Equal((0, "OK"), await d.ClientAsync("reload", "sshd"));
        Assert.Equal((0, "OK"), await d.ClientAsync("reload"));

        await TestDaemon.WaitUntilAsync(() => Lines(d).Count(l => l == "reload a") == 2, "actionreload twice");
        await Task.Delay(500); // anything else the reload queued would have run by now
        Assert.Equal([.. before, "reload a", "reload a"], Lines(d)); // b has no actionreload: nothing for it
        var status = JsonNode.Parse((await d.ClientAsync(true, "status", "sshd")).Output)!;
        Assert.Equal(1, status["Filter"]!["Currently failed"]!.GetValue<int>());
        Assert.Equal(2, status["Filter"]!["Total failed"]!.GetValue<int>()); // the file was not read again
        Assert.Equal(["192.0.2.80"], status["Actions"]!["Banned IP list"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("Reload jail sshd\n", d.Log(), StringComparison.Ordinal);
        Assert.Contains("Reload all jails\n", d.Log(), StringComparison.Ordinal);
        Assert.Contains("Reload jail 'sshd'\n", d.Log(), StringComparison.Ordinal);
        Assert.Contains("Jail 'sshd' reloaded\n", d.Log(), StringComparison.Ordinal);
        Assert.Contains("Reload finished.\n", d.Log(), StringComparison.Ordinal);
        Assert.DoesNotContain("Jail 'sshd' stopped", d.Log(), StringComparison.Ordinal);

        d.Append(TestDaemon.FailedPassword("203.0.113.80")); // the third failure: the count survived the reloads
        await TestDaemon.WaitUntilAsync(() => Lines(d).Contains("+203.0.113.80 a"), "ban on the third failure");
    }

    [Fact]
    public async Task Reload_BrokenConfiguration_IsRefusedAndChangesNothing()
    {
        await using var d = await StartAsync(TwoActions);
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.81");
        await TestDaemon.WaitUntilAsync(() => Lines(d).Contains("+192.0.2.81 a") && Lines(d).Contains("+192.0.2.81 b"), "ban by both actions (each in its own lane)");
        var before = Lines(d);
        File.AppendAllText(Path.Join(d.Dir, "jail.local"), "\n[sshd]\nfilter = no-such-filter\n");

        var (code, output) = await d.ClientAsync("reload");

        Assert.Equal(255, code);
        Assert.Contains("Failed during configuration", output, StringComparison.Ordinal);
        Assert.Contains("nothing was reloaded", output, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Equal(before, Lines(d)); // no stop, no flush, no reload ran
        Assert.Equal("1", (await d.ClientAsync("get", "sshd", "banned", "192.0.2.81")).Output);
        Assert.DoesNotContain("Reload finished.", d.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_ChangedMaxRetryFailRegexAndLogPath_TakeEffect()
    {
        await using var d = await StartAsync(TwoActions);
        File.WriteAllText(Path.Join(d.Dir, "other.log"), "");
        File.WriteAllText(Path.Join(d.Dir, "jail.local"), (TwoActions + """

            maxretry = 1
            failregex = ^Custom failure from <HOST>$
            """).Replace("$DIR/auth.log", "$DIR/other.log", StringComparison.Ordinal).Replace("$DIR", d.Dir, StringComparison.Ordinal));

        Assert.Equal((0, "OK"), await d.ClientAsync("reload", "sshd"));

        Assert.Equal((0, "1"), await d.ClientAsync("get", "sshd", "maxretry"));
        Assert.Equal((0, $"Current monitored log file(s):\n`- {Path.Join(d.Dir, "other.log")}"), await d.ClientAsync("get", "sshd", "logpath"));
        Assert.Contains($"Removed logfile: '{d.AuthLog}'", d.Log(), StringComparison.Ordinal);
        File.AppendAllLines(Path.Join(d.Dir, "other.log"), [TestDaemon.FailedPassword("203.0.113.81"), TestDaemon.Sshd("Custom failure from 203.0.113.82")]);
        await TestDaemon.WaitUntilAsync(() => Lines(d).Contains("+203.0.113.82 a"), "ban on one custom failure");
        Assert.DoesNotContain("+203.0.113.81 a", Lines(d)); // sshd's own failregex was replaced
    }

    [Fact]
    public async Task Reload_RemovedAction_ItsBansFlushedThenStopped_NewActionStartedWithTheBans()
    {
        await using var d = await StartAsync(TwoActions);
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.83");
        await TestDaemon.WaitUntilAsync(() => Lines(d).Contains("+192.0.2.83 a") && Lines(d).Contains("+192.0.2.83 b"), "ban by both actions (each in its own lane)");
        var before = Lines(d);
        File.WriteAllText(Path.Join(d.Dir, "jail.local"), (SshdWith + """

            action = rec[target="$DIR/dummy.out", name=a]
                     rec[target="$DIR/dummy.out", name=c, actname=c]
            """).Replace("$DIR", d.Dir, StringComparison.Ordinal));

        Assert.Equal((0, "OK"), await d.ClientAsync("reload", "sshd"));

        await TestDaemon.WaitUntilAsync(() => Lines(d).Contains("+192.0.2.83 c") && Lines(d).Contains("stop b") && Lines(d).Contains("reload a"), "the new action bans the jail's bans, the removed one is stopped");
        var added = Lines(d).Skip(before.Count).ToList();
        Assert.Equal(["reload a"], added.Where(l => l.EndsWith(" a", StringComparison.Ordinal)));
        Assert.Equal(["-192.0.2.83 b", "stop b"], added.Where(l => l.EndsWith(" b", StringComparison.Ordinal))); // no actionflush: unban each
        Assert.Equal(["start c", "+192.0.2.83 c"], added.Where(l => l.EndsWith(" c", StringComparison.Ordinal)));
        Assert.Equal((0, "The jail sshd has the following actions:\nrec-a, c"), await d.ClientAsync("get", "sshd", "actions"));
        Assert.Equal((0, "1"), await d.ClientAsync("get", "sshd", "banned", "192.0.2.83"));
    }

    [Fact]
    public async Task ReloadAll_RemovedJail_IsStopped_BackendChange_Restarts()
    {
        const string Web = """

            [nginx-http-auth]
            enabled = true
            backend = polling
            logpath = $DIR/web.log
            action = rec[target="$DIR/dummy.out", name=w]
            """;
        await using var d = await StartAsync(TwoActions + Web, "web.log");
        await d.ClientAsync("set", "nginx-http-auth", "banip", "192.0.2.84");
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.85");
        await TestDaemon.WaitUntilAsync(() => Lines(d).Contains("+192.0.2.84 w") && Lines(d).Contains("+192.0.2.85 a") && Lines(d).Contains("+192.0.2.85 b"), "bans");
        var before = Lines(d);
        File.WriteAllText(Path.Join(d.Dir, "jail.local"), TwoActions.Replace("backend = polling", "backend = auto", StringComparison.Ordinal).Replace("$DIR", d.Dir, StringComparison.Ordinal));

        Assert.Equal((0, "OK"), await d.ClientAsync("reload", "--all"));

        await TestDaemon.WaitUntilAsync(() => Lines(d).Contains("stop w") && Lines(d).Count(l => l == "+192.0.2.85 a") == 2 && Lines(d).Count(l => l == "+192.0.2.85 b") == 2, "web stopped, sshd restarted");
        var added = Lines(d).Skip(before.Count).ToList();
        Assert.Equal(["flush w", "stop w"], added.Where(l => l.EndsWith(" w", StringComparison.Ordinal)));
        Assert.Equal(["flush a", "stop a", "start a", "+192.0.2.85 a"], added.Where(l => l.EndsWith(" a", StringComparison.Ordinal)));
        Assert.Equal(["-192.0.2.85 b", "stop b", "start b", "+192.0.2.85 b"], added.Where(l => l.EndsWith(" b", StringComparison.Ordinal)));
        Assert.Equal((0, "Status\n|- Number of jail:\t1\n`- Jail list:\tsshd"), await d.ClientAsync("status"));
        Assert.Contains("Restart jail 'sshd' (reason: 'polling' != 'auto')", d.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReloadRestart_StopsAndStarts_ReloadUnban_UnbansInPlace()
    {
        await using var d = await StartAsync(TwoActions);
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.86");
        await TestDaemon.WaitUntilAsync(() => Lines(d).Contains("+192.0.2.86 a") && Lines(d).Contains("+192.0.2.86 b"), "ban");
        var before = Lines(d);

        Assert.Equal((0, "OK"), await d.ClientAsync("reload", "--restart", "sshd"));

        // both actions re-ban (they run side by side): wait for each before the next step's snapshot
        await TestDaemon.WaitUntilAsync(() => Lines(d).Count(l => l == "+192.0.2.86 a") == 2 && Lines(d).Count(l => l == "+192.0.2.86 b") == 2, "re-banned after the restart");
        var restarted = Lines(d).Skip(before.Count).ToList();
        Assert.Equal(["flush a", "stop a", "start a", "+192.0.2.86 a"], restarted.Where(l => l.EndsWith(" a", StringComparison.Ordinal)));
        before = Lines(d);

        Assert.Equal((0, "OK"), await d.ClientAsync("reload", "--unban", "sshd"));

        await TestDaemon.WaitUntilAsync(() => Lines(d).Contains("reload a") && Lines(d).Count(l => l == "-192.0.2.86 b") == 2, "unbanned and reloaded");
        await Task.Delay(500);
        // fail2ban's order within each action (the actions run side by side, each in its own lane)
        var unbanned = Lines(d).Skip(before.Count).ToList();
        Assert.Equal(["flush a", "reload a"], unbanned.Where(l => l.EndsWith(" a", StringComparison.Ordinal)));
        Assert.Equal(["-192.0.2.86 b"], unbanned.Where(l => l.EndsWith(" b", StringComparison.Ordinal)));
        Assert.Equal(3, unbanned.Count);
        Assert.Equal((0, "0"), await d.ClientAsync("get", "sshd", "banned", "192.0.2.86"));
    }

    private static async Task<TestDaemon> StartAsync(string jailLocal, params string[] logs)
    {
        var d = await TestDaemon.StartAsync(jailLocal, start: false);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "rec.conf"), Recorder);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "recplain.conf"), PlainRecorder);
        foreach (var log in logs)
        {
            File.WriteAllText(Path.Join(d.Dir, log), "");
        }

        await d.StartServerAsync();
        return d;
    }

    private static List<string> Lines(TestDaemon d) => [.. d.Dummy().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace SharpBan.Tests.Server;

/// <summary>End-to-end: a real server process, a watched file, the dummy action, the SQLite file and the client.</summary>
[Collection(SystemJournalCollection.Name)]
public class DaemonTests
{
    private const string Jail = """
        [DEFAULT]
        banaction = dummy
        banaction_allports = dummy
        [sshd]
        enabled = true
        backend = auto
        logpath = $DIR/auth.log
        action = dummy[target="$DIR/dummy.out"]
        """; // maxretry 3, findtime 10m, bantime 10m come from the shipped jail.conf

    [Fact]
    public async Task Server_MaxRetryFailures_BansOnTheLastAndNotBefore()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        d.Append(TestDaemon.FailedPassword("203.0.113.10"), TestDaemon.FailedPassword("203.0.113.10"));
        await d.WaitForFailedAsync(2);
        Assert.DoesNotContain("+203.0.113.10", d.Dummy(), StringComparison.Ordinal);
        d.Append(TestDaemon.FailedPassword("203.0.113.10"));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.10", StringComparison.Ordinal), "ban in dummy file");
        Assert.Contains("NOTICE  [sshd] Ban 203.0.113.10", d.Log(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The daemon's ban lines are fail2ban's, so a recidive jail with fail2ban's own filter (a user's unmodified
    /// /etc/fail2ban) counts them; they said "sharpban.actions", which that filter does not accept.
    /// </summary>
    [Fact]
    public async Task Server_BanLogLine_IsCountedByFail2bansRecidiveFilter()
    {
        if (!Client.ReferenceServer.Available())
        {
            return; // outside CI without the reference
        }

        await using var d = await TestDaemon.StartAsync(Jail);
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "203.0.113.11")).Code);
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Ban 203.0.113.11", StringComparison.Ordinal), "ban logged");

        var info = new System.Diagnostics.ProcessStartInfo("/usr/bin/fail2ban-regex", ["-v", d.LogFile, "/etc/fail2ban/filter.d/recidive.conf"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var regex = System.Diagnostics.Process.Start(info)!;
        var report = await regex.StandardOutput.ReadToEndAsync();
        await regex.WaitForExitAsync();

        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(report, @"Lines: \d+ lines, 0 ignored, 1 matched"), report + "\n" + d.Log());
    }

    /// <summary>
    /// Name lookups are logged as fail2ban's <c>fail2ban.ipdns</c> logs them: each name a <c>usedns = warn</c> jail (the
    /// default) resolved, and once a name that does not resolve.
    /// </summary>
    [Fact]
    public async Task Server_UseDnsWarn_LogsNameLookupsAsFail2ban()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        d.Append(TestDaemon.FailedPassword("name-that-does-not-resolve.invalid"), TestDaemon.FailedPassword("name-that-does-not-resolve.invalid"),
            TestDaemon.FailedPassword("localhost"));
        // 127.0.0.1 itself is ignored (ignoreself), after the lookup
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Ignore 127.0.0.1", StringComparison.Ordinal), "the failure of localhost");
        var log = d.Log();
        Assert.Matches(@"fail2ban\.ipdns +\[\d+\]: WARNING Determined IP using DNS Lookup: localhost = \{'127\.0\.0\.1'", log);
        Assert.Single(log.Split('\n'), l => l.Contains("WARNING Unable to find a corresponding IP address for name-that-does-not-resolve.invalid: [Errno ", StringComparison.Ordinal));
    }

    /// <summary>A log in Latin-1 with fail2ban's spelling of the codec: read, decoded, and the user reaches the action.</summary>
    [Fact]
    public async Task Server_LogEncodingLatin1_DecodesTheLog()
    {
        await using var d = await TestDaemon.StartAsync(
            Jail.Replace("action = dummy[target=\"$DIR/dummy.out\"]", "action = who[target=\"$DIR/who.out\"]", StringComparison.Ordinal) + "\nlogencoding = latin-1\n",
            start: false);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "who.conf"), "[Definition]\nactionban = printf '%%s\\n' \"<F-USER> <ip>\" >> '<target>'\n");
        await d.StartServerAsync();
        var line = TestDaemon.FailedPassword("203.0.113.30", user: "\u00e9t\u00e9") + "\n";
        File.AppendAllText(Path.Join(d.Dir, "auth.log"), line + line + line, System.Text.Encoding.Latin1);

        var who = Path.Join(d.Dir, "who.out");
        await TestDaemon.WaitUntilAsync(() => File.Exists(who) && File.ReadAllText(who).Contains("203.0.113.30", StringComparison.Ordinal), "ban with the user");
        Assert.Equal("\u00e9t\u00e9 203.0.113.30\n", File.ReadAllText(who));
    }

    [Fact]
    public async Task Server_IgnoreIpAndIgnoreCommand_AreHonoured()
    {
        await using var d = await TestDaemon.StartAsync(Jail + "\nignoreip = 127.0.0.1/8 203.0.113.0/25\nignorecommand = test <ip> = 198.51.100.77\n");
        for (var i = 0; i < 3; i++)
        {
            d.Append(TestDaemon.FailedPassword("203.0.113.20"), TestDaemon.FailedPassword("198.51.100.77"));
        }

        await TestDaemon.WaitUntilAsync(
            () => d.Log().Contains("Ignore 203.0.113.20 by ip", StringComparison.Ordinal) && d.Log().Contains("Ignore 198.51.100.77 by command", StringComparison.Ordinal),
            "both ignored");
        d.Append(TestDaemon.FailedPassword("203.0.113.200"), TestDaemon.FailedPassword("203.0.113.200"), TestDaemon.FailedPassword("203.0.113.200"));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.200", StringComparison.Ordinal), "control ban");
        Assert.DoesNotContain("+203.0.113.20\n", d.Dummy(), StringComparison.Ordinal);
        Assert.DoesNotContain("+198.51.100.77", d.Dummy(), StringComparison.Ordinal);
    }

    /// <summary>
    /// An ignorecommand that takes long (apache-fakegooglebot's looks up the reverse name of the attacker's address, on
    /// the attacker's own name server) holds up nothing: other failures are banned and commands answered meanwhile, and
    /// a failure whose command ends late is still ignored or counted by what it says.
    /// </summary>
    [Fact]
    public async Task Server_SlowIgnoreCommand_OtherFailuresAndCommandsGoOn()
    {
        await using var d = await TestDaemon.StartAsync(Jail + """

            maxretry = 1
            ignorecommand = if [ <ip> = 192.0.2.66 ]; then sleep 30; fi; if [ <ip> = 192.0.2.67 ]; then sleep 3; exit 0; fi; if [ <ip> = 192.0.2.68 ]; then sleep 3; fi; exit 1
            """);
        d.Append(TestDaemon.FailedPassword("192.0.2.66"));
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("[sshd] ignorecommand still running after 1 s", StringComparison.Ordinal), "the slow command");

        d.Append(TestDaemon.FailedPassword("203.0.113.5"));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.5", StringComparison.Ordinal), "another address banned meanwhile", 12);
        Assert.Equal(0, (await d.ClientAsync("status", "sshd")).Code);
        d.Append(TestDaemon.FailedPassword("192.0.2.67"), TestDaemon.FailedPassword("192.0.2.68"));
        await TestDaemon.WaitUntilAsync(
            () => d.Log().Contains("Ignore 192.0.2.67 by command", StringComparison.Ordinal) && d.Dummy().Contains("+192.0.2.68", StringComparison.Ordinal),
            "late answers: one ignored, one banned", 15);

        // on the daemon's own clock (a stalled test host stretches its own): the late answers came long before the 30 s
        // command ended
        var log = d.Log();
        var late = TestDaemon.LogTime(log, "Ban 192.0.2.68") - TestDaemon.LogTime(log, "[sshd] ignorecommand still running after 1 s");
        Assert.True(late < TimeSpan.FromSeconds(25), $"{late}: the daemon waited for the 30 s command");
        Assert.DoesNotContain("192.0.2.66", d.Dummy(), StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.67", d.Dummy(), StringComparison.Ordinal);
    }

    /// <summary>SIGHUP to a server in the foreground (its terminal closed) stops it as SIGTERM does: jails stopped, bans flushed.</summary>
    [Fact]
    public async Task Server_SigHupInForeground_StopsCleanly()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "203.0.113.91")).Code);
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.91", StringComparison.Ordinal), "ban");
        Signal(d.Pid, "HUP");
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Exiting SharpBan", StringComparison.Ordinal), "a clean exit");
        var log = d.Log();
        Assert.Contains("INFO    Caught signal HUP: stopping, as on SIGTERM", log, StringComparison.Ordinal);
        Assert.Contains("Jail 'sshd' stopped", log, StringComparison.Ordinal);
    }

    /// <summary>A server started in the background ignores SIGHUP, as fail2ban's does, and goes on answering.</summary>
    [Fact]
    public async Task Server_SigHupInBackground_Ignored()
    {
        await using var d = await TestDaemon.StartAsync(Jail, start: false);
        int? pid = null;
        try
        {
            using (var launcher = System.Diagnostics.Process.Start(TestDaemon.Sharpban("server", "-b", "-x", "-c", d.Dir))!)
            {
                await launcher.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(launcher.ExitCode == 0, await launcher.StandardError.ReadToEndAsync());
            }

            // read with cat: the server holds an exclusive lock on the file, which .NET's readers honour
            pid = int.Parse(Network.Shell.Run("cat", [Path.Join(d.Dir, "s.pid")]).Out.Trim(), CultureInfo.InvariantCulture);
            Signal(pid.Value, "HUP");
            await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Caught signal HUP: ignored", StringComparison.Ordinal), "the signal seen");
            Assert.Equal((0, "Server replied: pong"), await d.ClientAsync("ping"));
            Assert.Equal(0, (await d.ClientAsync("stop")).Code);
            await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Exiting SharpBan", StringComparison.Ordinal), "the stop");
        }
        finally
        {
            // the background server is nobody's child here: found by its pid file, also when the test failed before
            pid ??= int.TryParse(Network.Shell.Run("cat", [Path.Join(d.Dir, "s.pid")]).Out.Trim(), CultureInfo.InvariantCulture, out var written) ? written : null;
            if (pid is { } p && Alive(p))
            {
                using var left = System.Diagnostics.Process.GetProcessById(p);
                left.Kill();
            }
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Server_ShortBantime_UnbansOnTime()
    {
        await using var d = await TestDaemon.StartAsync(Jail + "\nbantime = 3\n");
        d.Append(TestDaemon.FailedPassword("203.0.113.30"), TestDaemon.FailedPassword("203.0.113.30"), TestDaemon.FailedPassword("203.0.113.30"));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.30", StringComparison.Ordinal), "ban");
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("-203.0.113.30", StringComparison.Ordinal), "unban");

        // bantime 3 from the failure's whole second (log dates have no fraction), on the daemon's own clock: the test
        // host's view of it stretched to 11 s once on a loaded CI machine
        var log = d.Log();
        var held = TestDaemon.LogTime(log, "NOTICE  [sshd] Unban 203.0.113.30") - TestDaemon.LogTime(log, "NOTICE  [sshd] Ban 203.0.113.30");
        Assert.InRange(held.TotalSeconds, 0.5, 8);
    }

    [Fact]
    public async Task Server_BantimeIncrement_LengthensARepeatBan()
    {
        await using var d = await TestDaemon.StartAsync(Jail + "\nbantime = 3\nbantime.increment = true\n");
        await FirstBanOverAsync(d, "203.0.113.40");
        d.Append(TestDaemon.FailedPassword("203.0.113.40"), TestDaemon.FailedPassword("203.0.113.40"));
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Increase Ban 203.0.113.40", StringComparison.Ordinal), "increased ban");
        var (_, withTime) = await d.ClientAsync("get", "sshd", "banip", "--with-time");
        Assert.Contains("+ 6 =", withTime, StringComparison.Ordinal);
        Assert.Contains("Found 203.0.113.40, bad", d.Log(), StringComparison.Ordinal); // known offender counts double
    }

    [Fact]
    public async Task Server_IncreasedBan_RunsActionProlongAfterTheBan()
    {
        await using var d = await TestDaemon.StartAsync(
            Jail.Replace("action = dummy[target=\"$DIR/dummy.out\"]", "action = prolongtest[target=\"$DIR/dummy.out\"]", StringComparison.Ordinal)
            + "\nbantime = 3\nbantime.increment = true\n",
            start: false);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "prolongtest.conf"), """
            [Definition]
            actionban = printf '%%s\n' "+<ip>" >> <target>
            actionunban = printf '%%s\n' "-<ip>" >> <target>
            actionprolong = printf '%%s\n' "~<ip> <bantime>" >> <target>
            [Init]
            target =
            """);
        await d.StartServerAsync();
        await FirstBanOverAsync(d, "203.0.113.41");
        Assert.DoesNotContain("~", d.Dummy(), StringComparison.Ordinal); // a first ban is not an increase
        d.Append(TestDaemon.FailedPassword("203.0.113.41"), TestDaemon.FailedPassword("203.0.113.41"));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("~203.0.113.41 6", StringComparison.Ordinal), "actionprolong with the longer bantime");
        var lines = d.Dummy().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(Array.LastIndexOf(lines, "+203.0.113.41") < Array.IndexOf(lines, "~203.0.113.41 6"), d.Dummy());
    }

    /// <summary>
    /// A <c>bantime.formula</c> that fails when a repeat offender comes back (a typo: fail2ban checks only its syntax):
    /// the address is banned with the jail's bantime and the error is logged, as fail2ban's observer does; and the line
    /// read with it is still counted.
    /// </summary>
    [Fact]
    public async Task Server_BantimeFormulaFailsForARepeatBan_BannedWithTheJailsBantime()
    {
        await using var d = await TestDaemon.StartAsync(Jail + "\nbantime = 3\nbantime.increment = true\nbantime.formula = ban.Time * banfactor\n");
        await FirstBanOverAsync(d, "203.0.113.42");
        d.Append(TestDaemon.FailedPassword("203.0.113.42"), TestDaemon.FailedPassword("203.0.113.42"), TestDaemon.FailedPassword("198.51.100.42"));

        await TestDaemon.WaitUntilAsync(() => d.Dummy().Split('\n').Count(static l => l == "+203.0.113.42") == 2, "second ban");
        Assert.Contains("ERROR   [sshd] 203.0.113.42: bantime.increment failed (name 'banfactor' is not defined); banned for the jail's bantime", d.Log(), StringComparison.Ordinal);
        Assert.DoesNotContain("Increase Ban", d.Log(), StringComparison.Ordinal);
        var (_, withTime) = await d.ClientAsync("get", "sshd", "banip", "--with-time");
        Assert.Contains("+ 3 =", withTime, StringComparison.Ordinal);
        var (_, status) = await d.ClientAsync("status", "sshd");
        Assert.Contains("Currently failed:\t1", status, StringComparison.Ordinal); // the line after the ban, in the same read
    }

    /// <summary>
    /// A <c>datepattern</c> whose regex cannot compile (fail2ban accepts it and fails on every line) is refused when it
    /// is set: the daemon starts, logs the command's error, and the jail reads its log with the default templates. Set
    /// by a client, it is answered with the error and the jail's pattern stays.
    /// </summary>
    [Fact]
    public async Task Server_DatePatternThatCannotCompile_RefusedAndTheJailRuns()
    {
        await using var d = await TestDaemon.StartAsync(Jail + "\ndatepattern = ^*%%Y-%%m-%%d %%H:%%M:%%S\n");
        Assert.Contains("ERROR   Command set sshd datepattern ^*%Y-%m-%d %H:%M:%S failed: Unable to compile regular expression", d.Log(), StringComparison.Ordinal);
        d.Append(TestDaemon.FailedPassword("203.0.113.44"), TestDaemon.FailedPassword("203.0.113.44"), TestDaemon.FailedPassword("203.0.113.44"));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.44", StringComparison.Ordinal), "ban");

        var (code, answer) = await d.ClientAsync("set", "sshd", "datepattern", "(%Y");
        Assert.NotEqual(0, code);
        Assert.Contains("Unable to compile regular expression", answer, StringComparison.Ordinal);
        var (_, pattern) = await d.ClientAsync("get", "sshd", "datepattern");
        Assert.Equal("Current date pattern set to: Default Detectors", pattern);
        d.Append(TestDaemon.FailedPassword("203.0.113.45"));
        await d.WaitForFailedAsync(4); // the fourth failure, read after the refused change
    }

    /// <summary>
    /// An unknown backend (a typo such as <c>sytemd</c>) refuses that jail with fail2ban's message, once: its other
    /// commands are not run (each would only say the jail does not exist), and the other jails start. fail2ban itself
    /// does not start at all then.
    /// </summary>
    [Fact]
    public async Task Server_UnknownBackend_ThatJailRefusedOnceAndTheOthersRun()
    {
        await using var d = await TestDaemon.StartAsync(Jail + """

            [typo]
            enabled = true
            backend = sytemd
            filter = sshd
            logpath = $DIR/auth.log
            action = dummy[target="$DIR/dummy.out"]
            """);
        var errors = d.Log().Split('\n').Where(static l => l.Contains(" ERROR ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Command add typo sytemd failed: Unknown backend sytemd. Must be among ['pyinotify', 'gamin', 'polling', 'systemd'] or 'auto'"],
            errors.Select(static l => l[(l.IndexOf(" ERROR ", StringComparison.Ordinal) + " ERROR ".Length)..].Trim()));
        d.Append(TestDaemon.FailedPassword("203.0.113.46"), TestDaemon.FailedPassword("203.0.113.46"), TestDaemon.FailedPassword("203.0.113.46"));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.46", StringComparison.Ordinal), "ban in the other jail");
        var (_, status) = await d.ClientAsync("status");
        Assert.Contains("Jail list:\tsshd", status, StringComparison.Ordinal);
    }

    /// <summary>Three failures of <paramref name="ip"/>, its ban (bantime 3) over, and a second gone by.</summary>
    private static async Task FirstBanOverAsync(TestDaemon d, string ip)
    {
        d.Append(TestDaemon.FailedPassword(ip), TestDaemon.FailedPassword(ip), TestDaemon.FailedPassword(ip));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("-" + ip, StringComparison.Ordinal), "first ban over");
        await Task.Delay(1100); // the next failure must be later than the first ban's time (second resolution)
    }

    /// <summary>fail2ban's jail counters as action tags, read when the command is built.</summary>
    [Fact]
    public async Task Server_JailCounterTags_AreSubstituted()
    {
        await using var d = await TestDaemon.StartAsync(
            Jail.Replace("action = dummy[target=\"$DIR/dummy.out\"]", "action = counters[target=\"$DIR/dummy.out\"]", StringComparison.Ordinal),
            start: false);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "counters.conf"), """
            [Definition]
            actionban = printf '%%s\n' "+<ip> <jail.banned> <jail.banned_total> <jail.found> <jail.found_total>" >> <target>
            [Init]
            target =
            """);
        await d.StartServerAsync();
        d.Append(TestDaemon.FailedPassword("203.0.113.42"), TestDaemon.FailedPassword("203.0.113.43"), TestDaemon.FailedPassword("203.0.113.42"), TestDaemon.FailedPassword("203.0.113.42"));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.42", StringComparison.Ordinal), "ban");

        Assert.Contains("+203.0.113.42 1 1 1 4", d.Dummy(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_IgnoreCache_RunsTheIgnoreCommandOncePerKey()
    {
        await using var d = await TestDaemon.StartAsync(Jail + """

            maxretry = 5
            ignorecommand = echo <ip> >> $DIR/ignorecommand.out; exit 1
            ignorecache = key="<ip>", max-count=10, max-time=1h
            """);
        d.Append(TestDaemon.FailedPassword("203.0.113.70"), TestDaemon.FailedPassword("203.0.113.70"), TestDaemon.FailedPassword("203.0.113.71"));
        d.Append(TestDaemon.FailedPassword("203.0.113.70"));
        await d.WaitForFailedAsync(4);
        var runs = File.ReadAllLines(Path.Join(d.Dir, "ignorecommand.out"));
        Assert.Equal(["203.0.113.70", "203.0.113.71"], runs);
        var (_, cache) = await d.ClientAsync("get", "sshd", "ignorecache");
        Assert.Equal("['<ip>', 10, 3600]", cache);
    }

    [Fact]
    public async Task Server_Restart_ReappliesUnexpiredBansFromTheDatabase()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.50");
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+192.0.2.50", StringComparison.Ordinal), "ban");
        await d.StopServerAsync();
        Assert.Contains("flush sshd\nstop sshd", d.Dummy(), StringComparison.Ordinal); // bans flushed on stop
        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Split('\n').Count(l => l == "+192.0.2.50") == 2 || d.Log().Contains("Restore Ban 192.0.2.50", StringComparison.Ordinal), "restored");
        var (_, banned) = await d.ClientAsync("get", "sshd", "banned", "192.0.2.50");
        Assert.Equal("1", banned);
    }

    /// <summary>
    /// A jail whose log file does not exist yet (no rsyslog's auth.log on a fresh machine) waits for it and reads it
    /// once it is created (fail2ban would refuse to start; we warn and wait).
    /// </summary>
    [Fact]
    public async Task Server_LogFileCreatedAfterStart_IsReadAndBans()
    {
        await using var d = await TestDaemon.StartAsync(Jail.Replace("$DIR/auth.log", "$DIR/later.log", StringComparison.Ordinal));
        var later = Path.Join(d.Dir, "later.log");
        Assert.Contains("Waiting for log file " + later, d.Log(), StringComparison.Ordinal);

        File.WriteAllLines(later, [TestDaemon.FailedPassword("203.0.113.81"), TestDaemon.FailedPassword("203.0.113.81"), TestDaemon.FailedPassword("203.0.113.81")]);

        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.81", StringComparison.Ordinal), "ban from the file created later");
    }

    /// <summary>
    /// A jail whose log pattern matches nothing yet (nginx installed after the jail was enabled: a directory of
    /// per-site logs that do not exist) picks up the files once they appear, each read from its start.
    /// </summary>
    [Fact]
    public async Task Server_LogPatternMatchedAfterStart_FilesAreReadAndBan()
    {
        await using var d = await TestDaemon.StartAsync(Jail.Replace("$DIR/auth.log", "$DIR/sites/*-auth.log", StringComparison.Ordinal));
        var pattern = Path.Join(d.Dir, "sites", "*-auth.log");
        Assert.Contains("Waiting for log file " + pattern, d.Log(), StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Join(d.Dir, "sites"));
        File.WriteAllLines(Path.Join(d.Dir, "sites", "other.txt"), [TestDaemon.FailedPassword("203.0.113.83"), TestDaemon.FailedPassword("203.0.113.83"), TestDaemon.FailedPassword("203.0.113.83")]);
        File.WriteAllLines(Path.Join(d.Dir, "sites", "a-auth.log"), [TestDaemon.FailedPassword("203.0.113.82"), TestDaemon.FailedPassword("203.0.113.82")]);
        File.WriteAllLines(Path.Join(d.Dir, "sites", "b-auth.log"), [TestDaemon.FailedPassword("203.0.113.82")]);

        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.82", StringComparison.Ordinal), "ban from the two files that matched later");
        var (_, files) = await d.ClientAsync("get", "sshd", "logpath");
        Assert.Contains("a-auth.log", files, StringComparison.Ordinal);
        Assert.Contains("b-auth.log", files, StringComparison.Ordinal);
        Assert.DoesNotContain("other.txt", files, StringComparison.Ordinal);
        Assert.DoesNotContain("+203.0.113.83", d.Dummy(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Two daemons started at the same moment on one configuration: one runs, the other stops before it touches the
    /// socket, the jails or the actions (it used to start the jails, fail to bind, stop them and delete the socket of
    /// the one that won, which then ran unreachable).
    /// </summary>
    [Fact]
    public async Task Server_TwoDaemonsAtOnce_OneRunsAndStaysReachable()
    {
        await using var d = await TestDaemon.StartAsync(Jail, start: false);
        System.Diagnostics.Process Start()
        {
            var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { Path.Join(AppContext.BaseDirectory, "sharpban.dll"), "server", "-f", "-x", "-c", d.Dir })
            {
                psi.ArgumentList.Add(a);
            }

            var p = System.Diagnostics.Process.Start(psi)!;
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }

        using var first = Start();
        using var second = Start();
        try
        {
            await Task.WhenAny(first.WaitForExitAsync(), second.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(60));
            var (gone, running) = first.HasExited ? (first, second) : (second, first);

            Assert.Equal(255, gone.ExitCode);
            await TestDaemon.WaitUntilAsync(() => d.ClientAsync("ping").GetAwaiter().GetResult().Code == 0, "the running daemon answers");
            Assert.False(running.HasExited);
            await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("start sshd", StringComparison.Ordinal), "the running daemon's actionstart (run by the action queue, after the ping may be answered)");
            Assert.Single(d.Dummy().Split('\n'), l => l == "start sshd");
            Assert.DoesNotContain("stop sshd", d.Dummy(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var p in new[] { first, second })
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync();
                }
            }
        }
    }

    /// <summary>logrotate may signal USR1 (fail2ban reopens its log on it): the daemon must reopen, not die.</summary>
    [Fact]
    public async Task Server_Usr1AfterLogRotation_ReopensTheLogAndKeepsRunning()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        File.Move(d.LogFile, d.LogFile + ".1");

        System.Diagnostics.Process.Start("kill", ["-USR1", d.Pid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        await TestDaemon.WaitUntilAsync(() => File.Exists(d.LogFile), "log reopened");
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.53");

        Assert.Equal((0, "Server replied: pong"), await d.ClientAsync("ping"));
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Ban 192.0.2.53", StringComparison.Ordinal), "ban logged in the new file");
    }

    [Fact]
    public async Task Server_FailureDatedInTheFuture_CountsAsNow()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        var ahead = DateTimeOffset.Now.AddSeconds(45);
        d.Append(ahead.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture) + " host sshd[4242]: Failed password for root from 203.0.113.80 port 22 ssh2");
        await d.WaitForFailedAsync(1);
        var found = d.Log().Split('\n').Single(l => l.Contains("Found 203.0.113.80 - ", StringComparison.Ordinal));
        var logged = DateTime.ParseExact(found[^19..], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        Assert.True(logged <= DateTime.Now, found); // fail2ban clamps a failure time to now (it was kept 45 s ahead)
    }

    [Fact]
    public async Task Client_PermanentBanWithTime_EndsInYear9999AsFail2Ban()
    {
        await using var d = await TestDaemon.StartAsync(Jail + "\nbantime = -1\n");
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.52");
        var (_, withTime) = await d.ClientAsync("get", "sshd", "banip", "--with-time");
        Assert.EndsWith(" + -1 = 9999-12-31 23:59:59", withTime, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_Restart_KeepsAnIncreasedBanAsStored()
    {
        await using var d = await TestDaemon.StartAsync(Jail + "\nbantime = 3\nbantime.increment = true\n");
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.51");
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("-192.0.2.51", StringComparison.Ordinal), "first ban over");
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.51");
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Increase Ban 192.0.2.51", StringComparison.Ordinal), "increased ban");
        await d.StopServerAsync();
        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Restore Ban 192.0.2.51", StringComparison.Ordinal), "restored");

        // fail2ban cuts a restored ban only to bantime.maxtime when bans increase (none here), not to bantime
        var (_, withTime) = await d.ClientAsync("get", "sshd", "banip", "--with-time");
        Assert.Contains("192.0.2.51", withTime, StringComparison.Ordinal);
        Assert.Contains("+ 6 =", withTime, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rename")]
    [InlineData("copytruncate")]
    public async Task Server_RotationMidAttack_LosesAndDoubleCountsNothing(string how)
    {
        await using var d = await TestDaemon.StartAsync(Jail + "\nmaxretry = 4\n");
        d.Append(TestDaemon.FailedPassword("203.0.113.60"), TestDaemon.FailedPassword("203.0.113.60"));
        await d.WaitForFailedAsync(2);
        if (how == "rename")
        {
            File.Move(d.AuthLog, d.AuthLog + ".1");
            d.Append(TestDaemon.Sshd("Server listening on 0.0.0.0 port 22."), TestDaemon.FailedPassword("203.0.113.60"));
        }
        else
        {
            File.Copy(d.AuthLog, d.AuthLog + ".1");
            using (var f = new FileStream(d.AuthLog, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                f.SetLength(0);
            }

            d.Append(TestDaemon.Sshd("Server listening on 0.0.0.0 port 22."), TestDaemon.FailedPassword("203.0.113.60"));
        }

        await d.WaitForFailedAsync(3);
        Assert.Equal(3, await d.TotalFailedAsync());
        Assert.DoesNotContain("+203.0.113.60", d.Dummy(), StringComparison.Ordinal);
        d.Append(TestDaemon.FailedPassword("203.0.113.60"));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.60", StringComparison.Ordinal), "ban on the 4th");
        Assert.Equal(4, await d.TotalFailedAsync());
    }

    /// <summary>
    /// A user name naming another address: sshd logs each attempt as "Invalid user NAME from ADDR port N" and "Failed
    /// password for invalid user NAME from ADDR port N ssh2". The first counts for sshd's own (last) address; the
    /// second holds two " from " and counts for nobody. The forged address is never banned.
    /// </summary>
    [Fact]
    public async Task Server_ForgedUserName_BansOnlyTheRealSource()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        for (var i = 0; i < 3; i++)
        {
            d.Append(
                TestDaemon.Sshd("Invalid user root from 6.6.6.6 port 22 from 203.0.113.70 port 50022"),
                TestDaemon.Sshd("Failed password for invalid user root from 6.6.6.6 port 22 from 203.0.113.70 port 50022 ssh2"));
        }

        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.70", StringComparison.Ordinal), "real source banned");
        Assert.DoesNotContain("6.6.6.6", d.Dummy(), StringComparison.Ordinal);
        var (_, status) = await d.ClientAsync(true, "status", "sshd");
        Assert.Equal(["203.0.113.70"], JsonNode.Parse(status)!["Actions"]!["Banned IP list"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Server_ShellMetacharactersInUserName_NeverExecute()
    {
        var marker = Path.Join(Path.GetTempPath(), "sharpban-pwned-" + Guid.NewGuid().ToString("N"));
        const string Action = """
            [Definition]
            actionban = printf '%%s\n' "<F-USER>" >> '<target>'
                        echo <F-USER> >> '<target>'
                        printf '%%s\n' '<F-USER>' >> '<target>'
                        printf '%%b\n' "<matches>" >> '<target>'
                        echo <matches> >> '<target>'
            actionunban =
            [Init]
            target = /dev/null
            """;
        await using var d = await TestDaemon.StartAsync(Jail.Replace("action = dummy[", "action = leaky[", StringComparison.Ordinal), start: false);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "leaky.conf"), Action);
        await d.StartServerAsync();
        var users = new[] { $"$(touch {marker})", $"`touch {marker}`", $";touch {marker};reboot", $"'; touch {marker}; '", $"\"; touch {marker}; \"" };
        var ip = 10;
        foreach (var user in users)
        {
            var addr = $"203.0.113.{ip++}";
            d.Append(TestDaemon.FailedPassword(addr, user, ip), TestDaemon.FailedPassword(addr, user, ip), TestDaemon.FailedPassword(addr, user, ip));
        }

        await TestDaemon.WaitUntilAsync(() => users.All(u => d.Dummy().Split('\n').Count(l => l == u) >= 3), "every ban written", 30);
        Assert.False(File.Exists(marker), "a command from a log line was executed");
        foreach (var user in users)
        {
            Assert.Contains(user + "\n", d.Dummy(), StringComparison.Ordinal); // passed through verbatim
        }
    }

    [Fact]
    public async Task Client_Commands_TextAndJson()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        Assert.Equal((0, "Server replied: pong"), await d.ClientAsync("ping"));
        Assert.Equal((0, "\"pong\""), await d.ClientAsync(true, "ping"));
        Assert.Equal((0, "Status\n|- Number of jail:\t1\n`- Jail list:\tsshd"), await d.ClientAsync("status"));
        Assert.Equal((0, "{\"Number of jail\":1,\"Jail list\":\"sshd\"}"), await d.ClientAsync(true, "status"));
        Assert.Equal((0, "1.0.2"), await d.ClientAsync("version"));
        Assert.Equal((0, "a b"), await d.ClientAsync("echo", "a", "b"));
        Assert.Equal((0, "1"), await d.ClientAsync("set", "sshd", "banip", "192.0.2.1"));
        Assert.Equal((0, "[{'sshd': ['192.0.2.1']}]"), await d.ClientAsync("banned"));
        Assert.Equal((0, "[{\"sshd\":[\"192.0.2.1\"]}]"), await d.ClientAsync(true, "banned"));
        Assert.Equal((0, "[['sshd'], []]"), await d.ClientAsync("banned", "192.0.2.1", "192.0.2.2"));
        Assert.Equal(
            (0, $"Status for the jail: sshd\n|- Filter\n|  |- Currently failed:\t0\n|  |- Total failed:\t0\n|  `- File list:\t{d.AuthLog}\n`- Actions\n   |- Currently banned:\t1\n   |- Total banned:\t1\n   `- Banned IP list:\t192.0.2.1"),
            await d.ClientAsync("status", "sshd"));
        Assert.Equal((0, "600"), await d.ClientAsync("get", "sshd", "findtime"));
        Assert.Equal((0, "3"), await d.ClientAsync("get", "sshd", "maxretry"));
        Assert.Equal((0, "5"), await d.ClientAsync("set", "sshd", "maxretry", "5"));
        Assert.Equal((0, "3600"), await d.ClientAsync("set", "sshd", "bantime", "1h"));
        Assert.Equal((0, "These IP addresses/networks are ignored:\n|- 127.0.0.0/8\n|- 10.0.0.0/8\n`- ::1"), await d.ClientAsync("set", "sshd", "addignoreip", "10.0.0.0/8"));
        Assert.Equal((0, "[\"127.0.0.0/8\",\"10.0.0.0/8\",\"::1\"]"), await d.ClientAsync(true, "get", "sshd", "ignoreip"));
        Assert.Equal((0, $"Current monitored log file(s):\n`- {d.AuthLog}"), await d.ClientAsync("get", "sshd", "logpath"));
        Assert.Equal((0, "The jail sshd has the following actions:\ndummy"), await d.ClientAsync("get", "sshd", "actions"));
        Assert.Equal((0, $"Current database file is:\n`- {Path.Join(d.Dir, "db.sqlite3")}"), await d.ClientAsync("get", "dbfile"));
        Assert.Equal((0, "Current logging level is 'INFO'"), await d.ClientAsync("get", "loglevel"));
        Assert.Equal((0, "Current database purge age is:\n`- 86400seconds"), await d.ClientAsync("get", "dbpurgeage"));
        Assert.Equal((0, "logs: rolled over"), await d.ClientAsync("flushlogs"));
        Assert.Equal((0, "1"), await d.ClientAsync("unban", "192.0.2.1"));
        Assert.Equal((0, "0"), await d.ClientAsync(true, "unban", "--all"));
        Assert.Equal((255, "Sorry but the jail 'nope' does not exist\nERROR  NOK: Sorry but the jail 'nope' does not exist"), await d.ClientAsync("status", "nope"));
        Assert.Equal((255, "{\"error\":\"Sorry but the jail 'nope' does not exist\"}"), await d.ClientAsync(true, "get", "nope", "bantime"));
        var (code, text) = await d.ClientAsync("set", "sshd", "findtime", "soon");
        Assert.Equal(255, code);
        Assert.Contains("findtime", text, StringComparison.Ordinal);
        Assert.Contains("sshd", text, StringComparison.Ordinal);
        Assert.Equal((0, "Shutdown successful"), await d.ClientAsync("stop"));
    }

    [Fact]
    public async Task Server_ControlSocket_IsOwnerOnly()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(d.Socket));
    }
}

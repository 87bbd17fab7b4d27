using SharpBan.Tests.Server;

namespace SharpBan.Tests.Regressions;

/// <summary>
/// Differences from fail2ban-client found by <c>Client/ClientSequenceParityTests</c>, each pinned with the answer
/// fail2ban 1.0.2 gives (taken from it), so that they stay fixed where the reference is not installed.
/// </summary>
public sealed class ClientSequenceRegressionTests
{
    private const string JailLocal = TestDaemon.PollingJail;

    /// <summary>
    /// fail2ban's transmitter reads the words of <c>set</c>/<c>get</c>/<c>status</c> (and knows the option) before it looks
    /// the jail up; SharpBan answered "Sorry but the jail 'nosuch' does not exist" to all of these.
    /// </summary>
    [Fact]
    public async Task SetGetStatus_WordsCheckedBeforeTheJail_AnswersAsFail2ban()
    {
        await using var d = await TestDaemon.StartAsync(JailLocal);
        string[][] commands =
        [
            ["set", "nosuch", "nosuchoption", "1"], ["get", "nosuch", "nosuchoption"], ["set", "nosuch", "maxretry", "abc"],
            ["set", "nosuch", "addfailregex"], ["get", "nosuch"], ["get", "nosuch", "action", "dummy"], ["status", "nosuch", "a", "b"],
            ["set", "nosuch", "idle", "maybe"], ["set", "nosuch", "addlogpath", "x", "middle"], ["set", "nosuch", "addlogpath", "x", "y", "z"],
            ["get", "sshd", "actionproperties"], ["set", "sshd", "action", "nosuch"], ["set", "sshd", "action", "dummy", "myprop"],
            ["set", "sshd", "attempt"], ["set", "sshd", "addaction", "x", "y"],
        ];
        string[] expected =
        [
            "Invalid command 'nosuchoption' (no set action or not yet implemented)", "Invalid command (no get action or not yet implemented)",
            "invalid literal for int() with base 10: 'abc'", "Sorry but the command is invalid", "Sorry but the command is invalid",
            "Sorry but the command is invalid", "Invalid command (no status)", "Invalid idle option, must be 'on' or 'off'",
            "File option must be 'head' or 'tail'", "Only one file can be added at a time", "Sorry but the command is invalid",
            "'Invalid Action name: nosuch'", "Sorry but the command is invalid", "Filter.addAttempt() missing 1 required positional argument: 'ip'",
            "Sorry but the command is invalid",
        ];

        var answers = new List<string>();
        foreach (var command in commands)
        {
            var (code, output, _) = await d.ClientSplitAsync(command);
            answers.Add($"{code}: {output.TrimEnd('\n')}");
        }

        Assert.Equal(expected.Select(e => "255: " + e), answers);
        Assert.Equal((0, "Current monitored log file(s):\n`- $DIR/auth.log"), await AnswerAsync(d, "get", "sshd", "logpath")); // nothing changed
    }

    /// <summary>
    /// <c>set JAIL maxlines 0</c> is refused with fail2ban's words and keeps the value; SharpBan named the jail in the
    /// message and kept the 0.
    /// </summary>
    [Fact]
    public async Task MaxLinesZero_IsRefusedAndTheValueStays()
    {
        await using var d = await TestDaemon.StartAsync(JailLocal);

        Assert.Equal((255, "maxlines must be integer greater than zero"), await AnswerAsync(d, "set", "sshd", "maxlines", "0"));
        Assert.Equal((0, "1"), await AnswerAsync(d, "get", "sshd", "maxlines"));
    }

    /// <summary><c>addlogpath PATH TAIL</c>: fail2ban reads the mode in any case; SharpBan refused it ("File option must be …").</summary>
    [Fact]
    public async Task AddLogPath_ModeInCapitals_IsAccepted()
    {
        await using var d = await TestDaemon.StartAsync(JailLocal);
        File.WriteAllText(Path.Join(d.Dir, "other.log"), "");

        Assert.Equal(
            (0, "Current monitored log file(s):\n|- $DIR/auth.log\n`- $DIR/other.log"),
            await AnswerAsync(d, "set", "sshd", "addlogpath", Path.Join(d.Dir, "other.log"), "TAIL"));
    }

    /// <summary>
    /// An address fail2ban's <c>IPAddr</c> cannot read (a prefix that is not a number) fails <c>banip</c> and
    /// <c>attempt</c> with Python's error, the addresses before it in the same <c>banip</c> staying banned, and fails
    /// <c>banned</c> queries once there is a ban to compare it with; SharpBan banned it as a name and answered 3.
    /// </summary>
    [Fact]
    public async Task BanIp_BadPrefix_FailsAfterTheAddressesBeforeIt()
    {
        await using var d = await TestDaemon.StartAsync(JailLocal);
        const string Error = "invalid literal for int() with base 10: 'abc'";

        Assert.Equal((0, "[[]]"), await AnswerAsync(d, "banned", "192.0.2.0/abc")); // nothing banned: nothing compared
        Assert.Equal((255, Error), await AnswerAsync(d, "set", "sshd", "banip", "192.0.2.1", "192.0.2.0/abc", "192.0.2.2"));
        Assert.Equal((0, "192.0.2.1"), await AnswerAsync(d, "get", "sshd", "banip"));
        Assert.Equal((255, Error), await AnswerAsync(d, "banned", "192.0.2.0/abc"));
        Assert.Equal((255, Error), await AnswerAsync(d, "get", "sshd", "banned", "192.0.2.1", "192.0.2.0/abc"));
        Assert.Equal((255, Error), await AnswerAsync(d, "set", "sshd", "attempt", "192.0.2.0/abc"));
        Assert.Equal((0, "0"), await AnswerAsync(d, "unban", "192.0.2.0/abc"));
        Assert.Equal((255, "not banned: ['192.0.2.0/abc']"), await AnswerAsync(d, "set", "sshd", "unbanip", "--report-absent", "192.0.2.0/abc"));
    }

    /// <summary>
    /// A network given with a mask is banned under its prefix length, as fail2ban's <c>IPAddr</c> keeps it (SharpBan kept
    /// the text as a name); and <c>get JAIL banip SEP …</c> joins with its fourth word only (SharpBan printed one per line
    /// as soon as a later word was <c>--with-time</c>).
    /// </summary>
    [Fact]
    public async Task BanIp_NetworkWithMask_IsItsPrefixLength_AndTheSeparatorIsTheFourthWord()
    {
        await using var d = await TestDaemon.StartAsync(JailLocal);

        Assert.Equal((0, "3"), await AnswerAsync(d, "set", "sshd", "banip", "203.0.113.0/255.255.255.0", "2001:db8::5/ffff:ffff::", "192.0.2.1"));
        Assert.Equal((0, "203.0.113.0/24x2001:db8::/32x192.0.2.1"), await AnswerAsync(d, "get", "sshd", "banip", "x", "--with-time"));
        Assert.Equal((0, "[['sshd']]"), await AnswerAsync(d, "banned", "203.0.113.0/255.255.255.0"));
        Assert.Equal((0, "1"), await AnswerAsync(d, "unban", "203.0.113.0/255.255.255.0"));
        Assert.Equal((0, "2001:db8::/32,192.0.2.1"), await AnswerAsync(d, "get", "sshd", "banip", ",", "x"));
    }

    /// <summary>
    /// <c>set JAIL unbanip</c> unbans the bans inside a network as <c>unban</c> does, and with <c>--report-absent</c> the
    /// addresses found before the error (fail2ban's <c>removeBannedIP</c>); SharpBan matched the text only and unbanned
    /// nothing when one was absent. A single address written as <c>/32</c> matches only as given, in both.
    /// </summary>
    [Fact]
    public async Task UnbanIp_NetworkAndReportAbsent_AsFail2ban()
    {
        await using var d = await TestDaemon.StartAsync(JailLocal);

        Assert.Equal((0, "3"), await AnswerAsync(d, "set", "sshd", "banip", "192.0.2.1", "192.0.2.0/28", "192.0.2.77"));
        Assert.Equal((255, "not banned: ['192.0.2.9']"), await AnswerAsync(d, "set", "sshd", "unbanip", "--report-absent", "192.0.2.1", "192.0.2.9"));
        Assert.Equal((0, "192.0.2.0/28 192.0.2.77"), await AnswerAsync(d, "get", "sshd", "banip"));
        Assert.Equal((0, "2"), await AnswerAsync(d, "set", "sshd", "unbanip", "192.0.2.0/24"));
        Assert.Equal((0, "1"), await AnswerAsync(d, "set", "sshd", "banip", "192.0.2.5"));
        Assert.Equal((0, "0"), await AnswerAsync(d, "set", "sshd", "unbanip", "192.0.2.5/32"));
        Assert.Equal((0, "0"), await AnswerAsync(d, "unban", "192.0.2.5/32"));
        Assert.Equal((0, "192.0.2.5"), await AnswerAsync(d, "get", "sshd", "banip"));
    }

    /// <summary>
    /// <c>reload JAIL</c> and <c>restart JAIL</c> of a configured jail that was stopped answer that it does not exist, as
    /// fail2ban (SharpBan started it again); <c>reload --if-exists JAIL</c> adds it again from the configuration.
    /// </summary>
    [Fact]
    public async Task ReloadOfAStoppedJail_OnlyWithIfExists()
    {
        await using var d = await TestDaemon.StartAsync(JailLocal);
        Assert.Equal((0, "Jail stopped"), await AnswerAsync(d, "stop", "sshd"));

        Assert.Equal((255, "Sorry but the jail 'sshd' does not exist"), await AnswerAsync(d, "reload", "sshd"));
        Assert.Equal((255, "Sorry but the jail 'sshd' does not exist"), await AnswerAsync(d, "restart", "--unban", "sshd"));
        Assert.Equal((0, "Status\n|- Number of jail:\t0\n`- Jail list:\t"), await AnswerAsync(d, "status"));
        Assert.Equal((0, "OK"), await AnswerAsync(d, "reload", "--if-exists", "sshd"));
        Assert.Equal((0, "Status\n|- Number of jail:\t1\n`- Jail list:\tsshd"), await AnswerAsync(d, "status"));
    }

    /// <summary>
    /// A reload (of one jail too) sets the server options back to the configuration's, as fail2ban executes the whole
    /// stream; SharpBan kept <c>dbmaxmatches</c>, <c>dbpurgeage</c> and <c>loglevel</c> as last set by a client.
    /// </summary>
    [Fact]
    public async Task Reload_SetsTheServerOptionsAgain()
    {
        await using var d = await TestDaemon.StartAsync(JailLocal);
        Assert.Equal((0, "5"), await AnswerAsync(d, "set", "dbmaxmatches", "5"));
        Assert.Equal((0, "Current database purge age is:\n`- 7200seconds"), await AnswerAsync(d, "set", "dbpurgeage", "2h"));
        Assert.Equal((0, "Current logging level is 'DEBUG'"), await AnswerAsync(d, "set", "loglevel", "DEBUG"));

        Assert.Equal((0, "OK"), await AnswerAsync(d, "reload", "sshd"));
        Assert.Equal((0, "10"), await AnswerAsync(d, "get", "dbmaxmatches"));
        Assert.Equal((0, "Current database purge age is:\n`- 86400seconds"), await AnswerAsync(d, "get", "dbpurgeage"));
        Assert.Equal((0, "Current logging level is 'INFO'"), await AnswerAsync(d, "get", "loglevel"));
    }

    /// <summary>
    /// A jail that joins a file another jail already reads (added at run time, or stopped and re-added by a reload) reads
    /// the file's lines from its own start, as fail2ban's jails each read their files; SharpBan's shared reader gave it
    /// only the lines written after it joined, so it counted none of the failures already there.
    /// </summary>
    [Fact]
    public async Task JailJoiningASharedFile_ReadsTheLinesAlreadyThere()
    {
        const string TwoJails = JailLocal + """

            [sshd-copy]
            enabled = true
            filter = sshd
            backend = polling
            logpath = $DIR/auth.log
            action = dummy[target="$DIR/copy.out"]
            """;
        await using var d = await TestDaemon.StartAsync(TwoJails);
        Assert.Equal(0, (await d.ClientAsync("stop", "sshd-copy")).Code);
        d.Append(TestDaemon.FailedPassword("192.0.2.7"), TestDaemon.FailedPassword("192.0.2.8"));
        await d.WaitForFailedAsync(2);

        Assert.Equal(0, (await d.ClientAsync("reload", "--if-exists", "sshd-copy")).Code);
        Assert.Equal(2, await d.TotalFailedAsync("sshd-copy"));

        string[][] extra = [["add", "extra", "polling"], ["set", "extra", "addfailregex", @"Failed password for \S+ from <HOST>"], ["start", "extra"]];
        foreach (var command in extra)
        {
            Assert.Equal(0, (await d.ClientAsync(command)).Code);
        }

        Assert.Equal(0, (await d.ClientAsync("set", "extra", "addlogpath", d.AuthLog)).Code);
        Assert.Equal(2, await d.TotalFailedAsync("extra"));
        d.Append(TestDaemon.FailedPassword("192.0.2.9"));
        await d.WaitForFailedAsync(3, "extra");
        await d.WaitForFailedAsync(3, "sshd-copy");
        Assert.Equal(3, await d.TotalFailedAsync("sshd")); // each line once per jail
    }

    /// <summary>
    /// An idle jail reads the lines written meanwhile when it wakes (fail2ban's idle filter just stops reading); SharpBan
    /// dropped them.
    /// </summary>
    [Fact]
    public async Task IdleJail_ReadsTheLinesWrittenMeanwhileWhenItWakes()
    {
        await using var d = await TestDaemon.StartAsync(JailLocal);
        Assert.Equal((0, "True"), await AnswerAsync(d, "set", "sshd", "idle", "on"));
        d.Append(TestDaemon.FailedPassword("192.0.2.7"), TestDaemon.FailedPassword("192.0.2.8"));
        await Task.Delay(1500); // polled (at most 1 s) and skipped by the idle jail
        Assert.Equal(0, await d.TotalFailedAsync());

        Assert.Equal((0, "False"), await AnswerAsync(d, "set", "sshd", "idle", "off"));
        Assert.Equal(2, await d.TotalFailedAsync());
        d.Append(TestDaemon.FailedPassword("192.0.2.9"));
        await d.WaitForFailedAsync(3);
        await Task.Delay(1500);
        Assert.Equal(3, await d.TotalFailedAsync());
    }

    /// <summary>
    /// <c>set JAIL logencoding</c> at run time decodes the jail's open file with the new codec (fail2ban sets it on its
    /// open files); SharpBan kept decoding with the one the file was opened with until a restart.
    /// </summary>
    [Fact]
    public async Task LogEncodingSetAtRunTime_DecodesTheNextLines()
    {
        await using var d = await TestDaemon.StartAsync(JailLocal.Replace("dummy[target=\"$DIR/dummy.out\"]", "who[target=\"$DIR/who.out\"]", StringComparison.Ordinal), start: false);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "who.conf"), "[Definition]\nactionban = printf '%%s\\n' \"<F-USER> <ip>\" >> '<target>'\n");
        await d.StartServerAsync();
        Assert.Equal((0, "Current log encoding is set to:\nlatin-1"), await AnswerAsync(d, "set", "sshd", "logencoding", "latin-1"));

        var line = TestDaemon.FailedPassword("203.0.113.31", user: "\u00e9t\u00e9") + "\n";
        File.AppendAllText(d.AuthLog, line + line + line, System.Text.Encoding.Latin1);
        var who = Path.Join(d.Dir, "who.out");
        await TestDaemon.WaitUntilAsync(() => File.Exists(who) && File.ReadAllText(who).Contains("203.0.113.31", StringComparison.Ordinal), "ban with the user");
        Assert.Equal("\u00e9t\u00e9 203.0.113.31\n", File.ReadAllText(who));
    }

    /// <summary>
    /// The addresses of one <c>set JAIL banip</c> share the command's time, as in fail2ban, so an address banned again in
    /// it ends with the new ones and keeps its place in <c>get JAIL banip</c>; each had its own time (read from a clock
    /// that moves here on every reading), and the address banned again was listed after the new ones.
    /// </summary>
    [Fact]
    public async Task BanIp_AddressesOfOneCommand_ShareItsTime()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(250) };
        var context = new SharpBan.Server.ServerContext(time, new SharpBan.Processes.ShellProcessRunner(),
            new SharpBan.Engine.Matching.NoDnsResolver(), new SharpBan.Engine.Jails.FixedSelfAddresses(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        using var sink = new SharpBan.Server.Logging.LogSink(time);
        await using var server = new SharpBan.Server.JailServer(context, sink);
        await server.ExecuteAsync(["add", "manual", "polling"]);
        await server.ExecuteAsync(["set", "manual", "bantime", "600"]);
        await server.ExecuteAsync(["start", "manual"]);

        await server.ExecuteAsync(["set", "manual", "banip", "192.0.2.1"]);
        await server.ExecuteAsync(["set", "manual", "banip", "192.0.2.2", "192.0.2.1", "192.0.2.3"]);

        var order = (await server.ExecuteAsync(["get", "manual", "banip"]))!.AsArray().Select(n => (string?)n);
        Assert.Equal(["192.0.2.1", "192.0.2.2", "192.0.2.3"], order);
    }

    private static async Task<(int Code, string Output)> AnswerAsync(TestDaemon d, params string[] words)
    {
        var (code, output, _) = await d.ClientSplitAsync(words);
        return (code, output.Replace(d.Dir, "$DIR", StringComparison.Ordinal).TrimEnd('\n'));
    }
}

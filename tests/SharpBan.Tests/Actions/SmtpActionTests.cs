using SharpBan.Tests.Server;
using SharpBan.Tests.Support;

namespace SharpBan.Tests.Actions;

/// <summary>
/// fail2ban's <c>action = smtp.py[…]</c> under the real daemon, built in (<see cref="SharpBan.Actions.SmtpAction"/>),
/// delivering to a real SMTP server on loopback (<see cref="SmtpSink"/>, Python's smtpd).
/// </summary>
public class SmtpActionTests
{
    private const string Offender = "203.0.113.5";
    private const string Neighbour = "203.0.113.50"; // the offender's address is a prefix of it: never in its mail

    private static string Jail(string actionOptions) => $"""
        [sshd]
        enabled = true
        backend = polling
        logpath = $DIR/auth.log
        action = smtp.py[{actionOptions}]
        """;

    [Fact]
    public async Task Ban_MailsStartBanWithTheJailsLogLinesAndStop()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var d = await TestDaemon.StartAsync(Jail(
            $"""host="{sink.Address}", dest="admin@example.org, ops@example.org", sender="guard@example.org", sendername="Guard", matches=ipjailmatches"""));
        var host = System.Net.Dns.GetHostName();
        var start = await sink.WaitForAsync("[Fail2Ban] sshd: started on " + host);
        Assert.Equal("guard@example.org", start.MailFrom);
        Assert.Equal(["admin@example.org", "ops@example.org"], start.Recipients);
        Assert.Null(start.Login);

        string[] users = ["$(touch /tmp/x)", "o'q\"uote", "bob"];
        d.Append(TestDaemon.FailedPassword(Neighbour, "neighbour"));
        var lines = users.Select(u => TestDaemon.FailedPassword(Offender, u)).ToArray();
        d.Append(lines);
        var ban = await sink.WaitForAsync($"[Fail2Ban] sshd: banned {Offender} from {host}");
        var message = ban.Message;
        Assert.Equal(["admin@example.org", "ops@example.org"], ban.Recipients);
        var from = Assert.IsType<MimeKit.MailboxAddress>(Assert.Single(message.From));
        Assert.Equal(("Guard", "guard@example.org"), (from.Name, from.Address));
        Assert.Equal(["admin@example.org", "ops@example.org"], message.To.Mailboxes.Select(static m => m.Address));
        Assert.Contains($"{Offender} is banned for 600 seconds after 3 failures in the jail sshd", message.TextBody, StringComparison.Ordinal); // shipped defaults
        foreach (var line in lines)
        {
            Assert.Contains(line, message.TextBody, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Neighbour, message.TextBody, StringComparison.Ordinal);

        await d.StopServerAsync();
        await sink.WaitForAsync("[Fail2Ban] sshd: stopped on " + host);
        Assert.Equal(3, sink.Messages().Count);
        Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_UserAndPasswordSetLogIn()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var d = await TestDaemon.StartAsync(Jail($"host=\"{sink.Address}\", user=\"guard\", password=\"s3cret pass\""));
        var start = await sink.WaitForAsync("started on");
        Assert.Equal("guard:s3cret pass", start.Login);
        Assert.Equal("fail2ban", start.MailFrom); // smtp.py's defaults: sender fail2ban, dest root
        Assert.Equal(["root"], start.Recipients);
        Assert.Equal("Fail2Ban", start.Message.From.Mailboxes.Single().Name);
    }

    [Fact]
    public async Task Restart_RestoredBanIsNotMailedAgain()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var d = await TestDaemon.StartAsync(Jail($"host=\"{sink.Address}\""));
        await sink.WaitForAsync("started on");
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", Offender)).Code);
        await sink.WaitForAsync("banned " + Offender);
        await d.StopServerAsync();
        await sink.WaitForAsync("stopped on");

        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => sink.Messages().Count(m => m.Subject.Contains("started on", StringComparison.Ordinal)) == 2, "second start mail");
        Assert.Equal(1, (await d.ClientAsync("get", "sshd", "banned", Offender)).Output.Trim() == "1" ? 1 : 0);
        await Task.Delay(1000); // a restored ban's mail would have been queued with the start
        Assert.Single(sink.Messages(), m => m.Subject.Contains("banned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnreachableServer_BanStandsAndTheFailureIsLogged()
    {
        var closed = LoopbackPort.Free();
        await using var d = await TestDaemon.StartAsync(Jail($"host=\"127.0.0.1:{closed}\""));
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", Offender)).Code);
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Failed to execute ban jail 'sshd' action 'smtp' info 'ActionInfo({'ip': '" + Offender + "', 'family': 'inet4'})': ", StringComparison.Ordinal), "ban failure logged: " + d.Log());
        Assert.Contains("Failed to start jail 'sshd' action 'smtp': ", d.Log(), StringComparison.Ordinal);
        Assert.Equal("1", (await d.ClientAsync("get", "sshd", "banned", Offender)).Output.Trim());
        Assert.Equal(0, (await d.ClientAsync("ping")).Code);
    }

    /// <summary>
    /// A mail server that accepts connections and never answers holds up the mails (each until its timeout), not the
    /// bans of the jail's other action: every address reaches the firewall action at once.
    /// </summary>
    [Fact]
    public async Task SilentServer_OtherActionsBansAreNotHeldUp()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(64);
        var held = new System.Collections.Concurrent.ConcurrentBag<System.Net.Sockets.Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                held.Add(await silent.AcceptSocketAsync(stop.Token));
            }
        }, stop.Token);
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        await using var d = await TestDaemon.StartAsync($$"""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = smtp.py[host="127.0.0.1:{{port}}"]
                     dummy[target="$DIR/dummy.out"]
            """);
        var addresses = Enumerable.Range(1, 40).Select(static i => $"198.51.100.{i}").ToArray();
        Assert.Equal(0, (await d.ClientAsync(["set", "sshd", "banip", .. addresses])).Code);
        await TestDaemon.WaitUntilAsync(() => addresses.All(a => d.Dummy().Contains("+" + a, StringComparison.Ordinal)),
            "every ban reached the dummy action while the mails hang: " + d.Dummy(), 20);

        // the daemon's stop does not wait for 40 mails of 60 s each, not even for one: after the grace (5 s) the mails
        // are cancelled, the firewall action still gets its flush and stop. Measured on the daemon's own log times, far
        // from one mail's timeout (the test host's view of it stalls on a loaded machine)
        await d.StopServerAsync();
        var log = d.Log();
        Assert.Contains("actions still busy 5 s after the stop began", log, StringComparison.Ordinal);
        var stopping = TestDaemon.LogTime(log, "Shutdown in progress...");
        var exiting = TestDaemon.LogTime(log, "Exiting SharpBan");
        Assert.InRange(exiting - stopping, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(30));
        Assert.EndsWith("flush sshd\nstop sshd\n", d.Dummy(), StringComparison.Ordinal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
        foreach (var socket in held)
        {
            socket.Dispose();
        }
    }

    [Fact]
    public async Task StartTls_ServerWithoutIt_NoMailInPlainText()
    {
        await using var sink = await SmtpSink.StartAsync(); // smtpd offers no STARTTLS
        await using var d = await TestDaemon.StartAsync(Jail($"host=\"{sink.Address}\", tls=starttls, user=guard, password=secret"));
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Failed to start jail 'sshd' action 'smtp': ", StringComparison.Ordinal), "start failure logged: " + d.Log());
        Assert.Contains("STARTTLS", d.Log(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(sink.Messages());
    }

    /// <summary>
    /// <c>tls = starttls</c> and <c>tls = ssl</c> against a server whose certificate the daemon trusts (the test CA as
    /// <c>SSL_CERT_FILE</c>): the login and every mail go over TLS.
    /// </summary>
    [Theory]
    [InlineData("starttls")]
    [InlineData("ssl")]
    public async Task Tls_TrustedServer_LoginAndMailsOverTls(string mode)
    {
        await using var sink = await TlsSmtpSink.StartAsync(mode);
        await using var d = await TestDaemon.StartAsync(Jail($"host=\"{sink.Address}\", tls={mode}, user=guard, password=secret, dest=\"admin@example.org\""), start: false);
        d.Environment["SSL_CERT_FILE"] = sink.CaFile;
        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => sink.Messages().Any(static m => m.Record.Subject.Contains("started on", StringComparison.Ordinal)), "start mailed: " + d.Log());
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", Offender)).Code);
        await TestDaemon.WaitUntilAsync(() => sink.Messages().Any(static m => m.Record.Subject.Contains($"banned {Offender}", StringComparison.Ordinal)), "ban mailed: " + d.Log());
        var messages = sink.Messages();
        Assert.All(messages, static m => Assert.True(m.Tls, "a mail in plain text"));
        Assert.All(messages, static m => Assert.Equal("guard:secret", m.Record.Login));
        Assert.All(messages, static m => Assert.Equal(["admin@example.org"], m.Record.Recipients));
        Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
    }

    /// <summary>A certificate the daemon does not trust: nothing is sent, not even without TLS, and the failure is logged.</summary>
    [Theory]
    [InlineData("starttls")]
    [InlineData("ssl")]
    public async Task Tls_UntrustedCertificate_NothingSent(string mode)
    {
        await using var sink = await TlsSmtpSink.StartAsync(mode);
        await using var d = await TestDaemon.StartAsync(Jail($"host=\"{sink.Address}\", tls={mode}, user=guard, password=secret"));
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Failed to start jail 'sshd' action 'smtp': ", StringComparison.Ordinal), "start failure logged: " + d.Log());
        Assert.Contains("certificate", d.Log(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", Offender)).Code);
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Failed to execute ban jail 'sshd' action 'smtp' info 'ActionInfo({'ip': '" + Offender + "', 'family': 'inet4'})': ", StringComparison.Ordinal), "ban failure logged: " + d.Log());
        Assert.Empty(sink.Messages());
    }

    [Fact]
    public async Task Properties_ReadAndChangedAtRunTimeUnderSmtpPyAttributeNames()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var d = await TestDaemon.StartAsync(Jail($"host=\"{sink.Address}\", dest=\"admin@example.org\""));
        await sink.WaitForAsync("started on");
        Assert.Equal("admin@example.org", (await d.ClientAsync("get", "sshd", "action", "smtp", "toaddr")).Output.Trim());
        var (code, output) = await d.ClientAsync("get", "sshd", "action", "smtp", "dest");
        Assert.NotEqual(0, code);
        Assert.Contains("'SMTPAction' object has no attribute 'dest'", output, StringComparison.Ordinal);

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "action", "smtp", "toaddr", "second@example.org")).Code);
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", Offender)).Code);
        var ban = await sink.WaitForAsync("banned " + Offender);
        Assert.Equal(["second@example.org"], ban.Recipients);
    }

    [Fact]
    public async Task OtherPythonAction_JailRefusedWithTheFileNamed()
    {
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = custom.py[dest=root]
            """, start: false);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "custom.py"), "# a Python action\n");
        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Python actions are not supported", StringComparison.Ordinal), "refusal logged: " + d.Log());
        Assert.Contains("custom.py", d.Log(), StringComparison.Ordinal);
    }
}

namespace SharpBan.Tests.Server;

/// <summary>
/// Our shipped mail actions through jail.conf's <c>action_mwl</c> shortcut, under the real daemon. sendmail, mail and
/// whois are recording stubs (<see cref="ShippedActionInjectionTests.InstallStubs"/>): no mail can be delivered here,
/// but the stub sees exactly the argument list and message a real MTA would get.
/// </summary>
public class ShippedMailActionTests
{
    private const string Offender = "203.0.113.5";
    private const string Neighbour = "203.0.113.50"; // contains the offender's address as a prefix: never in its mail

    [Theory]
    [InlineData("sendmail")]
    [InlineData("mail")]
    public async Task ActionMwl_Ban_MailCarriesAddressJailFailuresWhoisAndTheOffendersLogLines(string mta)
    {
        var marker = Path.Join(Path.GetTempPath(), "sharpban-pwned-" + Guid.NewGuid().ToString("N"));
        await using var d = await TestDaemon.StartAsync($"""
            [DEFAULT]
            banaction = dummy
            destemail = admin@example.org
            sender = sharpban@example.org
            mta = {mta}

            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = %(action_mwl)s
            """, start: false);
        try
        {
            File.WriteAllText(Path.Join(d.Dir, "action.d", "dummy.local"), $"[Init]\ntarget = {d.DummyFile}\n");
            d.Environment["PATH"] = ShippedActionInjectionTests.InstallStubs(d.Dir) + ":" + Environment.GetEnvironmentVariable("PATH");
            d.Environment["STUB_RECORDS"] = Path.Join(d.Dir, "records");
            var record = Path.Join(d.Dir, "records", mta);
            string Recorded() => File.Exists(record) ? File.ReadAllText(record) : "";
            await d.StartServerAsync();
            await TestDaemon.WaitUntilAsync(() => Recorded().Contains("started on ", StringComparison.Ordinal), "start notice mailed");

            string[] users = [$"$(touch {marker})", $"`touch {marker}`", $"x;touch {marker};", $"o'q\"uote"];
            var lines = users.Select(u => TestDaemon.FailedPassword(Offender, u)).ToArray();
            d.Append(TestDaemon.FailedPassword(Neighbour, "neighbour"));
            d.Append(lines);
            await TestDaemon.WaitUntilAsync(() => Recorded().Contains("banned " + Offender, StringComparison.Ordinal), "ban mailed; errors: " + d.Log());
            await TestDaemon.WaitUntilAsync(() => lines.All(l => Recorded().Contains(l, StringComparison.Ordinal)), "every log line in the mail: " + Recorded());

            var text = Recorded();
            var mail = text[text.LastIndexOf(mta == "mail" ? "arg: -s\n" : "arg: -i\n", StringComparison.Ordinal)..];
            Assert.Contains($"has banned {Offender} in the jail sshd after 3 failures.", mail, StringComparison.Ordinal); // maxretry 3
            Assert.Contains("abuse-mailbox: abuse@example.org", mail, StringComparison.Ordinal); // the whois stub's answer
            Assert.DoesNotContain(Neighbour, mail, StringComparison.Ordinal);
            if (mta == "sendmail")
            {
                Assert.StartsWith("arg: -i\narg: -f\narg: sharpban@example.org\narg: --\narg: admin@example.org\nstdin:\n", mail, StringComparison.Ordinal);
                Assert.Contains($"\nSubject: [SharpBan] sshd: banned {Offender} after 3 failures\n", mail, StringComparison.Ordinal);
                Assert.Contains("\nFrom: SharpBan <sharpban@example.org>\nTo: admin@example.org\n", mail, StringComparison.Ordinal);
            }
            else
            {
                Assert.StartsWith($"arg: -s\narg: [SharpBan] sshd: banned {Offender} after 3 failures\narg: -r\narg: sharpban@example.org\narg: admin@example.org\nstdin:\n", mail, StringComparison.Ordinal);
            }

            Assert.Contains($"arg: --\narg: {Offender}\n", File.ReadAllText(Path.Join(d.Dir, "records", "whois")), StringComparison.Ordinal);
            Assert.Contains("+" + Offender, d.Dummy(), StringComparison.Ordinal); // the ban action of action_mwl ran too
            Assert.False(File.Exists(marker), "a command from a log line was executed");

            await d.StopServerAsync();
            Assert.Contains("stopped on ", Recorded(), StringComparison.Ordinal);
            Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task Mail_Ban_MailThroughMailWithoutWhois()
    {
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = mail[dest="admin@example.org", sender="sharpban@example.org"]
            """, start: false);
        d.Environment["PATH"] = ShippedActionInjectionTests.InstallStubs(d.Dir) + ":" + Environment.GetEnvironmentVariable("PATH");
        d.Environment["STUB_RECORDS"] = Path.Join(d.Dir, "records");
        var record = Path.Join(d.Dir, "records", "mail");
        string Recorded() => File.Exists(record) ? File.ReadAllText(record) : "";
        await d.StartServerAsync();
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", Offender)).Code);
        await TestDaemon.WaitUntilAsync(() => Recorded().Contains("banned " + Offender, StringComparison.Ordinal), "ban mailed; errors: " + d.Log());

        var text = Recorded();
        var mail = text[text.LastIndexOf("arg: -s\n", StringComparison.Ordinal)..];
        Assert.StartsWith($"arg: -s\narg: [SharpBan] sshd: banned {Offender} after ", mail, StringComparison.Ordinal);
        Assert.Contains("\narg: -r\narg: sharpban@example.org\narg: admin@example.org\nstdin:\nSharpBan on ", mail, StringComparison.Ordinal);
        Assert.Contains($" has banned {Offender} in the jail sshd after ", mail, StringComparison.Ordinal);
        Assert.DoesNotContain("whois", mail, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(d.Dir, "records", "whois")), "mail.conf does not ask whois");
        await d.StopServerAsync();
        Assert.Contains("stopped on ", Recorded(), StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
    }

    /// <summary>
    /// sendmail-buffered / mail-buffered: bans wait in a file and go out <c>lines</c> at a time; the rest when the jail
    /// stops; bans left in the file (a crash) go out when the jail starts again.
    /// </summary>
    [Theory]
    [InlineData("sendmail-buffered", "sendmail")]
    [InlineData("mail-buffered", "mail")]
    public async Task Buffered_Bans_MailedTwoAtATimeAndTheRestAtStop(string action, string mta)
    {
        await using var d = await TestDaemon.StartAsync($"""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = {action}[dest="admin@example.org", sender="sharpban@example.org", lines=2, tmpfile="$DIR/buffer/sshd.txt"]
            """, start: false);
        d.Environment["PATH"] = ShippedActionInjectionTests.InstallStubs(d.Dir) + ":" + Environment.GetEnvironmentVariable("PATH");
        d.Environment["STUB_RECORDS"] = Path.Join(d.Dir, "records");
        var record = Path.Join(d.Dir, "records", mta);
        var buffer = Path.Join(d.Dir, "buffer", "sshd.txt");
        string Recorded() => File.Exists(record) ? File.ReadAllText(record) : "";
        int Mails() => Recorded().Split("stdin:\n").Length - 1;

        // a ban left by a crashed run goes out first
        Directory.CreateDirectory(Path.GetDirectoryName(buffer)!);
        File.WriteAllText(buffer, "2026-11-26 10:00:00: 198.51.100.9 (3 failures)\n");
        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => Recorded().Contains("started on ", StringComparison.Ordinal), "start mailed; errors: " + d.Log());
        Assert.Contains("bans left from before the start on ", Recorded(), StringComparison.Ordinal);
        Assert.Contains(": 198.51.100.9 (3 failures)", Recorded(), StringComparison.Ordinal);
        Assert.False(File.Exists(buffer));
        Assert.Contains("Bans are mailed 2 at a time.", Recorded(), StringComparison.Ordinal);
        Assert.Equal("1", (await d.ClientAsync("get", "sshd", "action", action, "concurrency")).Output.Trim()); // one call at a time
        var before = Mails();

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "203.0.113.1")).Code);
        await TestDaemon.WaitUntilAsync(() => File.Exists(buffer) && File.ReadAllText(buffer).Contains("203.0.113.1", StringComparison.Ordinal), "first ban buffered");
        Assert.Equal(before, Mails());
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "203.0.113.2", "203.0.113.3")).Code);
        await TestDaemon.WaitUntilAsync(() => Mails() == before + 1, "two bans mailed together; errors: " + d.Log());
        var summary = Recorded()[Recorded().LastIndexOf(mta == "mail" ? "arg: -s\n" : "arg: -i\n", StringComparison.Ordinal)..];
        Assert.Contains("2 bans on ", summary, StringComparison.Ordinal);
        Assert.Contains("has banned these addresses in the jail sshd:", summary, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d: 203\.0\.113\.1 \(\d+ failures\)\n", summary);

        // one at a time (concurrency = 1), in either order: one of the two bans went out with the first, the other waits
        var (sent, waiting) = summary.Contains("203.0.113.2", StringComparison.Ordinal) ? ("203.0.113.2", "203.0.113.3") : ("203.0.113.3", "203.0.113.2");
        Assert.Matches($@": {sent.Replace(".", "\\.", StringComparison.Ordinal)} \(\d+ failures\)\n", summary);
        await TestDaemon.WaitUntilAsync(() => File.Exists(buffer) && File.ReadAllText(buffer).Contains(waiting, StringComparison.Ordinal), "the other ban waits");
        Assert.DoesNotContain(waiting, summary, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(buffer));

        await d.StopServerAsync();
        var text = Recorded();
        Assert.True(text.IndexOf("last bans on ", StringComparison.Ordinal) is var last and > 0 && text.IndexOf(waiting, StringComparison.Ordinal) > last, text);
        Assert.Contains("stopped on ", text, StringComparison.Ordinal);
        Assert.False(File.Exists(buffer), "the buffer is emptied at stop");
        Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
    }
}

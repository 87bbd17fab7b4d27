using SharpBan.Tests.RegexTool;
using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// Real attacks on a real vsftpd (<see cref="FtpServer"/>): wrong passwords (one and several per connection), unknown
/// users, <c>anonymous</c> while anonymous logins are off, a user refused by /etc/ftpusers, and user names that imitate
/// vsftpd's and PAM's own fields (<c>x] FAIL LOGIN: Client "203.0.113.99</c> with and without a fake reason,
/// <c>rhost=203.0.113.99</c>, quotes, <c>$(…)</c>), also as arguments of logged commands. vsftpd's own log is read by
/// fail2ban's stock vsftpd filter through fail2ban-regex and by our shipped one through <c>sharpban regex</c>, PAM's
/// syslog lines by both vsftpd filters and both pam-generic filters: ours finds every failure fail2ban's finds (except
/// the documented deliberate differences) and every failed login vsftpd wrote, and never names an address that did not
/// connect (fail2ban's vsftpd filter does, on user names ending in <c>"ADDR",</c> or <c>"ADDR", "…</c>; those lines
/// are printed, not required). A daemon with the shipped vsftpd
/// jail and nftables action bans a password guesser at port 21.
/// </summary>
public sealed class FtpAttackTests(ITestOutputHelper output) : IDisposable
{
    private const string Fail2BanRegex = "/usr/bin/fail2ban-regex";
    private const string Forged = "203.0.113.99";
    private static readonly string ShippedConfig = Path.Join(AppContext.BaseDirectory, "config");
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ShippedFtpFilters_RealAttacksLog_EveryFailureFail2BanFindsAndNoForgedAddress(bool logProtocol)
    {
        if (!File.Exists(Fail2BanRegex))
        {
            Assert.False(Environment.GetEnvironmentVariable("SHARPBAN_REQUIRE_ORACLE") == "1", "fail2ban-regex is required");
            output.WriteLine("skipped: fail2ban is not installed");
            return;
        }

        using var ftp = new FtpServer(_lab.Lab, _lab.Server, FirewallLab.Server1V4, logProtocol);
        var imitations = new[]
        {
            $"x] FAIL LOGIN: Client \"{Forged}",
            $"x] FAIL LOGIN: Client \"{Forged}\",",
            $"a] FAIL LOGIN: Client \"{Forged}\", \"b",
            $"] FAIL LOGIN: Client \"{Forged}",
            $"a rhost={Forged}",
            $"rhost={Forged}",
            $"x rhost={Forged} user=y",
            "q\"uote'd",
            "$(id >&2)",
            "web admin",
        };
        string[][] clients =
        [
            ["login", ftp.User, "wrong"],
            ["login", ftp.User, "guess-1", "guess-2", "guess-3", "guess-4"],
            ["login", "nobody", "x"],
            ["login", "anonymous", "guest@example.org"],
            ["login", "root", "x"],
            .. imitations.Select(u => new[] { "login", u, "pw" }),
            ["user-only", $"] FAIL LOGIN: Client \"{Forged}"],
            ["commands", ftp.User, ftp.Password, $"x] FAIL LOGIN: Client \"{Forged}", $"] FAIL LOGIN: Client \"{Forged}\", \"y"],
            ["login", ftp.User, ftp.Password],
        ];
        await FtpClients.RunAllAsync(_lab.Attacker1, FirewallLab.Server1V4, clients);
        ftp.WaitQuiet(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60));
        var log = File.ReadAllText(ftp.LogPath);
        var authLog = File.ReadAllText(ftp.AuthLogPath);
        output.WriteLine(log);
        output.WriteLine(authLog);
        Assert.Contains($"[{ftp.User}] OK LOGIN: Client \"{FirewallLab.Attacker1V4}\"", log, StringComparison.Ordinal); // the right password works
        Assert.Contains($"[x] FAIL LOGIN: Client \"{Forged}] FAIL LOGIN: Client \"{FirewallLab.Attacker1V4}\"", log, StringComparison.Ordinal); // the imitations reached the log
        Assert.Contains($"rhost={FirewallLab.Attacker1V4}", authLog, StringComparison.Ordinal); // PAM's lines reached the private syslog

        // vsftpd wrote every real failure with the client's address last; the part before it is only the client's text.
        var realFailures = File.ReadAllLines(ftp.LogPath).Where(l => l.EndsWith($"] FAIL LOGIN: Client \"{FirewallLab.Attacker1V4}\"", StringComparison.Ordinal)).ToList();
        var failingLogins = clients.Count(c => c[0] == "login" && c[^1] != ftp.Password);
        Assert.True(realFailures.Count >= failingLogins, $"vsftpd logged {realFailures.Count} failed logins for {failingLogins} failing clients");
        foreach (var (filter, logPath, theirFilter) in new[]
        {
            ("vsftpd", ftp.LogPath, "vsftpd"),
            ("vsftpd", ftp.AuthLogPath, "vsftpd"),
            ("pam-generic", ftp.AuthLogPath, "pam-generic"),
        })
        {
            var theirs = PythonClient.FailuresByLine(Shell.Check(Fail2BanRegex, "-o", "<ip> <msg>", logPath, $"/etc/fail2ban/filter.d/{theirFilter}.conf"));
            var (exit, text) = RegexCli.Run("-c", ShippedConfig, "-o", "<ip> <msg>", logPath, filter);
            Assert.Equal(0, exit);
            var ours = PythonClient.FailuresByLine(text);
            var what = $"{filter} on {Path.GetFileName(logPath)}";
            output.WriteLine($"{what}: fail2ban {theirs.Count}, ours {ours.Count}");
            foreach (var (line, ip) in ours.Where(o => !theirs.ContainsKey(o.Key)))
            {
                output.WriteLine($"  only ours: {ip} {line}");
            }

            foreach (var (line, ip) in theirs.Where(t => !ours.ContainsKey(t.Key) || ours[t.Key] != t.Value))
            {
                output.WriteLine($"  fail2ban: {ip} {line}");
            }

            Assert.True(theirs.Count > 0, $"fail2ban found no failure in {what}");
            Assert.All(ours, o => Assert.True(o.Value == FirewallLab.Attacker1V4, $"{what} names {o.Value}: {o.Key}"));
            // A line fail2ban blames on an address that never connected is its mistake, not a failure (printed above).
            var missed = theirs.Where(t => t.Value == FirewallLab.Attacker1V4 && !ours.ContainsKey(t.Key) && !DeliberatelyNotCounted(t.Key)).Select(t => t.Key).ToList();
            Assert.True(missed.Count == 0, $"{what} misses what fail2ban finds:\n" + string.Join('\n', missed));
            if (logPath == ftp.LogPath)
            {
                Assert.All(realFailures, l => Assert.True(ours.ContainsKey(l), $"{what} misses a real failure: {l}"));
            }
        }
    }

    [RootFact]
    public async Task VsftpdJail_RealPasswordGuesser_BannedAtPort21AndUnbanned()
    {
        using var ftp = new FtpServer(_lab.Lab, _lab.Server, FirewallLab.Server1V4, logProtocol: false);
        // vsftpd listens on one address: attacker 2 reaches it through the server's other link.
        Shell.Check("ip", "-n", _lab.Attacker2, "route", "add", FirewallLab.Server1V4 + "/32", "via", FirewallLab.Server2V4);
        Assert.True(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server1V4, 21), "attacker 2 reaches vsftpd");
        await using var d = await TestDaemon.StartAsync($"""
            [vsftpd]
            enabled = true
            logpath = {ftp.LogPath}
            """, start: false); // maxretry, port, banaction (nftables-multiport) from the shipped jail.conf
        d.NetworkNamespace = _lab.Server;
        try
        {
            await d.StartServerAsync();
            var maxRetry = int.Parse((await d.ClientAsync("get", "vsftpd", "maxretry")).Output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var guesses = Enumerable.Range(1, maxRetry - 1).Select(i => new[] { "login", ftp.User, $"guess-{i}" });
            await FtpClients.RunAllAsync(_lab.Attacker1, FirewallLab.Server1V4, guesses);
            await d.WaitForFailedAsync(maxRetry - 1, "vsftpd");
            Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, 21), "not banned before maxretry failures");

            FtpClients.Run(_lab.Attacker1, FirewallLab.Server1V4, "login", "nobody", "last-guess");
            await TestDaemon.WaitUntilAsync(() => !NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, 21), "the guesser is banned", 20);
            Assert.True(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server1V4, 21), "another address still reaches vsftpd");
            FtpClients.Run(_lab.Attacker2, FirewallLab.Server1V4, "login", ftp.User, ftp.Password);
            var banned = await d.ClientAsync("get", "vsftpd", "banned");
            Assert.Contains(FirewallLab.Attacker1V4, banned.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(FirewallLab.Attacker2V4, banned.Output, StringComparison.Ordinal);

            Assert.Equal(0, (await d.ClientAsync("set", "vsftpd", "unbanip", FirewallLab.Attacker1V4)).Code);
            await TestDaemon.WaitUntilAsync(() => NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, 21), "unban restores FTP", 20);
            FtpClients.Run(_lab.Attacker1, FirewallLab.Server1V4, "login", ftp.User, ftp.Password);
            Assert.Contains($"[{ftp.User}] OK LOGIN: Client \"{FirewallLab.Attacker1V4}\"", File.ReadAllText(ftp.LogPath), StringComparison.Ordinal);
            await d.StopServerAsync();
        }
        finally
        {
            output.WriteLine(File.ReadAllText(ftp.LogPath));
            output.WriteLine(d.Log());
        }
    }

    /// <summary>
    /// docs/config.md (pam-generic, vsftpd): a PAM line counts only when <c>rhost=</c> occurs once, since the client's
    /// user name may hold a second one (fail2ban's filters pick one of them).
    /// </summary>
    private static bool DeliberatelyNotCounted(string line) =>
        line.Contains("authentication failure;", StringComparison.Ordinal)
        && line.IndexOf("rhost=", StringComparison.Ordinal) != line.LastIndexOf("rhost=", StringComparison.Ordinal);
}

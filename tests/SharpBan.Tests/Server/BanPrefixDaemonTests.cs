namespace SharpBan.Tests.Server;

/// <summary>
/// <c>banprefix.inet6</c>/<c>banprefix.inet4</c> end to end: a real server, a watched file, the dummy action, the
/// database and the client. Failures of different addresses of one network count together and ban the network.
/// </summary>
public class BanPrefixDaemonTests
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
        banprefix.inet6 = 64
        banprefix.inet4 = 24
        """; // maxretry 3, findtime 10m, bantime 10m come from the shipped jail.conf

    [Fact]
    public async Task Server_ThreeAddressesOfOneSlash64_BanTheNetworkOnly()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        d.Append(Failure("2001:db8:1:2::a", 1), Failure("2001:db8:1:2:ffff::b", 2), Failure("2001:db8:7::1", 3));
        await d.WaitForFailedAsync(3);
        Assert.DoesNotContain("+", d.Dummy(), StringComparison.Ordinal);
        d.Append(Failure("2001:db8:1:2::c", 4));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+2001:db8:1:2::/64", StringComparison.Ordinal), "ban of the /64");
        Assert.Contains("NOTICE  [sshd] Ban 2001:db8:1:2::/64", d.Log(), StringComparison.Ordinal);
        Assert.Equal("['2001:db8:1:2::/64']", (await d.ClientAsync("get", "sshd", "banned")).Output.Trim());
        Assert.Equal("1", (await d.ClientAsync("get", "sshd", "banned", "2001:db8:1:2::/64")).Output.Trim());
        Assert.Contains("Currently failed:\t1", (await d.ClientAsync("status", "sshd")).Output, StringComparison.Ordinal); // the other /64
        Assert.DoesNotContain("2001:db8:7", d.Dummy(), StringComparison.Ordinal);

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", "2001:db8:1:2::/64")).Code);
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("-2001:db8:1:2::/64", StringComparison.Ordinal), "unban of the /64");
    }

    [Fact]
    public async Task Server_IgnoredAddressInsideTheNetwork_FailuresCountPerAddress()
    {
        await using var d = await TestDaemon.StartAsync(Jail + "\nignoreip = 127.0.0.1/8 ::1 2001:db8:1:2::99\n");
        d.Append(Failure("2001:db8:1:2::a", 1), Failure("2001:db8:1:2::b", 2), Failure("2001:db8:1:2::c", 3), Failure("2001:db8:1:2::99", 4));
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Ignore 2001:db8:1:2::99 by ip", StringComparison.Ordinal), "ignored address");
        await d.WaitForFailedAsync(3);
        Assert.Contains("Currently failed:\t3", (await d.ClientAsync("status", "sshd")).Output, StringComparison.Ordinal);
        Assert.DoesNotContain("+", d.Dummy(), StringComparison.Ordinal);
        d.Append(Failure("2001:db8:1:2::a", 5), Failure("2001:db8:1:2::a", 6));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+2001:db8:1:2::a", StringComparison.Ordinal), "ban of the single address");
        Assert.DoesNotContain("/64", d.Dummy(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The shipped recidive filter reads network bans ("Ban 2001:db8:1:2::/64") from the daemon's own log: a network
    /// banned again and again by sshd is banned by recidive as a network. A logged network ban that holds an address
    /// recidive ignores is never counted (fail2ban would count and ban it).
    /// </summary>
    [Fact]
    public async Task Server_RepeatedNetworkBans_RecidiveBansTheNetwork()
    {
        // bantime 5, not 1: a log date has whole seconds, and a line read more than a second after its date (a loaded CI
        // machine) would find its ban expired already ("Ignore …, expired bantime", as fail2ban)
        var jails = Jail.Replace("action = dummy[target=\"$DIR/dummy.out\"]", "action = dummy[target=\"$DIR/dummy.out\"]\nmaxretry = 1\nbantime = 5", StringComparison.Ordinal) + """

            [recidive]
            enabled = true
            backend = polling
            logpath = $DIR/sharpban.log
            action = dummy[target="$DIR/recidive.out"]
            maxretry = 2
            ignoreip = 127.0.0.1/8 ::1 2001:db8:9:9::5
            """;
        await using var d = await TestDaemon.StartAsync(jails);
        var recidive = Path.Join(d.Dir, "recidive.out");
        string Recidive() => File.Exists(recidive) ? File.ReadAllText(recidive) : "";
        for (var round = 0; round < 2; round++)
        {
            d.Append(Failure($"2001:db8:1:2::{round + 1}", round), Failure($"2001:db8:9:9::{round + 1}", round));
            await TestDaemon.WaitUntilAsync(() => CountOf(d.Log(), "[sshd] Unban 2001:db8:1:2::/64") == round + 1 && CountOf(d.Log(), "[sshd] Unban 2001:db8:9:9::/64") == round + 1, $"ban and unban {round + 1} of both networks", 45); // a slow start under CI load once took more than 15 s
        }

        await TestDaemon.WaitUntilAsync(() => Recidive().Contains("+2001:db8:1:2::/64", StringComparison.Ordinal), "recidive ban of the network", 45);
        Assert.Contains("NOTICE  [recidive] Ban 2001:db8:1:2::/64", d.Log(), StringComparison.Ordinal);
        Assert.Contains("[recidive] Ignore 2001:db8:9:9::/64: the network holds an ignored address", d.Log(), StringComparison.Ordinal);
        Assert.DoesNotContain("2001:db8:9:9", Recidive(), StringComparison.Ordinal);
    }

    private static int CountOf(string text, string what) =>
        text.Split(what).Length - 1;

    [Fact]
    public async Task Server_BanPrefixOptions_SetGetAndRestoredAfterRestart()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        Assert.Equal("64", (await d.ClientAsync("get", "sshd", "banprefix.inet6")).Output.Trim());
        Assert.Equal("24", (await d.ClientAsync("get", "sshd", "banprefix.inet4")).Output.Trim());
        Assert.Equal("48", (await d.ClientAsync("set", "sshd", "banprefix.inet6", "48")).Output.Trim());
        var (code, output) = await d.ClientAsync("set", "sshd", "banprefix.inet4", "33");
        Assert.NotEqual(0, code);
        Assert.Contains("Invalid value for banprefix.inet4 in jail 'sshd': must be a prefix length from 1 to 32, not '33'", output, StringComparison.Ordinal);
        Assert.Equal("24", (await d.ClientAsync("get", "sshd", "banprefix.inet4")).Output.Trim());

        d.Append(Failure("198.51.100.7", 1), Failure("198.51.100.8", 2), Failure("198.51.100.9", 3));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+198.51.100.0/24", StringComparison.Ordinal), "ban of the /24");
        await d.StopServerAsync();
        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Restore Ban 198.51.100.0/24", StringComparison.Ordinal), "restored network ban");
        Assert.Equal("['198.51.100.0/24']", (await d.ClientAsync("get", "sshd", "banned")).Output.Trim());
    }

    private static string Failure(string ip, int pid) =>
        TestDaemon.FailedPassword(ip, pid: 1000 + pid);
}

using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// Issue 5's end-to-end scenario: a real sshd brute-forced by real ssh clients from attacker namespaces, a real
/// <c>sharpban server</c> in the server namespace banning through the kernel firewall, every assertion a real TCP
/// connection to port 22. Attacker 1 (IPv4) fails 3 times and is banned; attacker 2 fails twice over IPv4 and may
/// still connect, then 3 times over IPv6 and is banned there.
/// </summary>
public sealed class SshdBruteForceTests(ITestOutputHelper output) : IDisposable
{
    private const string Server2V6 = "2001:db8:2::1";
    private const string Attacker2V6 = "2001:db8:2::2";
    private const int BanTime = 30;
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootTheory]
    [InlineData("nftables-multiport")]
    [InlineData("iptables-multiport")]
    [InlineData("nftables-native")]
    public async Task SshdJail_BruteForce_BanUnbanRestartExpiryCleanup(string banaction)
    {
        var allports = banaction.Replace("multiport", "allports", StringComparison.Ordinal);
        if (banaction == "nftables-native")
        {
            allports = "nftables-native-allports";
        }

        await RunScenarioAsync($"""
            [DEFAULT]
            banaction = {banaction}
            banaction_allports = {allports}
            """, configSource: null, expectInLog: banaction == "nftables-native" ? "native nftables backend started" : banaction.Split('-')[0]);
    }

    /// <summary>Debian's unmodified /etc/fail2ban (its iptables-multiport default), only a jail.local added.</summary>
    [RootFact]
    public async Task SshdJail_DebianEtcFail2ban_WorksAsDropIn()
    {
        if (!Directory.Exists("/etc/fail2ban"))
        {
            Assert.False(Environment.GetEnvironmentVariable("SHARPBAN_REQUIRE_ORACLE") == "1", "/etc/fail2ban is missing");
            output.WriteLine("skipped: /etc/fail2ban is not installed");
            return;
        }

        await RunScenarioAsync("", configSource: "/etc/fail2ban", expectInLog: "iptables", backend: "polling");
    }

    private async Task RunScenarioAsync(string jailLocalHead, string? configSource, string expectInLog, string backend = "auto")
    {
        var server = _lab.Server;
        Assert.Equal("", FirewallTraces());
        using var sshd = new SshServer(_lab.Lab, server, FirewallLab.Server1V4, FirewallLab.Server2V4, Server2V6);
        await using var d = await TestDaemon.StartAsync($"""
            {jailLocalHead}
            [sshd]
            enabled = true
            backend = {backend}
            logpath = {sshd.LogPath}
            maxretry = 3
            findtime = 10m
            bantime = {BanTime}
            """, start: false, configSource: configSource);
        d.NetworkNamespace = server;
        try
        {
            await d.StartServerAsync();
            Assert.True(CanConnect1V4() && CanConnect2V4() && CanConnect2V6(), "all can connect before any failure");

            FailLogins(sshd, _lab.Attacker1, FirewallLab.Server1V4, 3);
            await WaitAsync(() => !CanConnect1V4(), "attacker 1 (3 failures) blocked");
            FailLogins(sshd, _lab.Attacker2, FirewallLab.Server2V4, 2);
            await d.WaitForFailedAsync(5);
            Assert.True(CanConnect2V4(), "attacker 2 (2 failures) can still connect");
            FailLogins(sshd, _lab.Attacker2, Server2V6, 3);
            await WaitAsync(() => !CanConnect2V6(), "IPv6 attacker blocked");
            var banned = TimeProvider.System.GetTimestamp();
            Assert.True(CanConnect2V4(), "attacker 2 still reaches the IPv4 address");

            Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", FirewallLab.Attacker1V4)).Code);
            await WaitAsync(CanConnect1V4, "unbanip restores attacker 1");

            await d.StopServerAsync();
            Assert.True(CanConnect2V6(), "a stopped daemon blocks nothing");
            Assert.Equal("", FirewallTraces());
            var failuresBefore = Failures(sshd);
            await d.StartServerAsync();
            await WaitAsync(() => !CanConnect2V6(), "the unexpired ban blocks again after the restart");
            Assert.Equal(failuresBefore, Failures(sshd)); // blocked before any new failure
            Assert.True(TimeProvider.System.GetElapsedTime(banned).TotalSeconds < BanTime, "restart checked within the ban time");
            Assert.True(CanConnect1V4(), "the unbanned address is not restored");

            await WaitAsync(CanConnect2V6, "bantime expiry lifts the ban", seconds: BanTime + 20);

            await d.StopServerAsync();
            Assert.Equal("", FirewallTraces());
            Assert.Contains(expectInLog, d.Log(), StringComparison.Ordinal); // the intended backend did the work
        }
        finally
        {
            output.WriteLine(d.Log());
        }
    }

    private bool CanConnect1V4() => NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, 22);

    private bool CanConnect2V4() => NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, 22);

    private bool CanConnect2V6() => NetworkLab.CanConnect(_lab.Attacker2, Server2V6, 22);

    private static int Failures(SshServer sshd) =>
        File.ReadAllLines(sshd.LogPath).Count(l => l.Contains("Failed password", StringComparison.Ordinal));

    private static void FailLogins(SshServer sshd, string ns, string address, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.NotEqual(0, sshd.TryLogin(ns, address, "wrong-" + i));
        }
    }

    /// <summary>Every SharpBan/fail2ban trace in the server namespace's firewall (nft ruleset, iptables-save, ip6tables-save).</summary>
    private string FirewallTraces()
    {
        var dumps = new[]
        {
            NetworkLab.ExecChecked(_lab.Server, "nft", "list", "ruleset"),
            NetworkLab.ExecChecked(_lab.Server, "iptables-save"),
            NetworkLab.ExecChecked(_lab.Server, "ip6tables-save"),
        };
        return string.Join('\n', dumps.SelectMany(d => d.Split('\n'))
            .Where(l => l.Contains("f2b", StringComparison.OrdinalIgnoreCase) || l.Contains("sharpban", StringComparison.OrdinalIgnoreCase)));
    }

    private static async Task WaitAsync(Func<bool> condition, string what, double seconds = 20) =>
        await TestDaemon.WaitUntilAsync(condition, what, seconds);
}

using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// The firewall wiped under a running daemon (a firewall reload, <c>nft flush ruleset</c>, <c>iptables -F</c>): an
/// address that keeps failing while banned makes SharpBan check its actions (<c>actioncheck</c>), repair them and send
/// every ban again, including those of addresses that have not shown up since. Real TCP connections to port 22 in
/// network namespaces.
/// </summary>
public sealed class FirewallRepairNetworkTests(ITestOutputHelper output) : IDisposable
{
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootTheory]
    [InlineData("nftables-multiport", "ruleset")]
    [InlineData("iptables-multiport", "ruleset")]
    [InlineData("nftables-native", "ruleset")]
    [InlineData("nftables-native", "set")]
    public async Task FirewallWiped_BannedAddressFailsAgain_EveryBanIsBack(string banaction, string wiped)
    {
        _lab.Lab.StartTcpListeners(_lab.Server, 22);
        await using var d = await _lab.StartDaemonAsync(banaction);
        try
        {
            var pid = 100;
            d.Append([.. Enumerable.Range(0, 3).Select(_ => TestDaemon.FailedPassword(FirewallLab.Attacker1V4, pid: ++pid))]);
            Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", FirewallLab.Attacker2V4)).Code);
            await WaitAsync(() => !FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V4, FirewallLab.Server1V4)
                && !FirewallLab.CanConnect(_lab.Attacker2, FirewallLab.Attacker2V4, FirewallLab.Server2V4), "both addresses blocked");

            Wipe(banaction, wiped);
            Assert.True(FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V4, FirewallLab.Server1V4), "the wiped firewall blocks nothing");
            Assert.True(FirewallLab.CanConnect(_lab.Attacker2, FirewallLab.Attacker2V4, FirewallLab.Server2V4), "the wiped firewall blocks nothing");

            await Task.Delay(4000); // a failure more than 3 s after the ban means the block is missing
            d.Append([.. Enumerable.Range(0, 3).Select(_ => TestDaemon.FailedPassword(FirewallLab.Attacker1V4, pid: ++pid))]);
            await WaitAsync(() => !FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V4, FirewallLab.Server1V4), "the failing address is blocked again");
            await WaitAsync(() => !FirewallLab.CanConnect(_lab.Attacker2, FirewallLab.Attacker2V4, FirewallLab.Server2V4), "the quiet address is blocked again too");
            Assert.Contains("Invariant check failed", d.Log(), StringComparison.Ordinal);
            Assert.Contains(banaction == "nftables-native" ? "created again with 2 bans" : $"Reban {FirewallLab.Attacker2V4}", d.Log(), StringComparison.Ordinal);

            // each address was applied once after the repair: one unban lifts it
            Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", FirewallLab.Attacker1V4, FirewallLab.Attacker2V4)).Code);
            await WaitAsync(() => FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V4, FirewallLab.Server1V4)
                && FirewallLab.CanConnect(_lab.Attacker2, FirewallLab.Attacker2V4, FirewallLab.Server2V4), "both unbanned");
            await d.StopServerAsync();
            Assert.DoesNotContain("sharpban", _lab.Ruleset(), StringComparison.Ordinal);
            Assert.DoesNotContain("sb-sshd", NetworkLab.ExecChecked(_lab.Server, "iptables-save"), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(d.Log());
        }
    }

    /// <summary>What another program does to the firewall: everything of this namespace's tables gone, or (native) the jail's IPv4 address set emptied.</summary>
    private void Wipe(string banaction, string wiped)
    {
        if (wiped == "set")
        {
            NetworkLab.ExecChecked(_lab.Server, "nft", "flush", "set", "inet", "sharpban-native", "ban4-sshd");
            return;
        }

        if (banaction.StartsWith("nftables", StringComparison.Ordinal))
        {
            NetworkLab.ExecChecked(_lab.Server, "nft", "flush", "ruleset");
            return;
        }

        foreach (var tool in new[] { "iptables", "ip6tables" })
        {
            NetworkLab.ExecChecked(_lab.Server, tool, "-w", "-F");
            NetworkLab.ExecChecked(_lab.Server, tool, "-w", "-X");
        }
    }


    private static async Task WaitAsync(Func<bool> condition, string what) => await TestDaemon.WaitUntilAsync(condition, what, 30);
}

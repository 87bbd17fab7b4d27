using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// Bans of whole networks through the kernel firewall, checked with real TCP connections to port 22 in network
/// namespaces: <c>banip</c> of a CIDR network beside a single address inside it (each unban reverses exactly its own
/// ban, flush and restart), and <c>banprefix.inet6 = 64</c> (failures of three addresses of one /64 block the whole
/// /64, not another /64).
/// </summary>
public sealed class NetworkBanNetworkTests(ITestOutputHelper output) : IDisposable
{
    private const string Server2V6 = "2001:db8:2::1";
    private const string Attacker2V6 = "2001:db8:2::2";
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootTheory]
    [InlineData("nftables-multiport")]
    [InlineData("nftables-native")]
    [InlineData("iptables-multiport")]
    public async Task Banip_NetworkAndAddressInside_EachUnbanReversesItsOwnBan(string banaction)
    {
        _lab.Lab.StartTcpListeners(_lab.Server, 22);
        await using var d = await _lab.StartDaemonAsync(banaction, "");
        try
        {
            foreach (var (net, single, server, other, otherServer) in new[]
            {
                ("192.0.2.0/24", FirewallLab.Attacker1V4, FirewallLab.Server1V4, FirewallLab.Attacker2V4, FirewallLab.Server2V4),
                ("2001:db8:1::/64", FirewallLab.Attacker1V6, FirewallLab.Server1V6, Attacker2V6, Server2V6),
            })
            {
                Assert.True(FirewallLab.CanConnect(_lab.Attacker1, single, server), $"{single} connects before any ban");
                await ClientOkAsync(d, "set", "sshd", "banip", net);
                await WaitAsync(() => !FirewallLab.CanConnect(_lab.Attacker1, single, server), $"{net} blocks {single}");
                Assert.True(FirewallLab.CanConnect(_lab.Attacker2, other, otherServer), $"{other} is outside {net}");
                await ClientOkAsync(d, "set", "sshd", "banip", single);
                await ClientOkAsync(d, "set", "sshd", "unbanip", net);
                await Task.Delay(1000);
                Assert.False(FirewallLab.CanConnect(_lab.Attacker1, single, server), $"{single} stays banned on its own after the unban of {net}");
                await ClientOkAsync(d, "set", "sshd", "unbanip", single);
                await WaitAsync(() => FirewallLab.CanConnect(_lab.Attacker1, single, server), $"{single} connects after both unbans");

                // the other order: the address first, then the network; unban the address, the network still blocks
                await ClientOkAsync(d, "set", "sshd", "banip", single);
                await ClientOkAsync(d, "set", "sshd", "banip", net);
                await ClientOkAsync(d, "set", "sshd", "unbanip", single);
                await Task.Delay(1000);
                Assert.False(FirewallLab.CanConnect(_lab.Attacker1, single, server), $"{net} still blocks {single}");
                await ClientOkAsync(d, "set", "sshd", "banip", single); // both banned for the restart below
            }

            await d.StopServerAsync();
            Assert.True(FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V4, FirewallLab.Server1V4), "a stopped daemon blocks nothing");
            await d.StartServerAsync();
            await WaitAsync(() => !FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V4, FirewallLab.Server1V4)
                && !FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V6, FirewallLab.Server1V6), "restart restores the bans");
            var banned = (await d.ClientAsync("get", "sshd", "banned")).Output;
            foreach (var id in new[] { "192.0.2.0/24", FirewallLab.Attacker1V4, "2001:db8:1::/64", FirewallLab.Attacker1V6 })
            {
                Assert.Contains($"'{id}'", banned, StringComparison.Ordinal);
            }

            await ClientOkAsync(d, "unban", "--all");
            await WaitAsync(() => FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V4, FirewallLab.Server1V4)
                && FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V6, FirewallLab.Server1V6), "flush lifts every ban");
            await d.StopServerAsync();
            Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
            Assert.DoesNotContain("sharpban", _lab.Ruleset(), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(d.Log());
        }
    }

    [RootTheory]
    [InlineData("nftables-multiport")]
    [InlineData("nftables-native")]
    public async Task BanPrefix_ThreeAddressesOfOneSlash64_BlockTheWholeSlash64(string banaction)
    {
        var attackers = new[] { FirewallLab.Attacker1V6, "2001:db8:1::3", "2001:db8:1::4" };
        const string Fourth = "2001:db8:1::5";
        foreach (var address in attackers.Skip(1).Append(Fourth))
        {
            Shell.Check("ip", "-n", _lab.Attacker1, "addr", "add", address + "/64", "dev", $"sb{_lab.Lab.Id}b1", "nodad");
        }

        _lab.Lab.StartTcpListeners(_lab.Server, 22);
        await using var d = await _lab.StartDaemonAsync(banaction, "banprefix.inet6 = 64");
        try
        {
            foreach (var address in attackers.Append(Fourth))
            {
                Assert.True(FirewallLab.CanConnect(_lab.Attacker1, address, FirewallLab.Server1V6), $"{address} connects before any failure");
            }

            var pid = 100;
            d.Append(TestDaemon.FailedPassword(attackers[0], pid: ++pid), TestDaemon.FailedPassword(attackers[1], pid: ++pid));
            await d.WaitForFailedAsync(2);
            Assert.True(FirewallLab.CanConnect(_lab.Attacker1, attackers[0], FirewallLab.Server1V6), "two failures of the /64 ban nothing");
            d.Append(TestDaemon.FailedPassword(attackers[2], pid: ++pid));
            await WaitAsync(() => !FirewallLab.CanConnect(_lab.Attacker1, Fourth, FirewallLab.Server1V6), "the /64 is blocked");
            foreach (var address in attackers)
            {
                Assert.False(FirewallLab.CanConnect(_lab.Attacker1, address, FirewallLab.Server1V6), $"{address} is blocked");
            }

            Assert.True(FirewallLab.CanConnect(_lab.Attacker2, Attacker2V6, Server2V6), "another /64 still connects");
            Assert.True(FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V4, FirewallLab.Server1V4), "IPv4 is not affected");
            Assert.Contains("'2001:db8:1::/64'", (await d.ClientAsync("get", "sshd", "banned")).Output, StringComparison.Ordinal);

            await ClientOkAsync(d, "set", "sshd", "unbanip", "2001:db8:1::/64");
            await WaitAsync(() => attackers.Append(Fourth).All(a => FirewallLab.CanConnect(_lab.Attacker1, a, FirewallLab.Server1V6)), "unban restores the /64");

            d.Append([.. attackers.Select(a => TestDaemon.FailedPassword(a, pid: ++pid))]);
            await WaitAsync(() => !FirewallLab.CanConnect(_lab.Attacker1, Fourth, FirewallLab.Server1V6), "banned again");
            await d.StopServerAsync();
            Assert.True(FirewallLab.CanConnect(_lab.Attacker1, Fourth, FirewallLab.Server1V6), "a stopped daemon blocks nothing");
            await d.StartServerAsync();
            await WaitAsync(() => !FirewallLab.CanConnect(_lab.Attacker1, Fourth, FirewallLab.Server1V6), "restart restores the network ban");
            Assert.True(FirewallLab.CanConnect(_lab.Attacker2, Attacker2V6, Server2V6), "another /64 still connects after the restart");
            await d.StopServerAsync();
            Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
            Assert.DoesNotContain("sharpban", _lab.Ruleset(), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(d.Log());
        }
    }

    [RootTheory]
    [InlineData("nftables-multiport")]
    [InlineData("nftables-native")]
    [InlineData("iptables-multiport")]
    public async Task Banip_NetworksOfDifferentLengthsInsideEachOther_AllApplied(string banaction)
    {
        _lab.Lab.StartTcpListeners(_lab.Server, 22);
        await using var d = await _lab.StartDaemonAsync(banaction, "");
        try
        {
            bool Blocked1V4() => !FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V4, FirewallLab.Server1V4);
            bool Blocked1V6() => !FirewallLab.CanConnect(_lab.Attacker1, FirewallLab.Attacker1V6, FirewallLab.Server1V6);
            bool Blocked2V6() => !FirewallLab.CanConnect(_lab.Attacker2, Attacker2V6, Server2V6);

            await ClientOkAsync(d, "set", "sshd", "banip", "192.0.2.0/24");
            await ClientOkAsync(d, "set", "sshd", "banip", "192.0.0.0/16"); // holds the /24
            await ClientOkAsync(d, "set", "sshd", "banip", "2001:db8::/32");
            await ClientOkAsync(d, "set", "sshd", "banip", "2001:db8:1::/64"); // inside the /32
            await WaitAsync(() => Blocked1V4() && Blocked1V6() && Blocked2V6(), "all four networks block");
            await ClientOkAsync(d, "set", "sshd", "unbanip", "192.0.2.0/24");
            await ClientOkAsync(d, "set", "sshd", "unbanip", "2001:db8::/32");
            await WaitAsync(() => !Blocked2V6(), "the unban of the /32 lifts it");
            Assert.True(Blocked1V4(), "the /16 still blocks after the unban of the /24 inside it");
            Assert.True(Blocked1V6(), "the /64 still blocks after the unban of the /32 around it");

            // both lengths of each family restored in the start's one transaction
            await ClientOkAsync(d, "set", "sshd", "banip", "192.0.2.0/24");
            await ClientOkAsync(d, "set", "sshd", "banip", "2001:db8::/32");
            await d.StopServerAsync();
            Assert.False(Blocked1V4(), "a stopped daemon blocks nothing");
            await d.StartServerAsync();
            await WaitAsync(() => Blocked1V4() && Blocked1V6() && Blocked2V6(), "restart restores every network");
            await ClientOkAsync(d, "set", "sshd", "unbanip", "192.0.0.0/16");
            await Task.Delay(500);
            Assert.True(Blocked1V4(), "the /24 still blocks after the unban of the /16 around it");
            await ClientOkAsync(d, "set", "sshd", "unbanip", "192.0.2.0/24");
            await WaitAsync(() => !Blocked1V4(), "both IPv4 unbans lift the block");
            await d.StopServerAsync();
            Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
            Assert.DoesNotContain("sharpban", _lab.Ruleset(), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(d.Log());
        }
    }

    private static async Task ClientOkAsync(TestDaemon d, params string[] words)
    {
        var (code, text) = await d.ClientAsync(words);
        Assert.True(code == 0, $"{string.Join(' ', words)}: {text}");
    }

    private static async Task WaitAsync(Func<bool> condition, string what) => await TestDaemon.WaitUntilAsync(condition, what, 20);
}

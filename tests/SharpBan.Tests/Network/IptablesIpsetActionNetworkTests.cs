using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// Our shipped iptables-ipset actions (real ipset and iptables) under the real daemon in the server namespace of a
/// <see cref="FirewallLab"/>: a banned address gets no answer on the jail's ports, others do; element timeouts follow
/// the ban time (0 for a permanent ban); a banned network blocks an address inside it; stop leaves nothing behind.
/// </summary>
public sealed class IptablesIpsetActionNetworkTests(ITestOutputHelper output) : IDisposable
{
    private const int JailPort = 2222;
    private const int OtherPort = 2223;
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootTheory]
    [InlineData("iptables-ipset[port=2222]", false)]
    [InlineData("iptables-ipset-proto6[port=2222]", false)]
    [InlineData("iptables-ipset[port=2222, type=allports]", true)]
    [InlineData("iptables-ipset-proto6-allports", true)]
    public async Task IptablesIpset_BanUnbanNetworkPermanentStop_BlocksExactlyTheBannedAddresses(string action, bool allPorts)
    {
        _lab.Lab.StartTcpListeners(_lab.Server, JailPort, OtherPort);
        await using var d = await TestDaemon.StartAsync($"""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            bantime = 1h
            action = {action}
            """, start: false);
        d.NetworkNamespace = _lab.Server;
        try
        {
            await d.StartServerAsync();
            await ClientOkAsync(d, "set", "sshd", "banip", FirewallLab.Attacker1V4, FirewallLab.Attacker1V6);
            await WaitAsync(() => !Can1(FirewallLab.Server1V4, JailPort) && !Can1(FirewallLab.Server1V6, JailPort), "both families blocked");
            Assert.Equal(!allPorts, Can1(FirewallLab.Server1V4, OtherPort));
            Assert.True(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, JailPort), "another address still gets answers");
            Assert.InRange(Timeout(Ipset("sb-sshd-v4"), FirewallLab.Attacker1V4), 3500, 3600);
            Assert.InRange(Timeout(Ipset("sb-sshd-v6"), FirewallLab.Attacker1V6), 3500, 3600);
            Assert.Contains("family inet6", Ipset("sb-sshd-v6"), StringComparison.Ordinal);

            await ClientOkAsync(d, "set", "sshd", "unbanip", FirewallLab.Attacker1V4);
            await WaitAsync(() => Can1(FirewallLab.Server1V4, JailPort), "unban restores IPv4");
            Assert.False(Can1(FirewallLab.Server1V6, JailPort), "the IPv6 ban stays");

            // a network: one hash:net element; the address inside it is blocked until the network's unban
            await ClientOkAsync(d, "set", "sshd", "banip", "192.0.2.0/24");
            await WaitAsync(() => !Can1(FirewallLab.Server1V4, JailPort), "192.0.2.0/24 blocks 192.0.2.2");
            Assert.Contains("192.0.2.0/24 timeout", Ipset("sb-sshd-v4"), StringComparison.Ordinal);
            await ClientOkAsync(d, "set", "sshd", "unbanip", "192.0.2.0/24");
            await WaitAsync(() => Can1(FirewallLab.Server1V4, JailPort), "unban of the network restores 192.0.2.2");

            // a permanent ban has no timeout in the kernel (timeout 0)
            await ClientOkAsync(d, "set", "sshd", "bantime", "-1");
            await ClientOkAsync(d, "set", "sshd", "banip", FirewallLab.Attacker2V4);
            await WaitAsync(() => !NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, JailPort), "permanent ban blocks");
            Assert.Equal(0, Timeout(Ipset("sb-sshd-v4"), FirewallLab.Attacker2V4));

            await d.StopServerAsync();
            Assert.True(Can1(FirewallLab.Server1V6, JailPort), "a stopped daemon blocks nothing");
            Assert.True(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, JailPort), "a stopped daemon blocks nothing");
            Assert.Equal("", NetworkLab.ExecChecked(_lab.Server, "ipset", "list", "-n").Trim());
            Assert.DoesNotContain("match-set", NetworkLab.ExecChecked(_lab.Server, "iptables-save"), StringComparison.Ordinal);
            Assert.DoesNotContain("match-set", NetworkLab.ExecChecked(_lab.Server, "ip6tables-save"), StringComparison.Ordinal);
            Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(d.Log());
        }
    }

    private bool Can1(string server, int port) => NetworkLab.CanConnect(_lab.Attacker1, server, port);

    private string Ipset(string set) => NetworkLab.ExecChecked(_lab.Server, "ipset", "list", set);

    /// <summary>The timeout of <paramref name="element"/> in an <c>ipset list</c> output.</summary>
    private static int Timeout(string list, string element)
    {
        var line = Assert.Single(list.Split('\n'), l => l.StartsWith(element + " timeout ", StringComparison.Ordinal));
        return int.Parse(line[(element.Length + " timeout ".Length)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ClientOkAsync(TestDaemon d, params string[] words)
    {
        var (code, text) = await d.ClientAsync(words);
        Assert.True(code == 0, $"{string.Join(' ', words)}: {text}");
    }

    private static async Task WaitAsync(Func<bool> condition, string what) => await TestDaemon.WaitUntilAsync(condition, what, 20);
}

using System.Globalization;
using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// Our shipped iptables-multiport-log action under the real daemon in the server namespace of a
/// <see cref="FirewallLab"/>: a banned address's packets pass the rate-limited LOG rule (its counter grows; the kernel
/// writes no log lines from a namespace other than the first) and are refused; unban and stop restore everything.
/// </summary>
public sealed class IptablesLogActionNetworkTests(ITestOutputHelper output) : IDisposable
{
    private const int Port = 2222;
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootFact]
    public async Task IptablesMultiportLog_BanUnbanStop_LogsThenRefusesTheBannedAddressOnly()
    {
        _lab.Lab.StartTcpListeners(_lab.Server, Port, Port + 1);
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            port = 2222
            banaction = iptables-multiport-log
            """, start: false);
        d.NetworkNamespace = _lab.Server;
        try
        {
            await d.StartServerAsync();
            Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", FirewallLab.Attacker1V4)).Code);
            await TestDaemon.WaitUntilAsync(() => !NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port), "banned address refused");
            Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port + 1), "another port of the banned address passes");
            Assert.True(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, Port), "another address passes");

            var chain = NetworkLab.ExecChecked(_lab.Server, "iptables", "-S", "sb-sshd-log");
            Assert.Contains("-A sb-sshd-log -m limit --limit 6/min -j LOG --log-prefix \"sb-sshd: \"", chain, StringComparison.Ordinal);
            Assert.Contains("-A sb-sshd-log -j REJECT --reject-with icmp-port-unreachable", chain, StringComparison.Ordinal);
            Assert.True(LoggedPackets() > 0, "the LOG rule saw the banned address's packets");

            Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", FirewallLab.Attacker1V4)).Code);
            await TestDaemon.WaitUntilAsync(() => NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port), "unban restores");

            await d.StopServerAsync();
            Assert.DoesNotContain("sb-sshd", NetworkLab.ExecChecked(_lab.Server, "iptables-save"), StringComparison.Ordinal);
            Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(d.Log());
        }
    }

    /// <summary>The packet counter of the LOG rule (first rule of the jail's log chain).</summary>
    private long LoggedPackets()
    {
        var lines = NetworkLab.ExecChecked(_lab.Server, "iptables", "-L", "sb-sshd-log", "-v", "-n", "-x").Split('\n');
        var log = Assert.Single(lines, l => l.Contains(" LOG ", StringComparison.Ordinal));
        return long.Parse(log.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }
}

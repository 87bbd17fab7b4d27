using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>Our shipped route action under the real daemon in the server namespace of a <see cref="FirewallLab"/>.</summary>
public sealed class RouteActionNetworkTests(ITestOutputHelper output) : IDisposable
{
    private const int Port = 2222;
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootFact]
    public async Task Route_BanUnban_BannedAddressGetsNoAnswerOthersDo()
    {
        _lab.Lab.StartTcpListeners(_lab.Server, Port);
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = route
            """, start: false);
        d.NetworkNamespace = _lab.Server;
        try
        {
            await d.StartServerAsync();
            foreach (var address in new[] { FirewallLab.Attacker1V4, FirewallLab.Attacker1V6 })
            {
                Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", address)).Code);
            }

            await TestDaemon.WaitUntilAsync(() => !CanConnect(FirewallLab.Server1V4) && !CanConnect(FirewallLab.Server1V6), "both families blocked");
            Assert.True(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, Port), "another address still gets answers");

            Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", FirewallLab.Attacker1V4)).Code);
            await TestDaemon.WaitUntilAsync(() => CanConnect(FirewallLab.Server1V4), "unban restores IPv4");
            Assert.False(CanConnect(FirewallLab.Server1V6), "the IPv6 ban stays");

            await d.StopServerAsync();
            Assert.True(CanConnect(FirewallLab.Server1V6), "a stopped daemon blocks nothing");
            Assert.Equal("", NetworkLab.ExecChecked(_lab.Server, "ip", "route", "show", "type", "unreachable").Trim());
            Assert.Equal("", NetworkLab.ExecChecked(_lab.Server, "ip", "-6", "route", "show", "type", "unreachable").Trim());
        }
        finally
        {
            output.WriteLine(d.Log());
        }
    }

    private bool CanConnect(string server) => NetworkLab.CanConnect(_lab.Attacker1, server, Port);
}

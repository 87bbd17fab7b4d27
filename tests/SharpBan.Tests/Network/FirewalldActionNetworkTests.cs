using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// Our shipped firewallcmd-* actions against a real firewalld (<see cref="Firewalld"/>) in the server namespace of a
/// <see cref="FirewallLab"/>, driven by a real <c>sharpban server</c>: a banned address (IPv4 and IPv6) cannot connect
/// to a listener in the namespace while another address can, an unban restores it, and stopping the daemon leaves
/// none of our rules in firewalld.
/// </summary>
public sealed class FirewalldActionNetworkTests(ITestOutputHelper output) : IDisposable
{
    private const int Port = 2222;
    private const int OtherPort = 8080;
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootTheory]
    [InlineData("firewallcmd-multiport", true)]
    [InlineData("firewallcmd-allports", false)]
    [InlineData("firewallcmd-rich-rules", true)]
    [InlineData("firewallcmd-ipset", true)]
    public async Task Action_BanUnbanStop_OnlyTheBannedAddressIsBlockedAndNothingIsLeft(string action, bool jailPortsOnly)
    {
        if (!Firewalld.Available)
        {
            Assert.False(NetworkTools.Required, "firewalld is not installed (apt-get install firewalld)");
            output.WriteLine("skipped: firewalld is not installed");
            return;
        }

        using var firewalld = new Firewalld(_lab.Lab, _lab.Server);
        _lab.Lab.StartTcpListeners(_lab.Server, Port, OtherPort);
        string[] open = ["--zone=public", $"--add-port={Port}/tcp", $"--add-port={OtherPort}/tcp"];
        firewalld.CmdChecked(open);
        firewalld.CmdChecked(["--permanent", .. open]); // firewallcmd-ipset reloads firewalld at its first start
        var before = Rules(firewalld);
        await using var d = await TestDaemon.StartAsync($"""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            port = ssh,2000:2300
            banaction = {action}
            banaction_allports = {action}
            """, start: false);
        d.NetworkNamespace = _lab.Server;
        d.Environment["DBUS_SYSTEM_BUS_ADDRESS"] = firewalld.BusAddress;
        try
        {
            await d.StartServerAsync();
            Assert.True(CanConnect1V4() && CanConnect1V6() && CanConnect2V4(), "all can connect before any ban");

            await BanAsync(d, FirewallLab.Attacker1V4);
            await WaitAsync(() => !CanConnect1V4(), "the banned IPv4 address is blocked");
            Assert.True(CanConnect2V4(), "another address can still connect");
            Assert.True(CanConnect1V6(), "the same host's IPv6 address is not banned");
            Assert.Equal(!jailPortsOnly, !NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, OtherPort));

            await BanAsync(d, FirewallLab.Attacker1V6);
            await WaitAsync(() => !CanConnect1V6(), "the banned IPv6 address is blocked");

            Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", FirewallLab.Attacker1V4)).Code);
            await WaitAsync(CanConnect1V4, "unban restores the IPv4 address");
            Assert.False(CanConnect1V6(), "the IPv6 ban stays");

            await d.StopServerAsync();
            Assert.True(CanConnect1V6(), "a stopped daemon blocks nothing");
            Assert.Equal(before, Rules(firewalld));
            Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(d.Log());
            output.WriteLine(firewalld.Log());
        }
    }

    private static async Task BanAsync(TestDaemon d, string address) =>
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", address)).Code);

    /// <summary>
    /// What our actions may add to firewalld at run time: rich rules, direct chains and rules, ipset entries (the empty
    /// ipset that firewallcmd-ipset defines stays by design, so ipsets without entries are not listed).
    /// </summary>
    private static string Rules(Firewalld firewalld)
    {
        var ipsets = firewalld.CmdChecked("--get-ipsets").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join('\n', [
            firewalld.CmdChecked("--zone=public", "--list-rich-rules"),
            firewalld.CmdChecked("--direct", "--get-all-chains"),
            firewalld.CmdChecked("--direct", "--get-all-rules"),
            .. ipsets.Select(s => (Set: s, Entries: firewalld.CmdChecked("--ipset=" + s, "--get-entries").Trim()))
                .Where(s => s.Entries.Length > 0).Select(s => s.Set + ": " + s.Entries),
        ]);
    }

    private bool CanConnect1V4() => NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port);

    private bool CanConnect1V6() => NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V6, Port);

    private bool CanConnect2V4() => NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, Port);

    private static async Task WaitAsync(Func<bool> condition, string what) => await TestDaemon.WaitUntilAsync(condition, what, 20);
}

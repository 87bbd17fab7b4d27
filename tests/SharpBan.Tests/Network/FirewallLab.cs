using SharpBan.Tests.Server;

namespace SharpBan.Tests.Network;

/// <summary>
/// A server namespace with two attacker namespaces, each on its own veth link:
/// attacker 1 = 192.0.2.2 / 2001:db8:1::2 → server 192.0.2.1 / 2001:db8:1::1;
/// attacker 2 = 198.51.100.2 / 2001:db8:2::2 → server 198.51.100.1 / 2001:db8:2::1.
/// </summary>
internal sealed class FirewallLab : IDisposable
{
    public const string Server1V4 = "192.0.2.1";
    public const string Server1V6 = "2001:db8:1::1";
    public const string Attacker1V4 = "192.0.2.2";
    public const string Attacker1V6 = "2001:db8:1::2";
    public const string Server2V4 = "198.51.100.1";
    public const string Attacker2V4 = "198.51.100.2";

    public FirewallLab()
    {
        Lab = new NetworkLab();
        try
        {
            Server = Lab.AddNamespace("srv");
            Attacker1 = Lab.AddNamespace("atk1");
            Attacker2 = Lab.AddNamespace("atk2");
            Lab.Link(Server, [Server1V4 + "/24", Server1V6 + "/64"], Attacker1, [Attacker1V4 + "/24", Attacker1V6 + "/64"]);
            Lab.Link(Server, [Server2V4 + "/24", "2001:db8:2::1/64"], Attacker2, [Attacker2V4 + "/24", "2001:db8:2::2/64"]);
        }
        catch
        {
            Lab.Dispose();
            throw;
        }
    }

    public NetworkLab Lab { get; }

    public string Server { get; }

    public string Attacker1 { get; }

    public string Attacker2 { get; }

    /// <summary><c>nft list ruleset</c> inside the server namespace.</summary>
    public string Ruleset() => NetworkLab.ExecChecked(Server, "nft", "list", "ruleset");

    /// <summary>
    /// A daemon in the server namespace with an sshd jail on <c>$DIR/auth.log</c> (maxretry 3, bantime 1h) banning with
    /// <paramref name="banaction"/>; <paramref name="extra"/> adds jail options.
    /// </summary>
    public async Task<TestDaemon> StartDaemonAsync(string banaction, string extra = "")
    {
        var d = await TestDaemon.StartAsync($"""
            [DEFAULT]
            banaction = {banaction}
            [sshd]
            enabled = true
            backend = auto
            logpath = $DIR/auth.log
            maxretry = 3
            bantime = 1h
            {extra}
            """, start: false);
        d.NetworkNamespace = Server;
        await d.StartServerAsync();
        return d;
    }

    /// <summary>Whether a TCP connection from <paramref name="source"/> (an address of <paramref name="ns"/>) to port 22 of <paramref name="server"/> succeeds.</summary>
    public static bool CanConnect(string ns, string source, string server) =>
        NetworkLab.Exec(ns, "nc", "-z", "-w", "2", "-s", source, server, "22").Exit == 0;

    public void Dispose() => Lab.Dispose();
}

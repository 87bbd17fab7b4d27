using System.Diagnostics;

namespace SharpBan.Tests.Network;

/// <summary>
/// A private firewalld inside one namespace of a <see cref="NetworkLab"/>: its own D-Bus system bus (a
/// <c>dbus-daemon</c> on a socket in a temporary directory, reached through <see cref="BusAddress"/>), its own
/// configuration directory (<c>--system-config</c>; the host's /etc/firewalld is never read or written) and the
/// namespace's firewall. <see cref="Dispose"/> kills both processes by pid (the lab kills what is left in the
/// namespace) and deletes the directory, also when the test failed.
/// </summary>
internal sealed class Firewalld : IDisposable
{
    private static readonly string[] Programs = ["firewalld", "firewall-cmd", "dbus-daemon", "iptables"];
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-firewalld-").FullName;
    private readonly Process? _bus;

    public Firewalld(NetworkLab lab, string ns)
    {
        Namespace = ns;
        try
        {
            var config = Directory.CreateDirectory(Path.Join(_dir, "etc")).FullName;
            File.WriteAllText(Path.Join(config, "firewalld.conf"), "DefaultZone=public\nFirewallBackend=nftables\nCleanupOnExit=yes\n");
            var socket = Path.Join(_dir, "bus");
            File.WriteAllText(Path.Join(_dir, "bus.conf"), $"""
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                  "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>unix:path={socket}</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/>
                    <allow own="*"/>
                    <allow send_type="method_call"/>
                    <allow send_type="method_return"/>
                    <allow send_type="signal"/>
                    <allow send_type="error"/>
                    <allow receive_type="method_call"/>
                    <allow receive_type="method_return"/>
                    <allow receive_type="signal"/>
                    <allow receive_type="error"/>
                  </policy>
                </busconfig>
                """);
            BusAddress = "unix:path=" + socket;
            _bus = Shell.Start("dbus-daemon", ["--config-file=" + Path.Join(_dir, "bus.conf"), "--nofork"]);
            WaitFor(() => File.Exists(socket), "dbus-daemon socket");
            lab.StartIn(ns, "env", "DBUS_SYSTEM_BUS_ADDRESS=" + BusAddress, "firewalld", "--nofork", "--nopid",
                "--system-config", config, "--log-target", "file", "--log-file", Path.Join(_dir, "firewalld.log"));
            WaitFor(() => Cmd("--state").Exit == 0, "firewalld running");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Namespace { get; }

    /// <summary>The value for <c>DBUS_SYSTEM_BUS_ADDRESS</c> of every firewall-cmd talking to this firewalld.</summary>
    public string BusAddress { get; } = "";

    /// <summary>Whether the programs are installed (the tests skip, or fail under SHARPBAN_REQUIRE_ROOT, without).</summary>
    public static bool Available => Programs.All(t => NetworkTools.Find(t) is not null);

    /// <summary>firewall-cmd ARGS in the namespace, on this firewalld's bus.</summary>
    public (int Exit, string Out, string Err) Cmd(params string[] args) =>
        Shell.Run("ip", ["netns", "exec", Namespace, "env", "DBUS_SYSTEM_BUS_ADDRESS=" + BusAddress, "firewall-cmd", .. args]);

    public string CmdChecked(params string[] args)
    {
        var (exit, output, error) = Cmd(args);
        return exit == 0 ? output : throw new InvalidOperationException($"firewall-cmd {string.Join(' ', args)} exited {exit}: {error.Trim()}");
    }

    /// <summary>The firewalld log (for a failing test's output).</summary>
    public string Log() => File.Exists(Path.Join(_dir, "firewalld.log")) ? File.ReadAllText(Path.Join(_dir, "firewalld.log")) : "";

    public void Dispose()
    {
        if (_bus is { HasExited: false })
        {
            _bus.Kill();
            _bus.WaitForExit(5000);
        }

        _bus?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temporary directory left behind is harmless
        }
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            Thread.Sleep(200);
        }
    }
}

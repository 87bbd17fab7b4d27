using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace SharpBan.Tests.Network;

/// <summary>
/// Private hosts for one test: network namespaces named <c>sb-&lt;run id&gt;-&lt;role&gt;</c>, joined by veth
/// pairs, addressed only from the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
/// 2001:db8::/32), without any default route. <see cref="Dispose"/> kills every process it started and
/// every process left in its namespaces (by pid), then deletes the namespaces (which deletes the veths),
/// also when the test failed.
/// </summary>
internal sealed class NetworkLab : IDisposable
{
    private readonly List<string> _namespaces = [];
    private readonly List<Process> _processes = [];
    private int _links;

    public NetworkLab()
    {
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    }

    /// <summary>Six hex digits, unique per lab; part of every namespace and interface name.</summary>
    public string Id { get; }

    public IReadOnlyList<string> Namespaces => _namespaces;

    /// <summary>Creates a namespace with its loopback up; returns its name.</summary>
    public string AddNamespace(string role)
    {
        var name = $"sb-{Id}-{role}";
        Shell.Check("ip", "netns", "add", name);
        _namespaces.Add(name);
        Shell.Check("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /// <summary>
    /// Joins two namespaces with a veth pair and gives each end an address (<c>ADDR/PREFIX</c>, IPv4 and
    /// optionally IPv6; IPv6 without duplicate address detection so it is usable at once).
    /// </summary>
    public void Link(string nsA, string[] addressesA, string nsB, string[] addressesB)
    {
        foreach (var address in addressesA.Concat(addressesB))
        {
            if (!IsDocumentationAddress(address))
            {
                throw new ArgumentException($"{address} is not in a documentation range", nameof(addressesA));
            }
        }

        var n = (++_links).ToString(CultureInfo.InvariantCulture);
        var a = $"sb{Id}a{n}";
        var b = $"sb{Id}b{n}";
        Shell.Check("ip", "link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB);
        Configure(nsA, a, addressesA);
        Configure(nsB, b, addressesB);
    }

    /// <summary>Runs a command inside a namespace and returns (exit, stdout, stderr).</summary>
    public static (int Exit, string Out, string Err) Exec(string ns, string file, params string[] args) =>
        Shell.Run("ip", ["netns", "exec", ns, file, .. args]);

    public static string ExecChecked(string ns, string file, params string[] args) =>
        Shell.Check("ip", ["netns", "exec", ns, file, .. args]);

    /// <summary>Starts a long-running process inside a namespace; it is killed on dispose.</summary>
    public Process StartIn(string ns, string file, params string[] args)
    {
        var process = Shell.Start("ip", ["netns", "exec", ns, file, .. args]);
        _processes.Add(process);
        return process;
    }

    /// <summary>
    /// Starts TCP listeners (IPv4 and IPv6) on <paramref name="ports"/> in <paramref name="ns"/> that accept
    /// and close every connection; returns when they listen.
    /// </summary>
    public void StartTcpListeners(string ns, params int[] ports)
    {
        const string Script = """
            import select, socket, sys
            listeners = []
            for port in map(int, sys.argv[1:]):
                s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                s.bind(("::", port))
                s.listen(128)
                listeners.append(s)
            print("ready", flush=True)
            while True:
                ready, _, _ = select.select(listeners, [], [])
                for s in ready:
                    c, _ = s.accept()
                    c.close()
            """;
        var process = StartIn(ns, "python3", ["-c", Script, .. ports.Select(p => p.ToString(CultureInfo.InvariantCulture))]);
        var line = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        if (line != "ready")
        {
            throw new InvalidOperationException($"listener did not start: {process.StandardError.ReadToEnd()}");
        }
    }

    /// <summary>Whether a TCP connection from <paramref name="ns"/> to address:port succeeds (2 s timeout).</summary>
    public static bool CanConnect(string ns, string address, int port) =>
        Exec(ns, "nc", "-z", "-w", "2", address, port.ToString(CultureInfo.InvariantCulture)).Exit == 0;

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone: nothing to clean up.
            }

            process.Dispose();
        }

        foreach (var ns in _namespaces)
        {
            var (_, pids, _) = Shell.Run("ip", ["netns", "pids", ns]);
            foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Shell.Run("kill", ["-9", pid.Trim()]);
            }

            Shell.Run("ip", ["netns", "del", ns]);
        }
    }

    private static void Configure(string ns, string device, string[] addresses)
    {
        foreach (var address in addresses)
        {
            if (address.Contains(':', StringComparison.Ordinal))
            {
                Shell.Check("ip", "-n", ns, "addr", "add", address, "dev", device, "nodad");
            }
            else
            {
                Shell.Check("ip", "-n", ns, "addr", "add", address, "dev", device);
            }
        }

        Shell.Check("ip", "-n", ns, "link", "set", device, "up");
    }

    private static bool IsDocumentationAddress(string cidr)
    {
        var address = IPAddress.Parse(cidr.Split('/')[0]);
        var bytes = address.GetAddressBytes();
        return bytes.Length == 4
            ? (bytes[0], bytes[1], bytes[2]) is (192, 0, 2) or (198, 51, 100) or (203, 0, 113)
            : bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8;
    }
}

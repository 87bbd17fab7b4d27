using System.Net;
using System.Net.Sockets;

namespace SharpBan.Tests.Support;

/// <summary>Ports on 127.0.0.1 for tests.</summary>
internal static class LoopbackPort
{
    /// <summary>A port nothing listens on right now (another process may take it before the caller does).</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using SharpBan.Engine.Jails;

namespace SharpBan.Server;

/// <summary>The host's own addresses (localhost, host name, FQDN, interfaces), cached for five minutes.</summary>
internal sealed class SystemSelfAddresses(TimeProvider time) : ISelfAddresses
{
    private IReadOnlyCollection<IPAddress> _cached = [];
    private DateTimeOffset _expires = DateTimeOffset.MinValue;

    public IReadOnlyCollection<IPAddress> Get()
    {
        var now = time.GetUtcNow();
        if (now < _expires)
        {
            return _cached;
        }

        var set = new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        foreach (var name in new[] { "localhost", Dns.GetHostName() })
        {
            try
            {
                set.UnionWith(Dns.GetHostAddresses(name));
            }
            catch (SocketException)
            {
                // an unresolvable own name only means fewer own addresses
            }
        }

        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                set.UnionWith(nic.GetIPProperties().UnicastAddresses.Select(a => a.Address));
            }
        }
        catch (NetworkInformationException)
        {
            // no interface list: names above still apply
        }

        _cached = set;
        _expires = now.AddMinutes(5);
        return _cached;
    }
}

using System.Net;
using System.Net.Sockets;

namespace SharpBan.Server;

/// <summary>The host's short name and FQDN (resolved once, as fail2ban caches them) for the host-name action tags.</summary>
internal static class SystemHostNames
{
    public static void Install()
    {
        var shortName = Dns.GetHostName();
        var fqdn = new Lazy<string>(() =>
        {
            try
            {
                return Dns.GetHostEntry(shortName).HostName;
            }
            catch (SocketException)
            {
                return shortName; // unresolvable: fail2ban's getfqdn() also falls back to the plain name
            }
        });
        Engine.Actions.HostNames.Provider = fq => fq ? fqdn.Value : shortName.Split('.')[0];
    }
}

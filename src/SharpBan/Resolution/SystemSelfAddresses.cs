using System.Net;
using SharpBan.Engine.Jails;

namespace SharpBan.Resolution;

/// <summary>
/// The host's own addresses for <c>ignoreself</c>, as fail2ban finds them: what <c>localhost</c>, the host name and
/// its fully qualified name resolve to (not every interface address), cached for five minutes.
/// </summary>
internal sealed class SystemSelfAddresses(TimeProvider time, SystemDnsResolver dns) : ISelfAddresses
{
    private readonly Lock _gate = new();
    private IReadOnlyCollection<IPAddress> _cached = [];
    private DateTimeOffset _expires = DateTimeOffset.MinValue;

    public IReadOnlyCollection<IPAddress> Get()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now < _expires)
            {
                return _cached;
            }
        }

        var set = new HashSet<IPAddress>();
        var host = Dns.GetHostName();
        foreach (var name in new[] { "localhost", host, NameService.FullyQualified(host) })
        {
            foreach (var address in dns.Resolve(name))
            {
                set.Add(IPAddress.Parse(address));
            }
        }

        lock (_gate)
        {
            (_cached, _expires) = (set, now.AddMinutes(5));
        }

        return set;
    }
}

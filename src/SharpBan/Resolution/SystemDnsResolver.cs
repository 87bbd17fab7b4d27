using System.Net;
using Microsoft.Extensions.Logging;
using SharpBan.Engine.Matching;

namespace SharpBan.Resolution;

/// <summary>
/// Host names to addresses and back with the system's name service, cached as fail2ban caches them (1,000 entries,
/// five minutes each, failures too), so a name that no longer resolves stops matching within five minutes. Warns as
/// fail2ban's <c>fail2ban.ipdns</c> does: a name that does not resolve (once per lookup, not per cached answer), and
/// each name a <c>usedns = warn</c> jail resolved.
/// </summary>
internal sealed class SystemDnsResolver(TimeProvider time, ILogger logger) : IDnsResolver
{
    private readonly Lock _gate = new();
    private readonly ExpiringCache<IReadOnlyList<string>> _addresses = new(time, maxCount: 1000, maxSeconds: 300);
    private readonly ExpiringCache<string?> _names = new(time, maxCount: 1000, maxSeconds: 300);

    public SystemDnsResolver(ILogger logger)
        : this(TimeProvider.System, logger)
    {
    }

    public IReadOnlyList<string> Resolve(string host)
    {
        lock (_gate)
        {
            if (_addresses.TryGet(host, out var cached))
            {
                return cached;
            }
        }

        IReadOnlyList<string> found = [.. NameService.Addresses(host, out var error).Select(static a => a.ToString())];
        if (error is not null)
        {
            Log.DnsUnresolved(logger, host, error);
        }

        lock (_gate)
        {
            _addresses.Set(host, found);
        }

        return found;
    }

    public void Determined(string text, IReadOnlyList<string> addresses) =>
        Log.DnsDetermined(logger, text, "{" + string.Join(", ", addresses.Select(static a => "'" + a + "'")) + "}");

    /// <summary>The name of <paramref name="address"/> (fail2ban's <c>ipToName</c>), null when it has none.</summary>
    public string? NameOf(string address)
    {
        if (!IPAddress.TryParse(address, out var parsed))
        {
            return null;
        }

        lock (_gate)
        {
            if (_names.TryGet(address, out var cached))
            {
                return cached;
            }
        }

        var name = NameService.HostName(parsed);
        lock (_gate)
        {
            _names.Set(address, name);
        }

        return name;
    }
}

using System.Net;
using SharpBan.Engine.Jails;

namespace SharpBan.Resolution;

/// <summary>
/// The host's own addresses for <c>ignoreself</c>, as fail2ban finds them: what <c>localhost</c>, the host name and
/// its fully qualified name resolve to (not every interface address), looked up again every five minutes. The daemon
/// starts the first lookup while its jails start, and a caller arriving before it ended waits for a lookup of its own;
/// later ones run in the background while the last answer serves, so a slow or dead name server (the fully qualified
/// name may need one) holds up the daemon's gate once at most.
/// </summary>
internal sealed class SystemSelfAddresses(TimeProvider time, SystemDnsResolver dns) : ISelfAddresses
{
    private readonly Lock _gate = new();
    private IReadOnlyCollection<IPAddress>? _cached;
    private DateTimeOffset _expires = DateTimeOffset.MinValue;
    private Task<(IReadOnlyCollection<IPAddress> Addresses, DateTimeOffset Found)>? _refresh;

    public IReadOnlyCollection<IPAddress> Get()
    {
        lock (_gate)
        {
            if (Adopted() is { } known)
            {
                return known;
            }
        }

        var (first, found) = Lookup(); // on the caller's thread, once
        lock (_gate)
        {
            if (_cached is null)
            {
                (_cached, _expires) = (first, found.AddMinutes(5));
            }

            return _cached;
        }
    }

    /// <summary>The last answer, taking a lookup that ended and starting one when it is five minutes old; null before the first.</summary>
    private IReadOnlyCollection<IPAddress>? Adopted()
    {
        if (_refresh is { IsCompleted: true } done)
        {
            (_cached, _expires, _refresh) = (done.Result.Addresses, done.Result.Found.AddMinutes(5), null);
        }

        if (_cached is not null && time.GetUtcNow() >= _expires && _refresh is null)
        {
            _refresh = Task.Run(Lookup);
        }

        return _cached;
    }

    private (IReadOnlyCollection<IPAddress>, DateTimeOffset) Lookup()
    {
        var set = new HashSet<IPAddress>();
        try
        {
            var host = Dns.GetHostName();
            foreach (var name in new[] { "localhost", host, NameService.FullyQualified(host) })
            {
                foreach (var address in dns.Resolve(name))
                {
                    set.Add(IPAddress.Parse(address));
                }
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or FormatException)
        {
            // deliberate: without a host name, the addresses found so far are the host's own (fail2ban goes on too)
        }

        return (set, time.GetUtcNow());
    }
}

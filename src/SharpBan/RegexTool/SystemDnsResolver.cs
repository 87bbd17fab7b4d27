using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SharpBan.Engine.Matching;

namespace SharpBan.RegexTool;

/// <summary>Resolves host names with the system resolver, caching answers (also failures) for the process lifetime.</summary>
internal sealed class SystemDnsResolver : IDnsResolver
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _cache = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Resolve(string host) => _cache.GetOrAdd(host, static h =>
    {
        try
        {
            return [.. Dns.GetHostAddresses(h).Select(static a => a.ToString())];
        }
        catch (SocketException)
        {
            return [];
        }
        catch (ArgumentException)
        {
            return [];
        }
    });
}

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
/// <remarks>
/// With <see cref="Patience"/> set (the daemon), <see cref="TryResolve"/> waits at most that long for a lookup and then
/// lets the caller go on; the lookup finishes on one of at most <see cref="MaxLookups"/> threads of its own and is
/// shared by everyone asking for the same name meanwhile. The name of a failure comes from the log, so an attacker can
/// choose it, and the answer from their own name server, which can be made never to reply: without the bound, every
/// new such name would hold the daemon for the resolver's whole timeout. After a wait that ran out, the next minute's
/// lookups are not waited for at all.
/// </remarks>
internal sealed class SystemDnsResolver(TimeProvider time, ILogger logger) : IDnsResolver
{
    /// <summary>Lookups running at once; more wait in line (each blocks a thread in <c>getaddrinfo</c>).</summary>
    public const int MaxLookups = 8;

    /// <summary>Names in flight at most (running or in line); a name beyond that counts as not resolving.</summary>
    public const int MaxInFlight = 10_000;

    private static readonly TimeSpan SlowPause = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly ExpiringCache<IReadOnlyList<string>> _addresses = new(time, maxCount: 1000, maxSeconds: 300);
    private readonly ExpiringCache<string?> _names = new(time, maxCount: 1000, maxSeconds: 300);
    private readonly Dictionary<string, TaskCompletionSource<IReadOnlyList<string>>> _inFlight = new(StringComparer.Ordinal);
    private readonly Queue<string> _waiting = new();
    private int _threads;
    private DateTimeOffset _slowUntil = DateTimeOffset.MinValue;
    private long _refused;
    private DateTimeOffset _lastRefusedReport = DateTimeOffset.MinValue;

    public SystemDnsResolver(ILogger logger)
        : this(TimeProvider.System, logger)
    {
    }

    /// <summary>How long <see cref="TryResolve"/> waits for a lookup; null: as long as it takes (fail2ban's way, the regex tool's).</summary>
    public TimeSpan? Patience { get; init; }

    public IReadOnlyList<string> Resolve(string host)
    {
        lock (_gate)
        {
            if (_addresses.TryGet(host, out var cached))
            {
                return cached;
            }
        }

        var found = Lookup(host);
        lock (_gate)
        {
            _addresses.Set(host, found);
        }

        return found;
    }

    public IReadOnlyList<string>? TryResolve(string host)
    {
        if (Patience is not { } patience)
        {
            return Resolve(host);
        }

        Task<IReadOnlyList<string>> lookup;
        bool wait;
        lock (_gate)
        {
            if (_addresses.TryGet(host, out var cached))
            {
                return cached;
            }

            lookup = StartLocked(host);
            wait = time.GetUtcNow() >= _slowUntil;
        }

        if (wait && lookup.Wait(patience))
        {
            return lookup.Result;
        }

        if (lookup.IsCompleted)
        {
            return lookup.Result;
        }

        if (wait)
        {
            lock (_gate)
            {
                _slowUntil = time.GetUtcNow() + SlowPause;
            }

            Log.DnsSlow(logger, host, patience.TotalSeconds);
        }

        return null;
    }

    public Task<IReadOnlyList<string>> ResolveAsync(string host)
    {
        lock (_gate)
        {
            return _addresses.TryGet(host, out var cached) ? Task.FromResult(cached) : StartLocked(host);
        }
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

    private IReadOnlyList<string> Lookup(string host)
    {
        IReadOnlyList<string> found = [.. NameService.Addresses(host, out var error).Select(static a => a.ToString())];
        if (error is not null)
        {
            Log.DnsUnresolved(logger, host, error);
        }

        return found;
    }

    /// <summary>
    /// The lookup of <paramref name="host"/> in flight, else a new one, in line for a lookup thread; no addresses when
    /// <see cref="MaxInFlight"/> names are in flight already (a flood of names nobody answers for), with a warning a minute.
    /// </summary>
    private Task<IReadOnlyList<string>> StartLocked(string host)
    {
        if (_inFlight.TryGetValue(host, out var running))
        {
            return running.Task;
        }

        if (_inFlight.Count >= MaxInFlight)
        {
            _refused++;
            var now = time.GetUtcNow();
            if (now - _lastRefusedReport >= SlowPause)
            {
                Log.DnsTooMany(logger, _refused, MaxInFlight, host);
                _refused = 0;
                _lastRefusedReport = now;
            }

            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        var lookup = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _inFlight.Add(host, lookup);
        _waiting.Enqueue(host);
        if (_threads < MaxLookups)
        {
            _threads++;
            new Thread(LookupLoop) { IsBackground = true, Name = "dns lookup" }.Start();
        }

        return lookup.Task;
    }

    /// <summary>A lookup thread: resolves names in line until there are none, then ends.</summary>
    private void LookupLoop()
    {
        while (true)
        {
            string host;
            lock (_gate)
            {
                if (!_waiting.TryDequeue(out host!))
                {
                    _threads--;
                    return;
                }
            }

            IReadOnlyList<string> found;
            try
            {
                found = Lookup(host);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // deliberate: a lookup that fails in an unforeseen way resolves to nothing, as a name that does not exist
                Log.DnsUnresolved(logger, host, e.Message);
                found = [];
            }

            TaskCompletionSource<IReadOnlyList<string>> lookup;
            lock (_gate)
            {
                _addresses.Set(host, found);
                _inFlight.Remove(host, out lookup!);
            }

            lookup.SetResult(found);
        }
    }
}

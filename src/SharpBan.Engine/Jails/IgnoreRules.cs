using System.Net;
using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Jails;

/// <summary>
/// A jail's ignore rules in fail2ban's order: ignoreself, ignoreip single addresses, then networks and DNS names, then
/// ignorecommand (run by the caller-provided delegate so the engine never starts a process itself). Entries are
/// fail2ban's <c>IPAddr</c> values (<see cref="IpEntry"/>): compared, added and removed by value, and only a failure id
/// that is an address can be ignored by them. Host names among the entries resolve through <see cref="IgnoredNames"/>:
/// a caller asks <see cref="Unresolved"/> first and waits for the lookups it gives outside its lock.
/// </summary>
internal sealed class IgnoreRules(IDnsResolver dns, ISelfAddresses self, TimeProvider time)
{
    private readonly List<IpEntry> _singles = [];
    private readonly List<IpEntry> _networks = [];
    private readonly IgnoredNames _names = new(dns, time);

    public bool IgnoreSelf { get; set; } = true;

    /// <summary>The <c>ignorecommand</c> template, empty for none.</summary>
    public string Command { get; set; } = "";

    /// <summary>The entries as fail2ban lists them (<c>get JAIL ignoreip</c>): networks and names, then single addresses.</summary>
    public IReadOnlyList<string> Entries => [.. _networks.Concat(_singles).Select(static e => e.ToString())];

    /// <summary>Adds an entry; false when it is empty or equal to one already there.</summary>
    /// <exception cref="FormatException">A bad prefix length or mask (Python's message).</exception>
    public bool Add(string entry)
    {
        if (entry.Length == 0)
        {
            return false;
        }

        var parsed = IpEntry.Parse(entry);
        if (_singles.Contains(parsed) || _networks.Contains(parsed))
        {
            return false;
        }

        (parsed.IsSingle ? _singles : _networks).Add(parsed);
        if (IsName(parsed))
        {
            _names.Prime(parsed.Raw);
        }

        return true;
    }

    /// <summary>
    /// The first lookups of host names among the entries that still run, when their answers matter to the checks of
    /// <paramref name="id"/> (an address or a network); null when every answer needed is at hand.
    /// </summary>
    public Task? Unresolved(string id)
    {
        List<Task>? running = null;
        foreach (var entry in _networks)
        {
            if (IsName(entry) && _names.Addresses(entry.Raw) is null && _names.FirstLookup(entry.Raw) is { } lookup)
            {
                if (!IpText.IsNetwork(id) && !IsAddress(id))
                {
                    return null;
                }

                (running ??= []).Add(lookup);
            }
        }

        return running is null ? null : Task.WhenAll(running);
    }

    /// <summary>Removes the entry equal to <paramref name="entry"/>.</summary>
    /// <exception cref="FormatException">There is none (fail2ban's <c>list.remove(x): x not in list</c>), or a bad entry.</exception>
    public void Remove(string entry)
    {
        IpEntry parsed;
        try
        {
            parsed = IpEntry.Parse(entry);
        }
        catch (FormatException) when (_networks.Count == 0)
        {
            // fail2ban reads the text as an address only to compare it with a network or name of its list: with none,
            // it is simply not there
            throw new FormatException("list.remove(x): x not in list");
        }

        if (!_singles.Remove(parsed) && !_networks.Remove(parsed))
        {
            throw new FormatException("list.remove(x): x not in list");
        }
    }

    public void Clear()
    {
        _singles.Clear();
        _networks.Clear();
    }

    /// <summary>
    /// Why <paramref name="id"/> (an address, a network or any other text) is ignored (<c>ignoreself rule</c>, <c>ip</c>,
    /// <c>dns</c>, <c>command</c>) or null.
    /// <paramref name="runCommand"/> evaluates ignorecommand for this failure: true = ignore.
    /// </summary>
    public async Task<string?> CheckAsync(string id, Func<CancellationToken, Task<bool>>? runCommand, CancellationToken cancellationToken)
    {
        // a network id (<SUBNET>, banip, a restored network ban) is checked as fail2ban's isInNet checks one: by the
        // ignored network's prefix, whatever its own
        if (IpEntry.FromBanId(id) is { } ip)
        {
            if (IgnoreSelf && self.Get().Any(a => IpEntry.FromAddress(a).Equals(ip)))
            {
                return "ignoreself rule";
            }

            if (_singles.Contains(ip))
            {
                return "ip";
            }

            foreach (var net in _networks)
            {
                if (net.IsValid ? net.Contains(ip) : Resolves(net.Raw, ip))
                {
                    return net.IsValid ? "ip" : "dns";
                }
            }
        }

        if (Command.Length > 0 && runCommand is not null && await runCommand(cancellationToken).ConfigureAwait(false))
        {
            return "command";
        }

        return null;
    }

    /// <summary>
    /// Whether a network that failures would be counted under (<c>banprefix</c>) contains an address the rules ignore
    /// (ignoreself, a single ignoreip, what an ignoreip name resolves to) or overlaps an ignored network; such a network
    /// is never banned as a whole. ignorecommand cannot be asked about a network and is not consulted.
    /// </summary>
    public bool TouchesNetwork(IpEntry network)
    {
        if (IgnoreSelf && self.Get().Any(a => network.Contains(IpEntry.FromAddress(a))))
        {
            return true;
        }

        if (_singles.Any(network.Contains))
        {
            return true;
        }

        foreach (var entry in _networks)
        {
            if (entry.IsValid
                ? entry.Overlaps(network)
                : IsName(entry) && AddressesOf(entry.Raw).Any(a => IPAddress.TryParse(a, out var r) && network.Contains(IpEntry.FromAddress(r))))
            {
                return true;
            }
        }

        return false;
    }

    private bool Resolves(string name, IpEntry ip) =>
        name.Length > 0 && AddressesOf(name).Any(a => IPAddress.TryParse(a, out var r) && IpEntry.FromAddress(r).Equals(ip));

    /// <summary>An entry that is neither an address nor a network: a host name.</summary>
    private static bool IsName(IpEntry entry) => !entry.IsValid && entry.Raw.Length > 0;

    private static bool IsAddress(string id)
    {
        try
        {
            return IpEntry.FromId(id) is not null;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The addresses of an entry's host name; waits for a first lookup still running only when the caller did not ask
    /// <see cref="Unresolved"/> first (the bans restored at start).
    /// </summary>
    private IReadOnlyList<string> AddressesOf(string name) => _names.Addresses(name) ?? dns.Resolve(name);
}

using System.Globalization;
using System.Net;
using System.Text;
using SharpBan.Engine.Firewall;

namespace SharpBan.Firewall;

/// <summary>
/// One started jail of the <see cref="NativeNftablesBackend"/>: bans and unbans addresses and networks in the
/// jail's sets (per family one set of addresses, and one interval set of networks per prefix length, made on the first
/// ban of that length). It remembers which elements it has put in, so that a ban of an element already present replaces
/// it (and its timeout) instead of leaving the old one.
/// </summary>
internal sealed class NativeNftablesJail
{
    private readonly NativeNftablesBackend _backend;

    /// <summary>The elements put in, per set name (<see cref="NftScript.SetName"/>, <see cref="NftScript.NetSetName"/>).</summary>
    private readonly Dictionary<string, HashSet<string>> _banned = new(StringComparer.Ordinal);

    /// <summary>The network sets made (their creation written into a script), by family and prefix length.</summary>
    private readonly HashSet<(NftFamily Family, int PrefixLength)> _netSets = [];
    private readonly Lock _lock = new();

    internal NativeNftablesJail(NativeNftablesBackend backend, NativeJailSettings settings)
    {
        _backend = backend;
        Settings = settings;
        foreach (var family in NftScript.Families(settings.Families))
        {
            _banned[NftScript.SetName(settings.Name, family)] = new(StringComparer.Ordinal);
        }
    }

    public NativeJailSettings Settings { get; }

    /// <summary>Addresses and networks this jail believes are in its sets (the kernel may have expired some).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _banned.Values.Sum(static s => s.Count);
            }
        }
    }

    /// <summary>
    /// Bans addresses and networks, each with its remaining time as the element timeout (none when permanent);
    /// entries whose time has run out are skipped. Throws <see cref="ArgumentException"/> for an entry that
    /// cannot be banned here (unspecified, scoped, a network with host bits set, or of a family the jail does
    /// not handle).
    /// </summary>
    public async Task BanAsync(IEnumerable<BanEntry> bans, CancellationToken cancellationToken)
    {
        var script = new StringBuilder();
        var made = AppendBans(script, bans);
        try
        {
            await _backend.EnqueueAndCheckAsync(script.ToString(), $"ban in jail '{Settings.Name}'", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (NftablesException)
        {
            // the transaction made nothing: the next ban of such a network writes the set's creation again
            lock (_lock)
            {
                _netSets.ExceptWith(made);
            }

            throw;
        }
    }

    public Task UnbanAsync(IEnumerable<IPAddress> addresses, CancellationToken cancellationToken) =>
        UnbanAsync(addresses.Select(static a => new NftTarget(a)), cancellationToken);

    /// <summary>Unbans addresses and networks, whether or not the kernel still holds them.</summary>
    public Task UnbanAsync(IEnumerable<NftTarget> targets, CancellationToken cancellationToken)
    {
        var bySet = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var target in targets)
            {
                var (set, text, net) = Validate(target);
                if (net is { } n && !_netSets.Contains(n))
                {
                    continue; // no set of that length was made, so no rule reads one: nothing to lift
                }

                _banned[set].Remove(text);
                (bySet.TryGetValue(set, out var list) ? list : bySet[set] = []).Add(text);
            }
        }

        var script = new StringBuilder();
        foreach (var (set, list) in bySet)
        {
            NftScript.AppendDeleteElements(script, _backend.Table, set, list);
        }

        return _backend.EnqueueAndCheckAsync(script.ToString(), $"unban in jail '{Settings.Name}'", cancellationToken);
    }

    /// <summary>Removes the jail's chain and sets (and the table if this was the last jail).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _backend.StopJailAsync(this, cancellationToken);

    /// <summary>
    /// The nft command that fails unless <paramref name="target"/> is in the jail's set (<c>get element</c>), or null for
    /// a target the jail does not hold.
    /// </summary>
    internal string? ElementQuery(NftTarget target)
    {
        try
        {
            var (set, text, _) = Validate(target);
            lock (_lock)
            {
                if (!_banned.TryGetValue(set, out var banned) || !banned.Contains(text))
                {
                    return null;
                }
            }

            return $"get element {NftScript.TableFamily} {_backend.Table} {set} {{ {text} }}\n";
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Forgets every element put in and every network set made (the jail's sets are created anew).</summary>
    internal void Forget()
    {
        lock (_lock)
        {
            foreach (var set in _banned.Values)
            {
                set.Clear();
            }

            _netSets.Clear();
        }
    }

    /// <summary>The network sets made so far, for the jail's stop.</summary>
    internal IReadOnlyList<(NftFamily Family, int PrefixLength)> NetSets()
    {
        lock (_lock)
        {
            return [.. _netSets];
        }
    }

    /// <summary>
    /// Writes the bans into <paramref name="script"/>, preceded by the creation of each network set they need that is not
    /// made yet; returns those sets (undone by the caller if the script fails).
    /// </summary>
    internal List<(NftFamily Family, int PrefixLength)> AppendBans(StringBuilder script, IEnumerable<BanEntry> bans)
    {
        var made = new List<(NftFamily Family, int PrefixLength)>();
        // per set, in a fixed order (addresses before networks, IPv4 before IPv6)
        var fresh = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var replaced = new SortedDictionary<string, (List<string> Texts, List<string> Elements)>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var ban in bans)
            {
                if (ban.Remaining is { } r && r <= TimeSpan.Zero)
                {
                    continue;
                }

                var (set, text, net) = Validate(ban.Target);
                if (net is { } n && _netSets.Add(n))
                {
                    made.Add(n);
                    _banned.TryAdd(set, new(StringComparer.Ordinal));
                }

                var element = NftScript.Element(text, ban.Remaining);
                if (_banned[set].Add(text))
                {
                    (fresh.TryGetValue(set, out var list) ? list : fresh[set] = []).Add(element);
                }
                else
                {
                    if (!replaced.TryGetValue(set, out var pair))
                    {
                        replaced[set] = pair = ([], []);
                    }

                    pair.Texts.Add(text);
                    pair.Elements.Add(element);
                }
            }
        }

        foreach (var (family, prefixLength) in made)
        {
            NftScript.AppendStartNetSet(script, _backend.Table, Settings, family, prefixLength);
        }

        foreach (var (set, elements) in fresh)
        {
            NftScript.AppendAddElements(script, _backend.Table, set, elements);
        }

        foreach (var (set, (texts, elements)) in replaced)
        {
            NftScript.AppendReplaceElements(script, _backend.Table, set, texts, elements);
        }

        return made;
    }

    /// <summary>
    /// The set an entry belongs to, its text, and for a network the family and length of its set;
    /// <see cref="ArgumentException"/> when it cannot be banned here.
    /// </summary>
    private (string Set, string Text, (NftFamily Family, int PrefixLength)? Net) Validate(NftTarget target)
    {
        if (!NftAddress.TryFormat(target, out var family, out var text, out var isNetwork))
        {
            throw new ArgumentException(target.PrefixLength is { } p
                ? $"'{target.Address}/{p}' cannot be banned (not a network: host bits set, length 0, or scoped)"
                : $"'{target.Address}' cannot be banned (unspecified or scoped address)", nameof(target));
        }

        if ((Settings.Families & family) == 0)
        {
            throw new ArgumentException(
                $"jail '{Settings.Name}' does not handle {(family == NftFamily.IPv4 ? "IPv4" : "IPv6")} addresses",
                nameof(target));
        }

        if (!isNetwork)
        {
            return (NftScript.SetName(Settings.Name, family), text, null);
        }

        var prefixLength = int.Parse(text.AsSpan(text.IndexOf('/', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);
        return (NftScript.NetSetName(Settings.Name, family, prefixLength), text, (family, prefixLength));
    }
}

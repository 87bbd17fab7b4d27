using System.Net;
using System.Text;
using SharpBan.Engine.Firewall;

namespace SharpBan.Firewall;

/// <summary>
/// One started jail of the <see cref="NativeNftablesBackend"/>: bans and unbans addresses in the jail's
/// sets. It remembers which addresses it has put in, so that a ban of an address already present
/// replaces the element (and its timeout) instead of leaving the old one.
/// </summary>
internal sealed class NativeNftablesJail
{
    private readonly NativeNftablesBackend _backend;
    private readonly HashSet<string> _banned4 = new(StringComparer.Ordinal);
    private readonly HashSet<string> _banned6 = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    internal NativeNftablesJail(NativeNftablesBackend backend, NativeJailSettings settings)
    {
        _backend = backend;
        Settings = settings;
    }

    public NativeJailSettings Settings { get; }

    /// <summary>Addresses this jail believes are in its sets (the kernel may have expired some).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _banned4.Count + _banned6.Count;
            }
        }
    }

    /// <summary>
    /// Bans addresses, each with its remaining time as the element timeout (none when permanent); entries
    /// whose time has run out are skipped. Throws <see cref="ArgumentException"/> for an address that
    /// cannot be banned here (unspecified, scoped, or of a family the jail does not handle).
    /// </summary>
    public Task BanAsync(IEnumerable<BanEntry> bans, CancellationToken cancellationToken)
    {
        var script = new StringBuilder();
        AppendBans(script, bans);
        return _backend.EnqueueAndCheckAsync(script.ToString(), $"ban in jail '{Settings.Name}'", cancellationToken);
    }

    public Task UnbanAsync(IEnumerable<IPAddress> addresses, CancellationToken cancellationToken)
    {
        var v4 = new List<string>();
        var v6 = new List<string>();
        lock (_lock)
        {
            foreach (var address in addresses)
            {
                var (family, text) = Validate(address);
                (family == NftFamily.IPv4 ? _banned4 : _banned6).Remove(text);
                (family == NftFamily.IPv4 ? v4 : v6).Add(text);
            }
        }

        var script = new StringBuilder();
        foreach (var (family, list) in new[] { (NftFamily.IPv4, v4), (NftFamily.IPv6, v6) })
        {
            if (list.Count > 0)
            {
                NftScript.AppendDeleteElements(script, _backend.Table, NftScript.SetName(Settings.Name, family), list);
            }
        }

        return _backend.EnqueueAndCheckAsync(script.ToString(), $"unban in jail '{Settings.Name}'", cancellationToken);
    }

    /// <summary>Removes the jail's chain and sets (and the table if this was the last jail).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _backend.StopJailAsync(this, cancellationToken);

    internal void AppendBans(StringBuilder script, IEnumerable<BanEntry> bans)
    {
        var fresh = (v4: new List<string>(), v6: new List<string>());
        var replaced = (v4: new List<string>(), v6: new List<string>());
        var replacedElements = (v4: new List<string>(), v6: new List<string>());
        lock (_lock)
        {
            foreach (var ban in bans)
            {
                if (ban.Remaining is { } r && r <= TimeSpan.Zero)
                {
                    continue;
                }

                var (family, text) = Validate(ban.Address);
                var v4 = family == NftFamily.IPv4;
                var element = NftScript.Element(text, ban.Remaining);
                if ((v4 ? _banned4 : _banned6).Add(text))
                {
                    (v4 ? fresh.v4 : fresh.v6).Add(element);
                }
                else
                {
                    (v4 ? replaced.v4 : replaced.v6).Add(text);
                    (v4 ? replacedElements.v4 : replacedElements.v6).Add(element);
                }
            }
        }

        var set4 = NftScript.SetName(Settings.Name, NftFamily.IPv4);
        var set6 = NftScript.SetName(Settings.Name, NftFamily.IPv6);
        AppendIfAny(script, set4, fresh.v4, replaced.v4, replacedElements.v4);
        AppendIfAny(script, set6, fresh.v6, replaced.v6, replacedElements.v6);
    }

    private void AppendIfAny(StringBuilder script, string set, List<string> fresh, List<string> replaced,
        List<string> replacedElements)
    {
        if (fresh.Count > 0)
        {
            NftScript.AppendAddElements(script, _backend.Table, set, fresh);
        }

        if (replaced.Count > 0)
        {
            NftScript.AppendReplaceElements(script, _backend.Table, set, replaced, replacedElements);
        }
    }

    private (NftFamily Family, string Text) Validate(IPAddress address)
    {
        if (!NftAddress.TryFormat(address, out var family, out var text))
        {
            throw new ArgumentException($"'{address}' cannot be banned (unspecified or scoped address)",
                nameof(address));
        }

        if ((Settings.Families & family) == 0)
        {
            throw new ArgumentException(
                $"jail '{Settings.Name}' does not handle {(family == NftFamily.IPv4 ? "IPv4" : "IPv6")} addresses",
                nameof(address));
        }

        return (family, text);
    }
}

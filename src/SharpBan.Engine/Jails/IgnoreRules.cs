using System.Net;
using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Jails;

/// <summary>
/// A jail's ignore rules in fail2ban's order: ignoreself, ignoreip addresses, networks and DNS names, then
/// ignorecommand (run by the caller-provided delegate so the engine never starts a process itself).
/// </summary>
internal sealed class IgnoreRules(IDnsResolver dns, ISelfAddresses self)
{
    private readonly List<string> _entries = [];
    private readonly List<IpNetwork> _networks = [];
    private readonly List<string> _names = [];

    public bool IgnoreSelf { get; set; } = true;

    /// <summary>The <c>ignorecommand</c> template, empty for none.</summary>
    public string Command { get; set; } = "";

    /// <summary>The ignoreip entries as given (<c>get JAIL ignoreip</c>).</summary>
    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Adds an entry; false when it is an exact duplicate.</summary>
    public bool Add(string entry)
    {
        entry = entry.Trim();
        if (entry.Length == 0 || _entries.Contains(entry, StringComparer.Ordinal))
        {
            return false;
        }

        _entries.Add(entry);
        if (IpNetwork.TryParse(entry, out var network))
        {
            _networks.Add(network);
        }
        else
        {
            _names.Add(entry);
        }

        return true;
    }

    public bool Remove(string entry)
    {
        entry = entry.Trim();
        if (!_entries.Remove(entry))
        {
            return false;
        }

        if (IpNetwork.TryParse(entry, out var network))
        {
            _networks.Remove(network);
        }
        else
        {
            _names.Remove(entry);
        }

        return true;
    }

    public void Clear()
    {
        _entries.Clear();
        _networks.Clear();
        _names.Clear();
    }

    /// <summary>
    /// Why <paramref name="id"/> is ignored (<c>ignoreself rule</c>, <c>ip</c>, <c>dns</c>, <c>command</c>) or null.
    /// <paramref name="runCommand"/> evaluates ignorecommand for this failure: true = ignore.
    /// </summary>
    public async Task<string?> CheckAsync(string id, Func<CancellationToken, Task<bool>>? runCommand, CancellationToken cancellationToken)
    {
        var isAddress = IPAddress.TryParse(id, out var address) && IpText.Normalize(id, IpText.Unspecified) == id;
        if (isAddress)
        {
            address = IpNetwork.Normalize(address!);
            if (IgnoreSelf && self.Get().Any(a => IpNetwork.Normalize(a).Equals(address)))
            {
                return "ignoreself rule";
            }

            if (_networks.Any(n => n.Contains(address)))
            {
                return "ip";
            }

            foreach (var name in _names)
            {
                if (dns.Resolve(name).Any(a => IPAddress.TryParse(a, out var r) && IpNetwork.Normalize(r).Equals(address)))
                {
                    return "dns";
                }
            }
        }
        else if (_entries.Contains(id, StringComparer.Ordinal))
        {
            return "ip";
        }

        if (Command.Length > 0 && runCommand is not null && await runCommand(cancellationToken).ConfigureAwait(false))
        {
            return "command";
        }

        return null;
    }
}

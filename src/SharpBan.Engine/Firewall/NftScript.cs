using System.Globalization;
using System.Text;

namespace SharpBan.Engine.Firewall;

/// <summary>
/// Writes the nft commands of the native backend. Everything it writes comes from validated settings
/// (<see cref="NativeJailSettings"/>) and addresses formatted by <see cref="NftAddress"/>.
/// Deletions are written as "add, then delete" so that a script never fails because an object or element
/// is already gone (a flushed ruleset, an element whose kernel timeout ran out).
/// </summary>
internal static class NftScript
{
    public const string TableFamily = "inet";
    public const string DefaultTable = "sharpban-native";

    /// <summary>Longer remaining times are written without a timeout (the kernel limit is far below 100 years).</summary>
    public static readonly TimeSpan MaxElementTimeout = TimeSpan.FromDays(3650);

    private const int ElementsPerStatement = 2048;

    /// <summary>The set of single addresses.</summary>
    public static string SetName(string jail, NftFamily family) =>
        (family == NftFamily.IPv4 ? "ban4-" : "ban6-") + jail;

    /// <summary>
    /// The set of the networks of one prefix length (an interval set). Kept apart from the addresses, and one set per
    /// length, because an interval set refuses an element that overlaps another: an address inside a banned network,
    /// and a /24 inside a banned /16, must stay bannable, and unbannable, on their own. Networks of one length never
    /// overlap unless equal. The length is last and has no '-', so two jails' names never collide.
    /// </summary>
    public static string NetSetName(string jail, NftFamily family, int prefixLength) =>
        (family == NftFamily.IPv4 ? "net4-" : "net6-") + jail + "-" + prefixLength.ToString(CultureInfo.InvariantCulture);

    public static string ChainName(string jail) => "in-" + jail;

    /// <summary>
    /// (Re)creates the jail's chain and address sets from scratch (left-overs of a crashed daemon are replaced),
    /// with the rule matching each configured family. The network sets come with the first network of their length
    /// (<see cref="AppendStartNetSet"/>).
    /// </summary>
    public static void AppendStartJail(StringBuilder script, string table, NativeJailSettings jail)
    {
        var t = TableFamily + " " + table;
        var chain = ChainName(jail.Name);
        script.Append("add table ").Append(t).Append('\n');
        AppendDeleteChain(script, t, chain);
        foreach (var family in new[] { NftFamily.IPv4, NftFamily.IPv6 })
        {
            AppendDeleteSet(script, t, SetName(jail.Name, family), family, interval: false);
        }

        foreach (var family in Families(jail.Families))
        {
            AppendAddSet(script, t, SetName(jail.Name, family), family, interval: false);
        }

        script.Append("add chain ").Append(t).Append(' ').Append(chain)
            .Append(" { type filter hook ").Append(jail.Hook)
            .Append(" priority ").Append(jail.Priority.ToString(CultureInfo.InvariantCulture))
            .Append("; policy accept; }\n");
        foreach (var family in Families(jail.Families))
        {
            AppendRule(script, t, jail, family, SetName(jail.Name, family));
        }
    }

    /// <summary>
    /// Creates the set of the jail's networks of one length and its rule (on the first ban of such a network). A set
    /// of that name left over from a crashed run is emptied: only this run's bans may be in it.
    /// </summary>
    public static void AppendStartNetSet(StringBuilder script, string table, NativeJailSettings jail, NftFamily family,
        int prefixLength)
    {
        var t = TableFamily + " " + table;
        var set = NetSetName(jail.Name, family, prefixLength);
        AppendAddSet(script, t, set, family, interval: true);
        script.Append("flush set ").Append(t).Append(' ').Append(set).Append('\n');
        AppendRule(script, t, jail, family, set);
    }

    /// <summary>
    /// Removes the jail's chain and sets (<paramref name="netSets"/>: the network sets it created), or the whole table
    /// when <paramref name="wholeTable"/>.
    /// </summary>
    public static void AppendStopJail(StringBuilder script, string table, NativeJailSettings jail, bool wholeTable,
        IEnumerable<(NftFamily Family, int PrefixLength)> netSets)
    {
        var t = TableFamily + " " + table;
        script.Append("add table ").Append(t).Append('\n');
        if (wholeTable)
        {
            script.Append("delete table ").Append(t).Append('\n');
            return;
        }

        AppendDeleteChain(script, t, ChainName(jail.Name));
        foreach (var family in Families(jail.Families))
        {
            AppendDeleteSet(script, t, SetName(jail.Name, family), family, interval: false);
        }

        foreach (var (family, prefixLength) in netSets)
        {
            AppendDeleteSet(script, t, NetSetName(jail.Name, family, prefixLength), family, interval: true);
        }
    }

    /// <summary>Adds elements that are not in the set (a present element would keep its old timeout).</summary>
    public static void AppendAddElements(StringBuilder script, string table, string set, IReadOnlyList<string> elements) =>
        AppendElements(script, "add", table, set, elements);

    /// <summary>Replaces elements that may be in the set, so that their timeout is the new one.</summary>
    public static void AppendReplaceElements(StringBuilder script, string table, string set,
        IReadOnlyList<string> addresses, IReadOnlyList<string> elements)
    {
        AppendElements(script, "add", table, set, addresses);
        AppendElements(script, "delete", table, set, addresses);
        AppendElements(script, "add", table, set, elements);
    }

    /// <summary>Deletes addresses whether or not they are still in the set.</summary>
    public static void AppendDeleteElements(StringBuilder script, string table, string set,
        IReadOnlyList<string> addresses)
    {
        AppendElements(script, "add", table, set, addresses);
        AppendElements(script, "delete", table, set, addresses);
    }

    /// <summary>The set element for an address: <c>ADDR timeout Nms</c>, or just <c>ADDR</c> when permanent.</summary>
    public static string Element(string address, TimeSpan? remaining)
    {
        if (remaining is not { } r || r > MaxElementTimeout)
        {
            return address;
        }

        var ms = Math.Max(1L, (long)Math.Ceiling(r.TotalMilliseconds));
        return string.Create(CultureInfo.InvariantCulture, $"{address} timeout {ms}ms");
    }

    public static IEnumerable<NftFamily> Families(NftFamily families)
    {
        if ((families & NftFamily.IPv4) != 0)
        {
            yield return NftFamily.IPv4;
        }

        if ((families & NftFamily.IPv6) != 0)
        {
            yield return NftFamily.IPv6;
        }
    }

    private static void AppendElements(StringBuilder script, string verb, string table, string set,
        IReadOnlyList<string> elements)
    {
        for (var start = 0; start < elements.Count; start += ElementsPerStatement)
        {
            var end = Math.Min(elements.Count, start + ElementsPerStatement);
            script.Append(verb).Append(" element ").Append(TableFamily).Append(' ').Append(table).Append(' ')
                .Append(set).Append(" { ");
            for (var i = start; i < end; i++)
            {
                if (i > start)
                {
                    script.Append(", ");
                }

                script.Append(elements[i]);
            }

            script.Append(" }\n");
        }
    }

    private static void AppendRule(StringBuilder script, string t, NativeJailSettings jail, NftFamily family, string set)
    {
        script.Append("add rule ").Append(t).Append(' ').Append(ChainName(jail.Name))
            .Append(" meta l4proto { ").AppendJoin(", ", jail.Protocols).Append(" }");
        if (jail.Mode == BanMode.Multiport)
        {
            script.Append(" th dport { ").AppendJoin(", ", jail.Ports).Append(" }");
        }

        script.Append(family == NftFamily.IPv4 ? " ip saddr @" : " ip6 saddr @")
            .Append(set).Append(' ').Append(jail.BlockType).Append('\n');
    }

    private static void AppendDeleteChain(StringBuilder script, string t, string chain)
    {
        script.Append("add chain ").Append(t).Append(' ').Append(chain).Append('\n');
        script.Append("flush chain ").Append(t).Append(' ').Append(chain).Append('\n');
        script.Append("delete chain ").Append(t).Append(' ').Append(chain).Append('\n');
    }

    private static void AppendDeleteSet(StringBuilder script, string t, string set, NftFamily family, bool interval)
    {
        AppendAddSet(script, t, set, family, interval);
        script.Append("delete set ").Append(t).Append(' ').Append(set).Append('\n');
    }

    private static void AppendAddSet(StringBuilder script, string t, string set, NftFamily family, bool interval) =>
        script.Append("add set ").Append(t).Append(' ').Append(set).Append(" { type ")
            .Append(family == NftFamily.IPv4 ? "ipv4_addr" : "ipv6_addr")
            .Append(interval ? "; flags interval, timeout; }\n" : "; flags timeout; }\n");
}

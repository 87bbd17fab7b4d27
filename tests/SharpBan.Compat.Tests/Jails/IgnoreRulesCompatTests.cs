using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;

namespace SharpBan.Compat.Tests.Jails;

/// <summary>
/// <c>ignoreip</c> (<see cref="IgnoreRules"/>) against fail2ban's <c>Filter.addIgnoreIP</c>/<c>inIgnoreIPList</c> on
/// generated lists: addresses and networks of both families given by prefix length or mask, IPv4-mapped ones,
/// duplicates and bad masks; checked with addresses and networks in, at the edge of and outside them; and with host
/// names, resolved from one table on both sides. Without <c>ignoreself</c> (it needs the host's addresses): the same
/// entries accepted or refused, the same list (as a set: fail2ban lists its single addresses in hash order), the same
/// ids ignored.
/// </summary>
public sealed class IgnoreRulesCompatTests
{
    private const string Script = """
        import sys, json
        from fail2ban.server.filter import Filter
        from fail2ban.server.ipdns import DNSUtils, IPAddr
        DNS = {}
        DNSUtils.dnsToIp = staticmethod(lambda dns: set(IPAddr(a) for a in DNS.get(dns, [])))
        for l in sys.stdin:
            table, entries, ids = json.loads(l)
            DNS.clear()
            DNS.update(table)
            f = Filter(None)
            f.ignoreSelf = False
            try:
                for e in entries:
                    f.addIgnoreIP(e)
            except ValueError:
                print(json.dumps(None))
                continue
            print(json.dumps([sorted(str(e) for e in f.getIgnoreIP()), [f.inIgnoreIPList(i, log_ignore=False) for i in ids]]))
        """;

    private static readonly string[] Bases = ["192.0.2.", "198.51.100.", "203.0.113.", "10.1.", "2001:db8::", "2001:db8:1::", "::ffff:192.0.2.", "::ffff:198.51.100."];

    [OracleFact]
    public void Check_GeneratedListsAndIds_SameAsFail2Ban()
    {
        var random = new Random(20261128);
        var cases = Enumerable.Range(0, 3000).Select(_ => (Entries: Entries(random), Ids: Ids(random))).ToList();

        var expected = PythonOracle.Run(Script, [.. cases.Select(static c => JsonSerializer.Serialize(new object[] { new Dictionary<string, string[]>(), c.Entries, c.Ids }))]);

        Assert.InRange(expected.Count(static e => e == "null"), 1, cases.Count / 5);
        var differences = cases.Select((c, i) => (c.Entries, c.Ids, Ours: Ours(c.Entries, c.Ids), Python: Canonical(expected[i]))).Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(3).Select(static d =>
                $"  {JsonSerializer.Serialize(d.Entries)} {JsonSerializer.Serialize(d.Ids)}\n    ours   {d.Ours}\n    Python {d.Python}")));
    }

    private static readonly Dictionary<string, string[]> Names = new(StringComparer.Ordinal)
    {
        ["gw.example.com"] = ["192.0.2.1"],
        ["dual.example.net"] = ["192.0.2.11", "2001:db8::11"],
        ["v6.example.org"] = ["2001:db8::12"],
        ["nowhere.example"] = [],
    };

    /// <summary>
    /// Host names among the entries (resolved from one table on both sides; one resolves to nothing), and as ids:
    /// an address a name resolves to is ignored, a name itself is not, and names do not take prefixes.
    /// </summary>
    [OracleFact]
    public void Check_ListsWithHostNames_SameAsFail2Ban()
    {
        var random = new Random(20261130);
        string[] names = [.. Names.Keys, "unknown.example", "Gw.Example.com"];
        var cases = Enumerable.Range(0, 1500).Select(_ => (
            Entries: Entries(random).Select(e => random.Next(3) == 0 ? names[random.Next(names.Length)] + (random.Next(6) == 0 ? "/24" : "") : e).ToList(),
            Ids: Ids(random).Select(i => random.Next(4) switch
            {
                0 => names[random.Next(names.Length)],
                1 => Names.Values.SelectMany(static a => a).ElementAt(random.Next(4)),
                _ => i,
            }).ToList())).ToList();

        var expected = PythonOracle.Run(Script, [.. cases.Select(static c => JsonSerializer.Serialize(new object[] { Names, c.Entries, c.Ids }))]);

        Assert.InRange(expected.Count(static e => e.Contains("true", StringComparison.Ordinal)), cases.Count / 4, cases.Count);
        var differences = cases.Select((c, i) => (c.Entries, c.Ids, Ours: Ours(c.Entries, c.Ids, new TableResolver(Names)), Python: Canonical(expected[i])))
            .Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(3).Select(static d =>
                $"  {JsonSerializer.Serialize(d.Entries)} {JsonSerializer.Serialize(d.Ids)}\n    ours   {d.Ours}\n    Python {d.Python}")));
    }

    private static string Canonical(string json) => JsonNode.Parse(json)?.ToJsonString() ?? "null";

    private static string Ours(List<string> entries, List<string> ids, IDnsResolver? dns = null)
    {
        var rules = new IgnoreRules(dns ?? NoDnsResolver.Instance, new FixedSelfAddresses(), TimeProvider.System) { IgnoreSelf = false };
        try
        {
            foreach (var e in entries)
            {
                rules.Add(e);
            }
        }
        catch (FormatException)
        {
            return "null";
        }

        var ignored = ids.Select(id => rules.CheckAsync(id, null, CancellationToken.None).GetAwaiter().GetResult() is not null).ToList();
        return new JsonArray(
            new JsonArray([.. rules.Entries.Order(StringComparer.Ordinal).Select(static e => JsonValue.Create(e))]),
            new JsonArray([.. ignored.Select(static b => JsonValue.Create(b))])).ToJsonString();
    }

    private static List<string> Entries(Random random) =>
        [.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => Address(random) + (random.Next(3) == 0 ? "" : "/" + Prefix(random)))];

    private static List<string> Ids(Random random) =>
        [.. Enumerable.Range(0, 8).Select(_ => random.Next(10) switch
        {
            0 => Address(random) + "/" + random.Next(8, 129).ToString(CultureInfo.InvariantCulture),
            1 => "user" + random.Next(3).ToString(CultureInfo.InvariantCulture),
            _ => Address(random),
        })];

    private static string Address(Random random)
    {
        var b = Bases[random.Next(Bases.Length)];
        var last = random.Next(5) switch { 0 => 0, 1 => 255, _ => random.Next(256) };
        if (b.EndsWith("::", StringComparison.Ordinal))
        {
            return b + last.ToString("x", CultureInfo.InvariantCulture);
        }

        return b == "10.1." ? b + random.Next(3).ToString(CultureInfo.InvariantCulture) + "." + last.ToString(CultureInfo.InvariantCulture) : b + last.ToString(CultureInfo.InvariantCulture);
    }

    private static string Prefix(Random random)
    {
        if (random.Next(4) != 0)
        {
            return random.Next(8) == 0 ? random.Next(-1, 140).ToString(CultureInfo.InvariantCulture) : random.Next(16, 129).ToString(CultureInfo.InvariantCulture);
        }

        var length = random.Next(8, 33);
        var mask = uint.MaxValue << (32 - length);
        if (random.Next(6) == 0)
        {
            mask ^= 1u << random.Next(32);
        }

        return string.Join('.', mask >> 24, (mask >> 16) & 255, (mask >> 8) & 255, mask & 255);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;

namespace SharpBan.Compat.Tests.Matching;

/// <summary>
/// Failure ids from IPv6 text (<see cref="IpText.Normalize"/>) against fail2ban's <c>str(IPAddr(text, cidr))</c> on
/// generated addresses: zero runs of every length and place, upper case and leading zeros, <c>::</c> anywhere it may
/// stand, an embedded dotted quad, the IPv4-mapped, -compatible and -translated prefixes, brackets, some malformed
/// text, each with no prefix length, the IPv6 family, the IPv4 family or a prefix length.
/// </summary>
public sealed class IpTextCompatTests
{
    private const string Script = """
        import sys, json
        from fail2ban.server.ipdns import IPAddr
        for l in sys.stdin:
            text, cidr = json.loads(l)
            print(json.dumps(str(IPAddr(text, cidr))))
        """;

    [OracleFact]
    public void Normalize_GeneratedIPv6Text_SameIdAsFail2Ban()
    {
        var random = new Random(20261128);
        var cases = Enumerable.Range(0, 20000).Select(_ => (Text: Text(random), Cidr: Cidr(random))).ToList();

        var expected = PythonOracle.Run(Script, [.. cases.Select(static c => JsonSerializer.Serialize(new object[] { c.Text, c.Cidr }))]);

        var differences = cases.Select((c, i) => (c.Text, c.Cidr, Ours: JsonSerializer.Serialize(IpText.Normalize(c.Text, c.Cidr)), Python: expected[i]))
            .Concat(cases.Select((c, i) => (c.Text, c.Cidr, Ours: JsonSerializer.Serialize(IpEntry.Parse(c.Text).ToString()), Python: expected[i]))
                .Where(static c => c.Cidr == IpText.Unspecified)) // the ids of ignoreip, banip and unbanip
            .Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(5).Select(static d => $"  {d.Text} /{d.Cidr}: ours {d.Ours}, fail2ban {d.Python}")));
    }

    private const string ScriptWithErrors = """
        import sys, json
        from fail2ban.server.ipdns import IPAddr
        for l in sys.stdin:
            text, cidr = json.loads(l)
            try:
                print(json.dumps(str(IPAddr(text, cidr))))
            except ValueError:
                print(json.dumps(None))
        """;

    /// <summary>
    /// IPv4 text (strict quads, leading zeros, parts out of range or missing) and either family, with a prefix
    /// length or a mask after a slash or as the argument, as <c>banip</c>, <c>ignoreip</c> and failure ids give them:
    /// <see cref="IpText.Normalize"/> where fail2ban gives an id, <see cref="IpEntry.Parse"/> refusing where it refuses.
    /// </summary>
    [OracleFact]
    public void NormalizeAndParse_GeneratedAddressesWithPrefixes_SameAsFail2Ban()
    {
        var random = new Random(20261129);
        var cases = Enumerable.Range(0, 20000).Select(_ => (Text: Prefixed(random), Cidr: random.Next(3) == 0 ? Cidr(random) : IpText.Unspecified)).ToList();

        var expected = PythonOracle.Run(ScriptWithErrors, [.. cases.Select(static c => JsonSerializer.Serialize(new object[] { c.Text, c.Cidr }))]);

        Assert.InRange(expected.Count(static e => e == "null"), 1, cases.Count / 4);
        var differences = cases.Select((c, i) => (Text: "Normalize " + c.Text, c.Cidr, Ours: expected[i] == "null" ? "null" : JsonSerializer.Serialize(IpText.Normalize(c.Text, c.Cidr)), Python: expected[i]))
            .Concat(cases.Select((c, i) => (Text: "Parse " + c.Text, c.Cidr, Ours: Parsed(c.Text), Python: expected[i])).Where(static c => c.Cidr == IpText.Unspecified))
            .Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Where(static d => d.Text.StartsWith('N')).Take(6).Concat(differences.Where(static d => d.Text.StartsWith('P')).Take(6)).Select(static d => $"  {d.Text} /{d.Cidr}: ours {d.Ours}, fail2ban {d.Python}")));

        static string Parsed(string text)
        {
            try
            {
                return JsonSerializer.Serialize(IpEntry.Parse(text).ToString());
            }
            catch (FormatException)
            {
                return "null";
            }
        }
    }

    private static string Prefixed(Random random)
    {
        var text = random.Next(4) == 0 ? Text(random) : Quad(random);
        return random.Next(3) switch
        {
            0 => text,
            1 => text + "/" + random.Next(-1, 140).ToString(CultureInfo.InvariantCulture),
            _ => text + "/" + (random.Next(6) == 0 ? Text(random) : random.Next(5) == 0 ? Quad(random) : Mask(random)),
        };
    }

    private static string Quad(Random random)
    {
        var parts = Enumerable.Range(0, random.Next(12) == 0 ? random.Next(1, 6) : 4).Select(_ => random.Next(8) switch
        {
            0 => "0" + random.Next(10).ToString(CultureInfo.InvariantCulture),
            1 => random.Next(256, 1000).ToString(CultureInfo.InvariantCulture),
            2 => "0",
            3 => "255",
            _ => random.Next(256).ToString(CultureInfo.InvariantCulture),
        });
        return string.Join('.', parts);
    }

    private static string Mask(Random random)
    {
        var length = random.Next(0, 33);
        var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
        if (random.Next(5) == 0)
        {
            mask ^= 1u << random.Next(32); // not a prefix
        }

        return string.Join('.', mask >> 24, (mask >> 16) & 255, (mask >> 8) & 255, mask & 255);
    }

    private static int Cidr(Random random) => random.Next(6) switch
    {
        0 or 1 => IpText.Unspecified,
        2 or 3 => IpText.FamilyV6,
        4 => IpText.FamilyV4,
        _ => random.Next(0, 130),
    };

    private static string Text(Random random)
    {
        var words = new int[8];
        var shape = random.Next(8);
        for (var i = 0; i < 8; i++)
        {
            words[i] = random.Next(10) switch
            {
                < 5 => 0,
                5 => 0xffff,
                6 or 7 => random.Next(1, 0x100),
                _ => random.Next(0x10000),
            };
        }

        if (shape == 0)
        {
            Array.Clear(words, 0, 5); // ::ffff:a.b.c.d, ::a.b.c.d, ::ffff:0:a.b.c.d and their neighbours
            words[5] = random.Next(3) switch { 0 => 0xffff, 1 => 0, _ => random.Next(2) };
            words[4] = random.Next(4) == 0 ? 0xffff : 0;
            words[6] = random.Next(3) == 0 ? 0 : words[6];
        }

        var dotted = random.Next(5) == 0;
        var groups = words.Select(w => Group(random, w)).ToList();
        if (dotted)
        {
            groups[6] = string.Join('.', words[6] >> 8, words[6] & 255, words[7] >> 8, words[7] & 255);
            groups.RemoveAt(7);
        }

        var text = new StringBuilder();
        var zeroRun = ZeroRuns(words, dotted ? 6 : 8).ToList();
        if (zeroRun.Count > 0 && random.Next(4) != 0)
        {
            var (start, length) = zeroRun[random.Next(zeroRun.Count)];
            length = random.Next(1, length + 1);
            text.Append(string.Join(':', groups.Take(start))).Append("::").Append(string.Join(':', groups.Skip(start + length)));
        }
        else
        {
            text.Append(string.Join(':', groups));
        }

        var result = text.ToString();
        return random.Next(40) switch
        {
            0 => "[" + result + "]",
            1 => result + ":1",
            2 => result.Replace("::", ":::", StringComparison.Ordinal),
            3 => "1::" + result,
            _ => result,
        };
    }

    private static string Group(Random random, int word)
    {
        var hex = word.ToString(random.Next(4) == 0 ? "X" : "x", CultureInfo.InvariantCulture);
        return random.Next(6) == 0 ? hex.PadLeft(random.Next(hex.Length, 5), '0') : hex;
    }

    private static IEnumerable<(int Start, int Length)> ZeroRuns(int[] words, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (words[i] != 0)
            {
                continue;
            }

            var start = i;
            while (i < count && words[i] == 0)
            {
                i++;
            }

            yield return (start, i - start);
        }
    }
}

using System.Text;
using System.Text.RegularExpressions;
using SharpBan.Compat.Tests.Oracle;

namespace SharpBan.Compat.Tests.RegexTool;

/// <summary>
/// Every stock filter over sample lines an attacker or a broken service could have written: the addresses swapped for
/// other forms (IPv6, mapped, bracketed, with a port or a prefix, out of range, two of them), a character inserted or
/// removed, the line cut short or given a tail that failregexes look for. The reports must be fail2ban-regex's.
/// </summary>
public sealed partial class RegexToolCompatTests
{
    private static readonly string[] AddressForms =
    [
        "2001:db8::1", "::ffff:192.0.2.5", "[192.0.2.6]", "192.0.2.7:22", "999.0.2.1", "192.0.2.8/24", "192.0.2.09",
        "2001:db8:0:0:0:0:0:2", "[2001:db8::3]", "2001:DB8::A", "192.0.2.10.", "fe80::1%eth0", "0.0.0.0", "::1",
        "127.0.0.1", "192.0.2.11 192.0.2.12", "203.0.113.1,198.51.100.2", "198.51.100.7.example.com",
    ];

    private static readonly string[] Inserted =
        [" ", "\t", "  ", "\"", "'", "[", "]", "(", ")", ":", ";", "=", "\u00e9", "\u00a0", "\\", "%", "<", ">", "{", "}", "x", "0", "\u001c", "\r", "\u2028",
         "\u0301", "\u00b2", "\u0663", "\u203f"]; // a combining mark, No, Nd and Pc: where Python's \w is not .NET's

    private static readonly string[] Tails =
        [" [preauth]", " port 22", " ssh2", " from 192.0.2.99", " user=root", "\"", " x", " rhost=198.51.100.3"];

    [RegexOracleFact]
    public void Report_MutatedSampleLinesThroughEveryStockFilter_SameAsFail2BanRegex()
    {
        var log = Path.Join(Path.GetTempPath(), $"sharpban-mutated-samples-{Environment.ProcessId}.log");
        try
        {
            var samples = Directory.EnumerateFiles(OraclePaths.SampleLogs).Order(StringComparer.Ordinal)
                .SelectMany(File.ReadLines).Where(static l => !l.StartsWith('#') && l.Trim().Length > 0).ToList();
            var random = new Random(20261127);
            File.WriteAllText(log, string.Concat(Enumerable.Range(0, 3000).Select(_ => Mutated(samples[random.Next(samples.Count)], random) + "\n")), new UTF8Encoding(false));

            var filters = Directory.EnumerateFiles(Path.Join(OraclePaths.ConfigDirectory, "filter.d"), "*.conf")
                .Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList();
            string[] Args(string filter) => ["-c", OraclePaths.ConfigDirectory, "--usedns", "no", "-vv", "--print-all-matched", "--print-all-missed", log, filter];
            var references = new System.Collections.Concurrent.ConcurrentDictionary<string, (int Exit, string Output)>(StringComparer.Ordinal);
            Parallel.ForEach(filters, new ParallelOptions { MaxDegreeOfParallelism = 2 }, f => references[f] = RegexToolRun.Reference(Args(f)));

            var differences = new List<string>();
            var compared = 0;
            var matched = 0;
            foreach (var filter in filters)
            {
                var (referenceExit, reference) = references[filter];
                if (reference.Contains("Traceback (most recent call last)", StringComparison.Ordinal))
                {
                    continue; // an include-only file (see the test of all sample logs mixed)
                }

                compared++;
                var (exit, ours) = RegexToolRun.Ours(Args(filter));
                matched += Matched().Match(reference) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                AddDifference(differences, filter, (referenceExit, reference), (exit, ours));
            }

            Assert.True(compared >= 80, $"only {compared} filters compared");
            Assert.True(matched >= 500, $"only {matched} matches over all filters: the mutations leave too few failures");
            Assert.True(differences.Count == 0, $"{differences.Count} of {compared} reports differ:\n" + string.Join('\n', differences));
        }
        finally
        {
            File.Delete(log);
        }
    }

    /// <summary>One sample line, changed one way in seven (an eighth stays as it is).</summary>
    private static string Mutated(string line, Random random)
    {
        switch (random.Next(8))
        {
            case <= 2 when Ipv4().Matches(line) is { Count: > 0 } found:
                var m = found[random.Next(found.Count)];
                return string.Concat(line.AsSpan(0, m.Index), AddressForms[random.Next(AddressForms.Length)], line.AsSpan(m.Index + m.Length));
            case 3:
                var at = random.Next(line.Length + 1);
                return line.Insert(at, Inserted[random.Next(Inserted.Length)]);
            case 4:
                return line[..Math.Max(random.Next(line.Length + 1), Math.Min(16, line.Length))];
            case 5:
                var from = random.Next(line.Length + 1);
                return line.Remove(from, Math.Min(line.Length - from, random.Next(1, 6)));
            case 6:
                return line + Tails[random.Next(Tails.Length)];
            default:
                return line;
        }
    }

    [GeneratedRegex(@"\b\d{1,3}(?:\.\d{1,3}){3}\b")]
    private static partial Regex Ipv4();
}

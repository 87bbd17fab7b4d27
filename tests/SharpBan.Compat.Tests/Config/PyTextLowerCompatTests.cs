using System.Text;
using System.Text.Json;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Config;

namespace SharpBan.Compat.Tests.Config;

/// <summary>
/// <see cref="PyText.Lower"/> against Python's <c>str.lower()</c>, which configparser applies to every option name (so
/// it decides which <c>%(name)s</c> and <c>[Init]</c> options meet): every code point of the first two planes alone, and
/// words with capital sigmas and dotted capital I's among letters, marks and punctuation. Characters Python's Unicode
/// database does not know yet (newer than its version) are left out: they follow .NET's newer tables.
/// </summary>
public sealed class PyTextLowerCompatTests
{
    private static readonly string[] Pieces = ["Σ", "σ", "A", "ö", "İ", "I", " ", "'", ".", "\u0301", "\u00AD", "ʰ", "1", "_", "-", "Ω", "\U00010400"];

    [OracleFact]
    public void Lower_EveryCodePointAndSigmaWords_SameAsPython()
    {
        var random = new Random(20261126);
        var strings = Enumerable.Range(0, 0x30000)
            .Where(static c => c is < 0xD800 or > 0xDFFF)
            .Select(static c => char.ConvertFromUtf32(c))
            .Concat(Enumerable.Range(0, 3000).Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 7)).Select(_ => Pieces[random.Next(Pieces.Length)]))))
            .ToList();

        var expected = PythonOracle.Run(
                "import sys, json, unicodedata\nfor l in sys.stdin:\n  s = json.loads(l)\n  print(json.dumps(None if any(unicodedata.category(c) == 'Cn' for c in s) else s.lower()))",
                [.. strings.Select(static s => JsonSerializer.Serialize(s))])
            .Select(static l => JsonSerializer.Deserialize<string>(l)).ToList();

        var differences = strings.Select((s, i) => (Text: s, Ours: PyText.Lower(s), Python: expected[i])).Where(static p => p.Python is not null && p.Ours != p.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {strings.Count} differ, e.g. " + string.Join("; ", differences.Take(5).Select(static d => $"{Escaped(d.Text)}: ours {Escaped(d.Ours)} Python {Escaped(d.Python!)}")));
    }

    private static string Escaped(string s) => string.Concat(s.EnumerateRunes().Select(static r => r.Value < 0x80 ? r.ToString() : $"U+{r.Value:X4}"));
}

using System.Text.Json;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Config;

namespace SharpBan.Compat.Tests.Config;

/// <summary>
/// <see cref="PyText.Repr"/> against Python's own <c>repr()</c> (the interpreter fail2ban runs on) for strings built from
/// the characters log lines and configs throw at it: quotes, backslashes, controls, separators, format characters,
/// private-use and unassigned code points, characters outside the BMP and lone surrogates.
/// </summary>
public sealed class PyTextReprCompatTests
{
    private static readonly string[] Pieces =
    [
        "a", "Z", " ", "'", "\"", "\\", "\n", "\r", "\t", "\0", "\x01", "\x1b", "\x1c", "\x1f", "\x7f", "\x80", "\x85",
        "\x9f", "\u00a0", "\u00ad", "\u00e9", "\u00ff", "\u0100", "\u0378", "\u200b", "\u200e", "\u2028", "\u2029",
        "\u202f", "\u3000", "\ue000", "\ufeff", "\ufffd", "\uffff", "\u4e2d", "\U0001F600", "\U000E0001", "\U0010FFFD",
        "\ud800", "\udfff", "x\ud83d",
    ];

    [OracleFact]
    public void Repr_GeneratedStrings_SameAsPython()
    {
        var random = new Random(20261126);
        var strings = Enumerable.Range(0, 3000)
            .Select(_ => string.Concat(Enumerable.Range(0, random.Next(0, 8)).Select(_ => Pieces[random.Next(Pieces.Length)])))
            .Concat(Pieces)
            .ToList();

        var expected = PythonOracle.Run("import sys, json\nfor l in sys.stdin: print(json.dumps(repr(json.loads(l))))", [.. strings.Select(JsonEscaped)])
            .Select(static l => JsonSerializer.Deserialize<string>(l)).ToList();

        Assert.Equal(strings.Count, expected.Count);
        var differences = strings.Select((s, i) => (Ours: PyText.Repr(s), Python: expected[i])).Where(static p => p.Ours != p.Python).ToList();
        Assert.True(differences.Count == 0, $"{differences.Count} of {strings.Count} differ, e.g. ours {differences.FirstOrDefault().Ours} Python {differences.FirstOrDefault().Python}");
    }

    private static readonly string[] IntPieces = ["0", "1", "7", "9", "_", "__", "+", "-", " ", "\t", "\u0663", "\u0967", "\uff13", "\u00b2", "\u2167", "x", ".", "0x", "\u00a0", "\u3000"];

    /// <summary><see cref="PyText.TryParseInt"/> against Python's <c>int()</c>: signs, underscores, whitespace, digits of other scripts.</summary>
    [OracleFact]
    public void TryParseInt_GeneratedStrings_SameAsPython()
    {
        var random = new Random(20261126);
        var strings = Enumerable.Range(0, 3000)
            .Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => IntPieces[random.Next(IntPieces.Length)])))
            .ToList();

        var expected = PythonOracle.Run(
            "import sys, json\nfor l in sys.stdin:\n  s = json.loads(l)\n  try: print(json.dumps(int(s)))\n  except ValueError: print('null')",
            [.. strings.Select(JsonEscaped)]);

        var differences = strings.Select((s, i) => (Text: s, Ours: PyText.TryParseInt(s, out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null", Python: expected[i]))
            .Where(static p => p.Ours != p.Python).ToList();
        Assert.True(differences.Count == 0, $"{differences.Count} of {strings.Count} differ, e.g. {JsonEscaped(differences.FirstOrDefault().Text ?? "")}: ours {differences.FirstOrDefault().Ours} Python {differences.FirstOrDefault().Python}");
    }

    /// <summary>A JSON string with every character as <c>\uXXXX</c>: lone surrogates survive (a serializer would replace them).</summary>
    private static string JsonEscaped(string s) =>
        "\"" + string.Concat(s.Select(static c => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture))) + "\"";
}

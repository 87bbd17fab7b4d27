using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Config;

namespace SharpBan.Compat.Tests.Config;

/// <summary>
/// The small parsers of jail values against fail2ban's own (its installed Python package as the oracle): <c>name[k=v]</c>
/// (<see cref="OptionList.Extract"/> against <c>extractOptions</c>), an <c>action</c> list (<see cref="OptionList.Split"/>
/// against <c>splitWithOptions</c>), <c>ignoreip</c> words (<c>splitwords</c>) and journal matches
/// (<see cref="ShellWords.Split"/> against <c>shlex.split</c>), on strings built from the pieces users and mistakes write.
/// </summary>
public sealed class OptionListCompatTests
{
    private static readonly string[] Pieces =
    [
        "fw", "a", "name", "port", "-", "_", ".", "1", "22,80", "[", "]", "][", "] [", "=", ",", ", ", "\"", "'", " ", "  ", "\n", "\n  ", "\t",
        "\\", "\\\"", "#", "%", "<ip>", "x=y", "ü", "Ä", "[a=1]", "[a=\"1,2\", b='x]']", "\r", "\u00a0", "\u2028",
    ];

    private static List<string> Generated(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => Pieces[random.Next(Pieces.Length)])))];
    }

    [OracleFact]
    public void Extract_GeneratedOptionLists_SameAsFail2ban()
    {
        var strings = Generated(20261126, 4000);
        var expected = Python(
            "from fail2ban.helpers import extractOptions\n"
            + "def f(s):\n  try:\n    n, o = extractOptions(s)\n    return [n, list(o.items())]\n  except ValueError as e:\n    return str(e)\n",
            strings);
        Compare(strings, expected, static s =>
        {
            try
            {
                var (name, options) = OptionList.Extract(s);
                return new JsonArray(name, new JsonArray([.. options.Select(static kv => new JsonArray(kv.Key, kv.Value))]));
            }
            catch (ConfigException e)
            {
                return JsonValue.Create(e.Message);
            }
        });
    }

    [OracleFact]
    public void Split_GeneratedActionLists_SameAsFail2ban()
    {
        var strings = Generated(20261127, 4000);
        var expected = Python("from fail2ban.helpers import splitWithOptions\ndef f(s):\n  return splitWithOptions(s)\n", strings);
        Compare(strings, expected, static s => new JsonArray([.. OptionList.Split(s).Select(static p => JsonValue.Create(p))]));
    }

    [OracleFact]
    public void SplitWords_GeneratedLists_SameAsFail2ban()
    {
        var strings = Generated(20261128, 4000);
        var expected = Python("from fail2ban.helpers import splitwords\ndef f(s):\n  return splitwords(s)\n", strings);
        Compare(strings, expected, static s => new JsonArray([.. OptionList.SplitWords(s).Select(static p => JsonValue.Create(p))]));
    }

    [OracleFact]
    public void ShellWords_GeneratedJournalMatches_SameAsShlex()
    {
        var strings = Generated(20261129, 4000);
        var expected = Python("import shlex\ndef f(s):\n  try:\n    return shlex.split(s)\n  except ValueError as e:\n    return 'error'\n", strings);
        Compare(strings, expected, static s =>
        {
            try
            {
                return new JsonArray([.. ShellWords.Split(s).Select(static p => JsonValue.Create(p))]);
            }
            catch (ConfigException)
            {
                return JsonValue.Create("error");
            }
        });
    }

    /// <summary>Runs <c>f</c> of <paramref name="script"/> on each string; each answer as compact JSON.</summary>
    private static List<string> Python(string script, List<string> strings) =>
        PythonOracle.Run(script + "import sys, json\nfor l in sys.stdin: print(json.dumps(f(json.loads(l)), ensure_ascii=False, separators=(',', ':')))", [.. strings.Select(static s => JsonSerializer.Serialize(s))]);

    private static void Compare(List<string> strings, List<string> expected, Func<string, JsonNode?> ours)
    {
        Assert.True(expected.Distinct().Count() > strings.Count / 4, "the generated strings hardly differ in their answers");
        var differences = strings.Select((s, i) => (Text: s, Ours: Canonical(ours(s)), Python: Canonical(JsonNode.Parse(expected[i]))))
            .Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {strings.Count} differ, e.g.\n" + string.Join("\n", differences.Take(8).Select(static d => $"{JsonSerializer.Serialize(d.Text)}:\n  ours   {d.Ours}\n  Python {d.Python}")));
    }

    private static string Canonical(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
}

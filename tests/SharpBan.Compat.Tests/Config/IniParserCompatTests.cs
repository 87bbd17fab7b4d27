using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Config.Ini;

namespace SharpBan.Compat.Tests.Config;

/// <summary>
/// <see cref="IniParser"/> against the parser fail2ban reads each file with (its <c>SafeConfigParserWithIncludes</c>, one
/// file from disk as UTF-8): the same <c>[DEFAULT]</c> and sections with the same values in the same order, or both refuse
/// the file. Files are built line by line from what users write: headers (indented, with comments or junk after them),
/// both delimiters, values with <c>;</c> and <c>#</c>, continuation lines indented by spaces or tabs, blank and comment
/// lines inside values, keys in any case and with spaces, and LF, CRLF or CR line ends.
/// </summary>
public sealed class IniParserCompatTests
{
    /// <summary>Lines; <c>{k}</c> is a key, mostly a new one (a repeated key in a section is a mistake configparser refuses).</summary>
    private static readonly string[] Lines =
    [
        "[s{k}]", "[s]", "[DEFAULT]", "[Default]", "  [u{k}]", "[v{k}] ; note", "[w{k}] junk", "[a]b]", "[ ]", "[Init?family=inet6]",
        "{k} = 1", "{K}: 2", "{k}=", "{k} =", "{k} = x ; comment", "{k} = x;y", "{k} = # not a comment", "{k}: e = f", "{k} = a:b",
        "{k} with space = v", "Ключ{k} = значение", "ΟΔΟΣ{k} = x", "  {k} = indented", "\t{k} = tab", "{k} = \"quoted ; x\"",
        "{k} = %(a)s", "# comment", "; comment", "  # indented comment", "#[t]", "", "   ", "\t", "    continued", "\tcontinued",
        "  continued ; c", "     deeper", " {k} = 5", "{k}=k=l", "{k}: ", "{k} = trailing  ", "{k} = \u00a0nbsp\u00a0", "{k} = \ufeffbom",
        "{k} = 1", "{k} = 2", "{k} = 3", "    more", "novalue", "=novalue",
    ];

    private static string Line(Random random, ref int key)
    {
        var line = Lines[random.Next(Lines.Length)];
        var name = random.Next(10) == 0 ? "a" : "k" + key++;
        return line.Replace("{k}", name, StringComparison.Ordinal).Replace("{K}", name.ToUpperInvariant(), StringComparison.Ordinal);
    }

    private static readonly string[] LineEnds = ["\n", "\n", "\n", "\r\n", "\r"];

    [OracleFact]
    public void Parse_GeneratedFiles_SameAsFail2bansParser()
    {
        var random = new Random(20261126);
        var texts = Enumerable.Range(0, 3000).Select(_ =>
        {
            var end = LineEnds[random.Next(LineEnds.Length)];
            var first = random.Next(4) == 0 ? string.Empty : "[s]" + end;
            var key = 0;
            return first + string.Concat(Enumerable.Range(0, random.Next(1, 9)).Select(_ => Line(random, ref key) + end));
        }).ToList();

        var expected = PythonOracle.Run(
            "import sys, json, os, tempfile\n"
            + "from fail2ban.client.configparserinc import SafeConfigParserWithIncludes\n"
            + "d = tempfile.mkdtemp()\n"
            + "for l in sys.stdin:\n"
            + "  p = os.path.join(d, 'x.conf')\n"
            + "  open(p, 'wb').write(json.loads(l).encode('utf-8'))\n"
            + "  c = SafeConfigParserWithIncludes()\n"
            + "  try:\n"
            + "    c.read(p, get_includes=False)\n"
            + "    print(json.dumps([list(c.get_defaults().items()), [[n, list(s.items())] for n, s in c.get_sections().items()]], ensure_ascii=False))\n"
            + "  except Exception as e:\n"
            + "    print(json.dumps('error'))\n",
            [.. texts.Select(static t => JsonSerializer.Serialize(t))]);

        var differences = texts.Select((t, i) => (Text: t, Ours: Ours(t), Python: JsonNode.Parse(expected[i])!.ToJsonString()))
            .Where(static d => d.Ours != d.Python).ToList();
        Assert.True(expected.Count(static e => e == "\"error\"") < texts.Count * 2 / 3, $"{expected.Count(static e => e == "\"error\"")} generated files are invalid");
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {texts.Count} differ, e.g.\n" + string.Join("\n", differences.Take(6).Select(static d => $"{JsonSerializer.Serialize(d.Text)}:\n  ours   {d.Ours}\n  Python {d.Python}")));
    }

    private static string Ours(string text)
    {
        var file = IniParser.Parse("/cfg/x.conf", text);
        if (file.Diagnostics.Any(static d => d.IsSyntax))
        {
            return JsonValue.Create("error").ToJsonString();
        }

        static JsonArray Options(IEnumerable<KeyValuePair<string, Engine.Config.ConfigValue>> options) =>
            new([.. options.Select(static kv => new JsonArray(kv.Key, kv.Value.Raw))]);

        return new JsonArray(Options(file.Defaults), new JsonArray([.. file.Sections.Select(static s => new JsonArray(s.Key, Options(s.Value)))])).ToJsonString();
    }
}

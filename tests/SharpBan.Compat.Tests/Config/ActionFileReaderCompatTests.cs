using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;
using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Engine.Config.Stream;

namespace SharpBan.Compat.Tests.Config;

/// <summary>
/// One action as a jail reads it (<see cref="ActionFileReader"/>) against fail2ban's <c>ActionReader</c> on generated
/// action files (a <c>.conf</c> and sometimes a <c>.local</c>: <c>[Definition]</c>, <c>[Init]</c>,
/// <c>[Init?family=inet6]</c>) with generated jail arguments (<c>name</c>, <c>actname</c>, overrides of
/// <c>[Init]</c> and of known properties) and jail options: the commands streamed, or both refusing. Each value holds
/// one reference at most (two mutual ones double a value 25 times in both implementations).
/// </summary>
public sealed class ActionFileReaderCompatTests
{
    /// <summary>Values; the last <see cref="Faulty"/> often cannot be interpolated where they stand, so they come rarely.</summary>
    private static readonly string[] Values =
    [
        "x", "cmd <ip>", "<name>", "<port>", "<known/port>", "<actname>", "<family>", "<timeout>", "<bantime>", "%%s", "<nosuch>",
        "<_extra>", "<chain>-<name>", "", "true", "1", "%(__name__)s", "%(port)s", "%(known/port)s", "%(_extra)s",
    ];

    private const int Faulty = 3;

    private static readonly string[] Options = ["actionstart", "actionban", "actionunban", "actionstart_on_demand", "norestored", "port", "chain", "_extra", "timeout"];

    [OracleFact]
    public void Convert_GeneratedActions_SameAsFail2ban()
    {
        var random = new Random(20261126);
        using var temp = new TempDirectory();
        var cases = Enumerable.Range(0, 1000).Select(i => Case(random, Path.Join(temp.Path, "c" + i))).ToList();

        var expected = PythonOracle.Run(
            "import sys, json\nfrom fail2ban.client.actionreader import ActionReader\n"
            + "for l in sys.stdin:\n  d, args, jail = json.loads(l)\n"
            + "  try:\n    r = ActionReader('x', 'j', dict(args), basedir=d)\n    r.read()\n    r.getOptions(dict(jail))\n    print(json.dumps(r.convert()))\n"
            + "  except Exception as e:\n    print(json.dumps(None))\n",
            [.. cases.Select(static c => new JsonArray(c.Directory, Pairs(c.Arguments), Pairs(c.Jail)).ToJsonString())]);

        Assert.True(expected.Count(static e => e == "null") < cases.Count / 2, $"{expected.Count(static e => e == "null")} refusals among {cases.Count} generated actions");
        var differences = cases.Select((c, i) => (Case: c, Ours: Ours(c), Python: Canonical(JsonNode.Parse(expected[i]))))
            .Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(3).Select(static d =>
                $"{d.Case.Directory} {Pairs(d.Case.Arguments).ToJsonString()} {Pairs(d.Case.Jail).ToJsonString()}:\n  ours   {d.Ours}\n  Python {d.Python}")));
    }

    private sealed record ActionCase(string Directory, OrderedDictionary<string, string> Arguments, OrderedDictionary<string, string> Jail);

    private static ActionCase Case(Random random, string directory)
    {
        string One() => Values[random.Next(random.Next(6) == 0 ? Values.Length : Values.Length - Faulty)];
        string Value() => One() + (random.Next(3) == 0 ? " x" : string.Empty);
        string Section(string name) => "[" + name + "]\n" + string.Concat(Options.Where(_ => random.Next(3) == 0).Select(o => o + " = " + Value() + "\n"));

        Directory.CreateDirectory(Path.Join(directory, "action.d"));
        File.WriteAllText(Path.Join(directory, "action.d", "x.conf"), Section("Definition") + Section("Init") + (random.Next(3) == 0 ? Section("Init?family=inet6") : ""));
        if (random.Next(3) == 0)
        {
            File.WriteAllText(Path.Join(directory, "action.d", "x.local"), Section(random.Next(2) == 0 ? "Definition" : "Init"));
        }

        var arguments = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in ((string[])["name", "actname", "port", "chain", "actionban", "Port"]).Where(_ => random.Next(4) == 0))
        {
            arguments[key] = key is "name" ? (random.Next(2) == 0 ? "j-x" : "other") : Value();
        }

        var jail = new OrderedDictionary<string, string>(StringComparer.Ordinal) { ["port"] = "22", ["bantime"] = "600" };
        if (random.Next(2) == 0)
        {
            jail["chain"] = "INPUT";
        }

        return new ActionCase(directory, arguments, jail);
    }

    private static string Ours(ActionCase c)
    {
        try
        {
            var reader = new ActionFileReader(new ConfigFileCache(c.Directory), "x", "j", new OrderedDictionary<string, string>(c.Arguments, StringComparer.Ordinal));
            if (!reader.Read())
            {
                return "null";
            }

            var diagnostics = new List<ConfigDiagnostic>();
            reader.ReadOptions(new OrderedDictionary<string, object?>(c.Jail.Select(static kv => new KeyValuePair<string, object?>(kv.Key, kv.Value)), StringComparer.Ordinal), all: false, diagnostics);
            var stream = new List<IReadOnlyList<object?>>();
            reader.Convert(stream, diagnostics);
            return Canonical(new JsonArray([.. stream.Select(static s => JsonNode.Parse(ConfigStreamJson.ToJson(s)))]));
        }
        catch (ConfigException)
        {
            return "null";
        }
    }

    private static JsonArray Pairs(OrderedDictionary<string, string> d) => new([.. d.Select(static kv => new JsonArray(kv.Key, kv.Value))]);

    private static string Canonical(JsonNode? node) => node is JsonArray array ? StreamComparison.Normalize(array) : "null";
}

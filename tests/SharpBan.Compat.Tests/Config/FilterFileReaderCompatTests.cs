using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;
using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;

namespace SharpBan.Compat.Tests.Config;

/// <summary>
/// One filter as a jail reads it (<see cref="FilterFileReader"/>) against fail2ban's <c>FilterReader</c> on generated
/// filter files (<c>.conf</c>, sometimes a <c>.local</c>; <c>[Definition]</c>, <c>[Init]</c>, a conditional section,
/// a <c>[DEFAULT]</c>) with generated jail arguments, backends and jail options: what the jail sees as
/// <c>known/…</c> (the first, complete reading) and the commands streamed (the second), or both refusing.
/// </summary>
public sealed class FilterFileReaderCompatTests
{
    /// <summary>Values; the last <see cref="Faulty"/> often cannot be interpolated where they stand, so they come rarely.</summary>
    private static readonly string[] Values =
    [
        "^x <HOST>$", "<mode>", "<logtype>", "<known/mode>", "<lt_<logtype>/p>", "<md-<mode>>", "%%Y", "", "3", "abc", "^a\n^b",
        "_SYSTEMD_UNIT=x + _COMM=\"a b\"", "<nosuch>", "%(__name__)s", "%(_daemon)s", "%(known/mode)s", "%(mode)s",
    ];

    private const int Faulty = 2;

    private static readonly string[] Options = ["failregex", "ignoreregex", "prefregex", "maxlines", "datepattern", "journalmatch", "usedns", "mode", "date", "md-normal", "logtype", "_daemon"];

    [OracleFact]
    public void Read_GeneratedFilters_SameAsFail2ban()
    {
        var random = new Random(20261126);
        using var temp = new TempDirectory();
        var cases = Enumerable.Range(0, 1000).Select(i => Case(random, Path.Join(temp.Path, "c" + i))).ToList();

        var expected = PythonOracle.Run(
            "import sys, json\nfrom fail2ban.client.filterreader import FilterReader\n"
            + "def v(x): return x if x is None or isinstance(x, str) else str(x)\n"
            + "for l in sys.stdin:\n  d, args, backend, jail = json.loads(l)\n"
            + "  try:\n    r = FilterReader('f', 'j', dict(args), basedir=d)\n    r.read()\n    r.applyAutoOptions(backend)\n"
            + "    r.getOptions(dict(jail), all=True)\n    known = [[k, v(x)] for k, x in r.getCombined().items()]\n"
            + "    r.getOptions(dict(jail))\n    print(json.dumps([known, r.convert()]))\n"
            + "  except Exception as e:\n    print(json.dumps(None))\n",
            [.. cases.Select(static c => new JsonArray(c.Directory, Pairs(c.Arguments), c.Backend, Pairs(c.Jail)).ToJsonString())]);

        Assert.True(expected.Count(static e => e == "null") < cases.Count / 2, $"{expected.Count(static e => e == "null")} refusals among {cases.Count} generated filters");
        var differences = cases.Select((c, i) => (Case: c, Ours: Ours(c), Python: Canonical(JsonNode.Parse(expected[i]))))
            .Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(3).Select(static d =>
                $"{d.Case.Directory} {Pairs(d.Case.Arguments).ToJsonString()} {d.Case.Backend}:\n  ours   {d.Ours}\n  Python {d.Python}")));
    }

    private sealed record FilterCase(string Directory, OrderedDictionary<string, string> Arguments, string Backend, OrderedDictionary<string, string> Jail);

    private static FilterCase Case(Random random, string directory)
    {
        string Value() => Values[random.Next(random.Next(6) == 0 ? Values.Length : Values.Length - Faulty)];
        string Section(string name) =>
            "[" + name + "]\n" + string.Concat(Options.Where(_ => random.Next(3) == 0).Select(o => o + " = " + Value().Replace("\n", "\n  ", StringComparison.Ordinal) + "\n"));

        Directory.CreateDirectory(Path.Join(directory, "filter.d"));
        File.WriteAllText(
            Path.Join(directory, "filter.d", "f.conf"),
            (random.Next(3) == 0 ? "[DEFAULT]\n_daemon = d\n" : "") + Section("Definition") + Section("Init") + "[lt_file]\np = F\n[lt_journal]\np = J\n"
            + (random.Next(4) == 0 ? Section(random.Next(2) == 0 ? "Init?family=inet6" : "Definition?mode=x") : ""));
        if (random.Next(3) == 0)
        {
            File.WriteAllText(Path.Join(directory, "filter.d", "f.local"), Section(random.Next(2) == 0 ? "Definition" : "Init"));
        }

        var arguments = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in ((string[])["mode", "logtype", "maxlines", "failregex", "journalmatch", "Mode"]).Where(_ => random.Next(5) == 0))
        {
            arguments[key] = Value();
        }

        var jail = new OrderedDictionary<string, string>(StringComparer.Ordinal) { ["enabled"] = "True", ["backend"] = "auto" };
        foreach (var key in ((string[])["usedns", "maxlines", "failregex"]).Where(_ => random.Next(5) == 0))
        {
            jail[key] = Value();
        }

        return new FilterCase(directory, arguments, random.Next(3) == 0 ? "systemd" : "polling", jail);
    }

    private static string Ours(FilterCase c)
    {
        try
        {
            var reader = new FilterFileReader(new ConfigFileCache(c.Directory), "f", "j", new OrderedDictionary<string, string>(c.Arguments, StringComparer.Ordinal));
            if (!reader.Read())
            {
                return "null";
            }

            var diagnostics = new List<ConfigDiagnostic>();
            var jail = new OrderedDictionary<string, object?>(c.Jail.Select(static kv => new KeyValuePair<string, object?>(kv.Key, kv.Value)), StringComparer.Ordinal);
            reader.ApplyBackend(c.Backend);
            reader.ReadOptions(jail, all: true, diagnostics);
            var known = new JsonArray([.. reader.Combined([], diagnostics).Select(static kv => new JsonArray(kv.Key, PyText.Str(kv.Value)))]);
            reader.ReadOptions(jail, all: false, diagnostics);
            var stream = new List<IReadOnlyList<object?>>();
            reader.Convert(stream, diagnostics);
            return Canonical(new JsonArray(known, new JsonArray([.. stream.Select(static s => JsonNode.Parse(Engine.Config.Stream.ConfigStreamJson.ToJson(s)))])));
        }
        catch (ConfigException)
        {
            return "null";
        }
    }

    private static JsonArray Pairs(OrderedDictionary<string, string> d) => new([.. d.Select(static kv => new JsonArray(kv.Key, kv.Value))]);

    private static string Canonical(JsonNode? node) => node is JsonArray array ? StreamComparison.Normalize(array) : "null";
}

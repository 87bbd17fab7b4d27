using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Ini;

namespace SharpBan.Compat.Tests.Config;

/// <summary>
/// <c>%(…)s</c> interpolation (<see cref="ConfigSet.TryGet"/>) against fail2ban's parser reading the same two files
/// merged (so <c>KNOWN/</c> holds what the second overwrote): every option of every section, its value or an error.
/// Values reference options of the section, of <c>[DEFAULT]</c>, of other sections (<c>%(s1/a)s</c>), known and
/// default ones, <c>%(__name__)s</c>, missing ones, themselves, in any case, with <c>%%</c> and stray <c>%</c>.
/// </summary>
public sealed class InterpolationCompatTests
{
    private static readonly string[] Pieces =
    [
        "x", "y", "x", "y", " ", "1", "%%", "%%", "%(a)s", "%(b)s", "%(c)s", "%(A)s", "%(known/a)s", "%(known/b)s", "%(KNOWN/a)s",
        "%(default/b)s", "%(s1/a)s", "%(s2/c)s", "%(__name__)s", "%(__name__)s", "<a>", "\n", "%(nosuch)s", "%(s3/a)s", "%(s1/nosuch)s",
        "%", "%(a)", "%()s",
    ];

    /// <summary>Pieces that cannot be interpolated, drawn less often (else nearly every value would be an error).</summary>
    private const int Faulty = 7;

    private static readonly string[] Sections = ["DEFAULT", "s1", "s2"];

    [OracleFact]
    public void TryGet_GeneratedMergedFiles_SameAsFail2bansParser()
    {
        var random = new Random(20261126);
        var cases = Enumerable.Range(0, 1500).Select(_ => new[] { File(random), File(random) }).ToList();
        var expected = PythonOracle.Run(
            "import sys, json, os, tempfile\n"
            + "from fail2ban.client.configparserinc import SafeConfigParserWithIncludes\n"
            + "d = tempfile.mkdtemp()\n"
            + "for l in sys.stdin:\n"
            + "  paths = []\n"
            + "  for i, t in enumerate(json.loads(l)):\n"
            + "    p = os.path.join(d, 'f%d.conf' % i); open(p, 'w').write(t); paths.append(p)\n"
            + "  c = SafeConfigParserWithIncludes(); c.read(paths)\n"
            + "  out = []\n"
            + "  for s in ['DEFAULT'] + [s for s in c.sections() if not s.startswith('KNOWN/')]:\n"
            + "    for o in sorted(c.options(s) if s != 'DEFAULT' else c.defaults()):\n"
            + "      try: v = c.get(s, o)\n"
            + "      except Exception: v = None\n"
            + "      out.append([s, o, v])\n"
            + "  print(json.dumps(out))\n",
            [.. cases.Select(static c => JsonSerializer.Serialize(c))]);

        Assert.True(expected.Count(static e => e.Contains(", null]", StringComparison.Ordinal)) > cases.Count / 4, "too few errors among the generated values");
        Assert.True(expected.Count(static e => e.Contains("\"x", StringComparison.Ordinal)) > cases.Count / 4, "too few values among the generated values");
        var differences = cases.Select((c, i) => (Files: c, Ours: Ours(c), Python: JsonNode.Parse(expected[i])!.ToJsonString()))
            .Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(3).Select(static d => $"{JsonSerializer.Serialize(d.Files)}:\n  ours   {d.Ours}\n  Python {d.Python}")));
    }

    /// <summary>One file: some sections with some of the options a, b, c (values from <see cref="Pieces"/>).</summary>
    private static string File(Random random)
    {
        var text = new System.Text.StringBuilder();
        foreach (var section in Sections.Where(_ => random.Next(3) > 0))
        {
            text.Append('[').Append(section).Append("]\n");
            foreach (var option in ((string[])["a", "b", "c"]).Where(_ => random.Next(2) == 0))
            {
                var value = string.Concat(Enumerable.Range(0, random.Next(1, 4))
                    .Select(_ => Pieces[random.Next(random.Next(8) == 0 ? Pieces.Length : Pieces.Length - Faulty)]));
                text.Append(option).Append(" = ").Append(value.Replace("\n", "\n  ", StringComparison.Ordinal).Trim()).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Ours(string[] files)
    {
        var set = new ConfigSet("test");
        foreach (var (text, i) in files.Select((t, i) => (t, i)))
        {
            set.Merge(IniParser.Parse($"/cfg/f{i}.conf", text));
        }

        var result = new JsonArray();
        foreach (var section in (IEnumerable<string>)["DEFAULT", .. set.UserSections])
        {
            var options = section == "DEFAULT" ? set.Defaults.Keys.ToList() : set.OptionsWithDefaults(section);
            foreach (var option in options.Order(StringComparer.Ordinal))
            {
                string? value;
                try
                {
                    value = set.TryGet(section, option, null, out var v) == LookupResult.Found ? v : null;
                }
                catch (ConfigException)
                {
                    value = null;
                }

                result.Add(new JsonArray(section, option, value));
            }
        }

        return result.ToJsonString();
    }
}

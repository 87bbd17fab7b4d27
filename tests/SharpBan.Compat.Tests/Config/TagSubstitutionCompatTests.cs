using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Config;

namespace SharpBan.Compat.Tests.Config;

/// <summary>
/// <c>&lt;tag&gt;</c> resolution (<see cref="TagSubstitution.Substitute"/>) against fail2ban's <c>substituteRecursiveTags</c>
/// on generated option sets: nested tags (<c>&lt;x&lt;y&gt;&gt;</c>), tags of tags, unknown tags, ignored tags, self and
/// mutual references; the resolved options or the refusal. A value holds one tag at most: with two, mutual references
/// double it up to 25 times in both implementations (minutes of work, not a difference).
/// </summary>
public sealed class TagSubstitutionCompatTests
{
    private static readonly string[] Keys = ["a", "b", "c", "x-a", "known/a", "a?family=inet6"];

    private static readonly string[] Text = ["v", " ", "<", ">", "<a", "", ""];

    private static readonly string[] Tags = ["<a>", "<b>", "<c>", "<x-<b>>", "<known/a>", "<nosuch>", "<ip>", "<<a>>", "<x-a>", ""];

    [OracleFact]
    public void Substitute_GeneratedOptionSets_SameAsFail2ban()
    {
        var random = new Random(20261126);
        var cases = Enumerable.Range(0, 20000).Select(_ =>
        {
            var tags = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in Keys.Where(_ => random.Next(3) > 0))
            {
                tags[key] = Text[random.Next(Text.Length)] + Tags[random.Next(Tags.Length)] + Text[random.Next(Text.Length)];
            }

            var ignore = Keys.Concat(["ip"]).Where(_ => random.Next(6) == 0).ToHashSet(StringComparer.Ordinal);
            return (Tags: tags, Ignore: ignore);
        }).ToList();

        var expected = PythonOracle.Run(
            "import sys, json\nfrom fail2ban.helpers import substituteRecursiveTags\n"
            + "for l in sys.stdin:\n  t, i = json.loads(l)\n"
            + "  try: print(json.dumps(list(substituteRecursiveTags(dict(t), ignore=i).items())))\n"
            + "  except ValueError: print(json.dumps(None))\n",
            [.. cases.Select(static c => new JsonArray(
                new JsonArray([.. c.Tags.Select(static kv => new JsonArray(kv.Key, kv.Value))]),
                new JsonArray([.. c.Ignore.Select(static i => JsonValue.Create(i))])).ToJsonString())]);

        Assert.True(expected.Count(static e => e == "null") < cases.Count / 2, "too many refusals among the generated sets");
        var differences = cases.Select((c, i) => (Case: c, Ours: Ours(c.Tags, c.Ignore), Python: JsonNode.Parse(expected[i])?.ToJsonString() ?? "null"))
            .Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(4).Select(static d =>
                $"{JsonSerializer.Serialize(d.Case.Tags)} ignoring {string.Join(",", d.Case.Ignore)}:\n  ours   {d.Ours}\n  Python {d.Python}")));
    }

    private static string Ours(OrderedDictionary<string, string> tags, HashSet<string> ignore)
    {
        try
        {
            return new JsonArray([.. TagSubstitution.Substitute(tags, ignore).Select(static kv => new JsonArray(kv.Key, kv.Value))]).ToJsonString();
        }
        catch (ConfigException)
        {
            return "null";
        }
    }
}

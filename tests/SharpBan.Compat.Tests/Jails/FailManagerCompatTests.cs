using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Jails;

namespace SharpBan.Compat.Tests.Jails;

/// <summary>
/// Failure counting (<see cref="FailManager"/>) against fail2ban's <c>FailManager</c> fed as its filter feeds it
/// (<c>FailTicket(id, time, data=fail)</c>, then <c>toBan</c> once the attempts reach maxretry): generated sequences of
/// failures of a few ids, in and out of time order, spread within and beyond findtime, some counted more than once (a
/// known bad address under <c>bantime.increment</c>), with cleanups between. After each step: the attempts, whether the
/// id is banned, and its failures, lines, first and last time; after a cleanup, how many ids are left.
/// </summary>
public sealed class FailManagerCompatTests
{
    private const string Script = """
        import sys, json
        from fail2ban.server.failmanager import FailManager
        from fail2ban.server.ticket import FailTicket
        for l in sys.stdin:
            maxretry, findtime, maxmatches, ops = json.loads(l)
            fm = FailManager()
            fm.setMaxRetry(maxretry)
            fm.setMaxTime(findtime)
            fm.maxMatches = maxmatches
            out = []
            for op in ops:
                if op[0] == 'cleanup':
                    fm.cleanup(op[1])
                    out.append(fm.size())
                    continue
                _, fid, t, matches, count = op
                attempts = fm.addFailure(FailTicket(fid, t, data={'matches': matches}), count)
                banned = attempts >= maxretry
                if banned:
                    ticket = fm.toBan(fid)
                else:
                    ticket = fm._FailManager__failList[fid]
                out.append([attempts, banned, ticket.getRetry(), ticket.getAttempt(), ticket.getMatches(),
                    float(ticket._firstTime), float(ticket.getTime())])
            print(json.dumps(out))
        """;

    private static readonly string[] Ids = ["192.0.2.1", "192.0.2.2", "2001:db8::1", "user7"];

    [OracleFact]
    public void AddFailure_GeneratedSequences_SameCountsAndBansAsFail2Ban()
    {
        var random = new Random(20261128);
        var cases = Enumerable.Range(0, 3000).Select(_ => Case(random)).ToList();

        var expected = PythonOracle.Run(Script, [.. cases.Select(static c => JsonSerializer.Serialize(new object[] { c.MaxRetry, c.FindTime, c.MaxMatches, c.Ops }))]);

        Assert.InRange(expected.Count(static e => e.Contains("true", StringComparison.Ordinal)), cases.Count / 4, cases.Count);
        // numbers compared by value: Python writes its float times with ".0"
        var differences = cases.Select((c, i) => (Case: c, Ours: Ours(c), Python: expected[i]))
            .Where(static d => !JsonNode.DeepEquals(JsonNode.Parse(d.Ours), JsonNode.Parse(d.Python))).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(3).Select(static d =>
                $"  maxretry {d.Case.MaxRetry} findtime {d.Case.FindTime} maxmatches {d.Case.MaxMatches} {JsonSerializer.Serialize(d.Case.Ops)}\n"
                + $"    ours   {d.Ours}\n    Python {d.Python}")));
    }

    private sealed record ManagerCase(int MaxRetry, double FindTime, int MaxMatches, List<object[]> Ops);

    private static string Ours(ManagerCase c)
    {
        var fm = new FailManager { MaxRetry = c.MaxRetry, FindTime = c.FindTime, MaxMatches = c.MaxMatches };
        var output = new JsonArray();
        foreach (var op in c.Ops)
        {
            if ((string)op[0] == "cleanup")
            {
                fm.Cleanup((double)op[1], force: true);
                output.Add(fm.Count);
                continue;
            }

            var id = (string)op[1];
            var banned = fm.AddFailure(id, (double)op[2], (List<string>)op[3], new Dictionary<string, object?>(), (int)op[4]);
            var ticket = banned ?? (fm.TryGet(id, out var t) ? t : throw new InvalidOperationException("no ticket for " + id));
            output.Add(new JsonArray(
                ticket.Retry, banned is not null, ticket.Retry, ticket.Failures,
                new JsonArray([.. ticket.Matches.Select(static m => JsonValue.Create(m))]),
                ticket.FirstTime, ticket.LastTime));
        }

        return output.ToJsonString();
    }

    private static ManagerCase Case(Random random)
    {
        var maxRetry = random.Next(1, 7);
        double findTime = random.Next(4) switch { 0 => 60, 1 => 600, 2 => random.Next(1, 2000), _ => 3600 };
        var maxMatches = random.Next(5) == 0 ? 0 : random.Next(1, 8);
        var ids = Ids.Take(random.Next(1, Ids.Length + 1)).ToArray();
        var now = 1_700_000_000.0;
        var ops = new List<object[]>();
        var line = 0;
        for (var i = random.Next(1, 30); i > 0; i--)
        {
            now += random.Next(6) switch
            {
                0 => 0,
                1 => -random.Next(1, 300),
                2 => random.Next(1, (int)findTime * 2 + 2),
                3 => random.Next(1, 20) + random.Next(1000) / 1000.0,
                _ => random.Next(1, (int)(findTime / Math.Max(1, maxRetry)) + 2),
            };
            if (random.Next(12) == 0)
            {
                ops.Add(["cleanup", now]);
                continue;
            }

            var matches = Enumerable.Range(0, random.Next(4) == 0 ? random.Next(0, 3) : 1)
                .Select(_ => "line " + (line++).ToString(CultureInfo.InvariantCulture)).ToList();
            ops.Add(["add", ids[random.Next(ids.Length)], now, matches, random.Next(8) == 0 ? random.Next(2, 6) : 1]);
        }

        return new ManagerCase(maxRetry, findTime, maxMatches, ops);
    }
}

using System.Globalization;
using System.Text.Json;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Matching;

namespace SharpBan.Compat.Tests.Matching;

/// <summary>
/// <see cref="ExpiringCache{TValue}"/> (the mlfid session cache, <c>ignorecache</c>, the DNS caches) against fail2ban's
/// <c>Utils.Cache</c> on generated sequences of sets, gets and removals with a clock that moves in whole seconds (so
/// that expiry instants are hit exactly): the same value or miss from every get, and the same size after each step.
/// </summary>
public sealed class ExpiringCacheCompatTests
{
    private const string Script = """
        import sys, json, time
        from fail2ban.server.utils import Utils
        now = [0.0]
        time.time = lambda: now[0]
        for l in sys.stdin:
            size, ttl, ops = json.loads(l)
            c = Utils.Cache(maxCount=size, maxTime=ttl)
            out = []
            for op, key, arg in ops:
                if op == 'set':
                    now[0] = arg
                    c.set(key, len(out))
                    out.append(len(c))
                elif op == 'get':
                    now[0] = arg
                    out.append([c.get(key, -1), len(c)])
                else:
                    c.unset(key)
                    out.append(len(c))
            print(json.dumps(out))
        """;

    [OracleFact]
    public void Operations_Generated_SameResultsAsFail2BansCache()
    {
        var random = new Random(20261128);
        var cases = Enumerable.Range(0, 2000).Select(_ => Case(random)).ToList();

        var expected = PythonOracle.Run(Script, [.. cases.Select(static c => JsonSerializer.Serialize(new object[] { c.Size, c.Ttl, c.Ops }))]);

        var differences = cases.Select((c, i) => (Case: c, Ours: Ours(c), Python: expected[i])).Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g. size {differences.FirstOrDefault().Case?.Size} ttl {differences.FirstOrDefault().Case?.Ttl} "
            + $"{JsonSerializer.Serialize(differences.FirstOrDefault().Case?.Ops)}:\n  ours   {differences.FirstOrDefault().Ours}\n  Python {differences.FirstOrDefault().Python}");
    }

    private sealed record CacheCase(int Size, int Ttl, object[][] Ops);

    private static CacheCase Case(Random random)
    {
        var now = 0;
        var ops = new List<object[]>();
        for (var i = random.Next(1, 30); i > 0; i--)
        {
            now += random.Next(4) == 0 ? random.Next(1, 6) : 0;
            var key = "k" + random.Next(6).ToString(CultureInfo.InvariantCulture);
            ops.Add(random.Next(10) switch
            {
                < 5 => ["set", key, now],
                < 9 => ["get", key, now],
                _ => ["unset", key, 0],
            });
        }

        return new CacheCase(random.Next(1, 5), random.Next(1, 8), [.. ops]);
    }

    /// <summary>Our answers in the script's JSON.</summary>
    private static string Ours(CacheCase c)
    {
        var cache = new ExpiringCache<int>(TimeProvider.System, c.Size, c.Ttl);
        var results = new List<object>();
        foreach (var op in c.Ops)
        {
            var (name, key, at) = ((string)op[0], (string)op[1], (int)op[2]);
            if (name == "set")
            {
                cache.Set(key, results.Count, at);
                results.Add(cache.Count);
            }
            else if (name == "get")
            {
                results.Add(new[] { cache.TryGet(key, at, out var v) ? v : -1, cache.Count });
            }
            else
            {
                cache.Unset(key);
                results.Add(cache.Count);
            }
        }

        return JsonSerializer.Serialize(results).Replace(",", ", ", StringComparison.Ordinal);
    }
}

using System.Globalization;
using System.Text.Json;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Jails;

namespace SharpBan.Compat.Tests.Jails;

/// <summary>
/// <c>bantime.increment</c>'s arithmetic (<see cref="BanTimeIncrement"/>) against fail2ban's <c>Jail.setBanTimeExtra</c>
/// and the <c>evformula</c> it builds, on generated settings: factors, formulas (the default, the documented
/// exponential one and others using every operator and function the formula language has), multipliers (also
/// malformed ones), maximum times; the ban time of each repeat count from 0 to 25, or both refusing the settings.
/// </summary>
public sealed class BanTimeIncrementCompatTests
{
    private const string Script = """
        import sys, json
        from fail2ban.server.jail import Jail
        from fail2ban.server.observer import ObserverThread
        j = Jail('j', backend='polling')
        for l in sys.stdin:
            settings, bantime = json.loads(l)
            for o in ('factor', 'formula', 'multipliers', 'maxtime'):
                j.setBanTimeExtra(o, None)
            try:
                for o, v in settings:
                    j.setBanTimeExtra(o, v)
                f = j.getBanTimeExtra()['evformula']
                print(json.dumps([repr(float(f(ObserverThread.BanTimeIncr(bantime, c)))) for c in range(26)]))
            except Exception as e:
                print(json.dumps(None))
        """;

    private static readonly string[] Factors = ["1", "2", "1.5", "2/3", "0", "0.5", "3 // 2", "True", "1e1", "4 % 3"];

    private static readonly string[] Formulas =
    [
        "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor",
        "ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)",
        "ban.Time * banFactor * (ban.Count+1)",
        "ban.Time + ban.Count * 3600 * banFactor",
        "ban.Time * 2 ** ban.Count",
        "ban.Time * min(ban.Count, 5) / 2",
        "ban.Time // 7 * ban.Count",
        "max(ban.Time, 3600) * banFactor",
        "ban.Time * round(banFactor * ban.Count)",
        "ban.Time if ban.Count < 3 else ban.Time * 10",
        "ban.Time * (ban.Count % 3 + 1)",
        "ban.Time * int(banFactor * 2.5) ** 2",
        "ban.Time * abs(ban.Count - 10)",
        "ban.Time * math.sqrt(ban.Count + 1) * math.log(ban.Count + 2)",
        "ban.Time * (ban.Count > 4 and 8 or 1)",
        "ban.Time * math.floor(ban.Count / 3) + math.ceil(banFactor)",
    ];

    private static readonly string[] Multipliers = ["", "1 2 4 8", "1 5 30 60 300 720 1440 2880", "2", "0 1", "1  2", " 1 2", "1 x", "1 2 ", "3 -1"];

    private static readonly string[] MaxTimes = ["1h", "1d", "2w", "600", "1.5d", "5 weeks", "1mo"];

    private static readonly double[] BanTimes = [600, 3600, 1, 86400, 0, 1.5];

    [OracleFact]
    public void Compute_GeneratedSettings_SameBanTimesAsFail2Ban()
    {
        var random = new Random(20261128);
        var cases = Enumerable.Range(0, 2000).Select(_ => (Settings: Settings(random), BanTime: BanTimes[random.Next(BanTimes.Length)])).ToList();

        var expected = PythonOracle.Run(Script, [.. cases.Select(static c => JsonSerializer.Serialize(new object[] { c.Settings.Select(static s => new[] { s.Option, s.Value }), c.BanTime }))]);

        Assert.InRange(expected.Count(static e => e == "null"), 1, cases.Count / 4);
        var differences = cases.Select((c, i) => (c.Settings, c.BanTime, Ours: Ours(c.Settings, c.BanTime), Python: Python(expected[i])))
            .Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {cases.Count} differ, e.g.\n" + string.Join("\n", differences.Take(3).Select(static d =>
                $"  {string.Join("; ", d.Settings.Select(static s => $"{s.Option}={s.Value}"))} bantime {d.BanTime}\n    ours   {d.Ours}\n    Python {d.Python}")));
    }

    private static List<(string Option, string Value)> Settings(Random random)
    {
        var settings = new List<(string, string)>();
        if (random.Next(3) != 0)
        {
            settings.Add(("factor", Factors[random.Next(Factors.Length)]));
        }

        if (random.Next(3) != 0)
        {
            settings.Add(("formula", Formulas[random.Next(Formulas.Length)]));
        }

        if (random.Next(3) == 0)
        {
            settings.Add(("multipliers", Multipliers[random.Next(Multipliers.Length)]));
        }

        if (random.Next(3) == 0)
        {
            settings.Add(("maxtime", MaxTimes[random.Next(MaxTimes.Length)]));
        }

        return [.. settings.OrderBy(_ => random.Next())];
    }

    private static string Ours(List<(string Option, string Value)> settings, double banTime)
    {
        try
        {
            var increment = new BanTimeIncrement();
            foreach (var (option, value) in settings)
            {
                increment = increment.With(option, value);
            }

            return string.Join(" ", Enumerable.Range(0, 26).Select(c => Text(increment.Compute(banTime, c))));
        }
        catch (Exception e) when (e is FormatException or ExpressionException)
        {
            return "error";
        }
    }

    private static string Python(string json) => json == "null"
        ? "error"
        : string.Join(" ", JsonSerializer.Deserialize<string[]>(json)!.Select(static r => Text(double.Parse(r, CultureInfo.InvariantCulture))));

    /// <summary>By value: a ban time of -0 (an int product with a negative multiplier in Python is 0) is 0.</summary>
    private static string Text(double seconds) => (seconds == 0 ? 0 : seconds).ToString("R", CultureInfo.InvariantCulture);
}

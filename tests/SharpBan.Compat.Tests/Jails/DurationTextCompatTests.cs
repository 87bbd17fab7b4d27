using System.Globalization;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Jails;

namespace SharpBan.Compat.Tests.Jails;

/// <summary><see cref="DurationText"/> against fail2ban's <c>MyTime.seconds2str</c> (its log's ban times).</summary>
public sealed class DurationTextCompatTests
{
    [OracleFact]
    public void Of_EverySizeAndEveryRoundingEdge_SameAsFail2ban()
    {
        var random = new Random(20261126);
        long[] edges = [0, 1, 59, 60, 61, 3594, 3595, 3599, 3600, 3605, 3615, 86399, 86400, 86430, 86460, 86490, 604799, 604800, 606600, 608400,
            31535999, 31536000, 31579200, 31622400, 86400 * 390, 86400 * 368];
        var values = edges
            .Concat(Enumerable.Range(0, 4000).Select(_ => (long)Math.Pow(10, random.NextDouble() * 9)))
            .Concat(Enumerable.Range(0, 500).Select(_ => (long)random.Next(1, 40_000) * 5)) // halves of every rounding step
            .ToList();
        var expected = PythonOracle.Run(
            "import sys\nfrom fail2ban.server.mytime import MyTime\nfor l in sys.stdin:\n  print(MyTime.seconds2str(int(l)))",
            [.. values.Select(static v => v.ToString(CultureInfo.InvariantCulture))]);
        var differences = values.Select((v, i) => (Value: v, Ours: DurationText.Of(v), Theirs: expected[i])).Where(static d => d.Ours != d.Theirs).ToList();
        Assert.True(differences.Count == 0,
            $"{differences.Count} of {values.Count} differ, e.g. " + string.Join("; ", differences.Take(5).Select(static d => $"{d.Value}: ours '{d.Ours}', fail2ban '{d.Theirs}'")));
    }
}

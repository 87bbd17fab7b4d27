using System.Globalization;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Jails;

namespace SharpBan.Compat.Tests.Jails;

/// <summary><see cref="TimeValue"/> against fail2ban's <c>MyTime.str2seconds</c> (bantime, findtime, maxtime, dbpurgeage…).</summary>
public sealed class TimeValueCompatTests
{
    /// <summary>What users write, and what they should not get away with: words Python's float knows, exponents.</summary>
    private static readonly string[] Values =
    [
        "600", "10m", "1h30m", "1d12h", "1w 2d", "1y-6mo", "6 months", "1.5h", "2*60", "-1", "1hour+30min", " 5 ", "5.", ".5",
        "+5", "-0", "(1)", "1 2", "1 d", "3 days", "1 week", "2h 30m 15s", "1mo", "10 sec", "1m1s", "24*60*60", "1/2", "1//2",
        "2**10", "1_000", "12h-30m", "0.5d",
        "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e5", "1E3", "5e", "1d1e2", "2*1e3", "0x10", "1/0", "abc", "", "10 parsecs",
    ];

    [OracleFact]
    public void TryParse_WhatUsersWrite_AcceptedAndValuedAsFail2ban()
    {
        var expected = PythonOracle.Run(
            "import sys, json\nfrom fail2ban.server.mytime import MyTime\nfor l in sys.stdin:\n"
            + "  try: print(repr(float(MyTime.str2seconds(json.loads(l)))))\n  except Exception: print('error')",
            [.. Values.Select(static v => System.Text.Json.JsonSerializer.Serialize(v))]);
        var differences = Values
            .Select((v, i) => (Value: v, Ours: TimeValue.TryParse(v, out var s) ? s : (double?)null, Theirs: Seconds(expected[i])))
            .Where(static d => d.Ours != d.Theirs) // by value: Python's -0 is 0, SharpBan's -0.0 equals it
            .ToList();
        Assert.True(differences.Count == 0,
            $"{differences.Count} of {Values.Length} differ: " + string.Join("; ", differences.Select(static d => $"'{d.Value}': ours {Text(d.Ours)}, fail2ban {Text(d.Theirs)}")));
    }

    private static double? Seconds(string python) => python == "error" ? null : double.Parse(python, CultureInfo.InvariantCulture);

    private static string Text(double? seconds) => seconds?.ToString("R", CultureInfo.InvariantCulture) ?? "error";
}

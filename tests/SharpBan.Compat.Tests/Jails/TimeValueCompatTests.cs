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

    private static readonly string[] Numbers = ["0", "1", "5", "10", "90", "1.5", ".5", "5.", "007", "1_000", "1e3", "2", "12", "0.25"];

    /// <summary>Every unit spelling fail2ban knows, in any case, and some it does not.</summary>
    private static readonly string[] Units =
    [
        "s", "sec", "secs", "second", "seconds", "m", "mm", "mi", "min", "mins", "minute", "minutes", "h", "hh", "ho", "hou",
        "hour", "hours", "d", "dd", "da", "day", "days", "w", "ww", "we", "wee", "week", "weeks", "mo", "mon", "month",
        "months", "y", "yy", "ye", "yea", "year", "years", "x", "D", "H", "Min", "WEEK", "Days", "sS",
    ];

    private static readonly string[] Joints = [" ", " ", "", "", "  ", "\t", "+", " + ", "-", " - ", "*", "/", "//", "%", ",", "_"];

    [OracleFact]
    public void TryParse_GeneratedValues_AcceptedAndValuedAsFail2ban()
    {
        var random = new Random(20261128);
        var values = Enumerable.Range(0, 20000).Select(_ => Generated(random)).Distinct(StringComparer.Ordinal).ToList();

        var expected = PythonOracle.Run(
            "import sys, json\nfrom fail2ban.server.mytime import MyTime\nfor l in sys.stdin:\n"
            + "  try:\n    v = MyTime.str2seconds(json.loads(l))\n    print(json.dumps([float(v), isinstance(v, float)]))\n"
            + "  except Exception: print('null')",
            [.. values.Select(static v => System.Text.Json.JsonSerializer.Serialize(v))]);

        Assert.InRange(expected.Count(static e => e == "null"), values.Count / 20, values.Count * 19 / 20);
        var differences = values.Select((v, i) => (Value: v, Ours: Ours(v), Python: Python(expected[i]))).Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {values.Count} differ, e.g. " + string.Join("; ", differences.Take(8).Select(static d => $"'{d.Value}': ours {d.Ours}, fail2ban {d.Python}")));

        static string Ours(string v) => TimeValue.TryParse(v, out var s, out var isFloat) ? $"{Text(s)} {(isFloat ? "float" : "int")}" : "error";

        static string Python(string json)
        {
            if (json == "null")
            {
                return "error";
            }

            var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsArray();
            return $"{Text(node[0]!.GetValue<double>())} {(node[1]!.GetValue<bool>() ? "float" : "int")}";
        }
    }

    private static string Generated(Random random)
    {
        var text = new System.Text.StringBuilder();
        if (random.Next(10) == 0)
        {
            text.Append(random.Next(2) == 0 ? "-" : " ");
        }

        for (var i = random.Next(1, 5); i > 0; i--)
        {
            var term = Numbers[random.Next(Numbers.Length)] + (random.Next(4) == 0 ? " " : "") + (random.Next(5) == 0 ? "" : Units[random.Next(Units.Length)]);
            text.Append(random.Next(12) == 0 ? "(" + term + ")" : term);
            if (i > 1)
            {
                text.Append(Joints[random.Next(Joints.Length)]);
            }
        }

        if (random.Next(20) == 0)
        {
            text.Append("**").Append(random.Next(4)); // a power, small: Python's eval would take its time over 9**9**9
        }

        return text.ToString();
    }

    private static double? Seconds(string python) => python == "error" ? null : double.Parse(python, CultureInfo.InvariantCulture);

    private static string Text(double? seconds) => seconds?.ToString("R", CultureInfo.InvariantCulture) ?? "error";
}

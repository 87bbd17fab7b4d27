using System.Globalization;

namespace SharpBan.Engine.Jails;

/// <summary>
/// The <c>bantime.*</c> options of a jail, validated: <see cref="Formula"/> and <see cref="Factor"/> are parsed once by
/// <see cref="SafeExpression"/>; <see cref="Compute"/> is fail2ban's <c>evformula</c>.
/// </summary>
internal sealed record BanTimeIncrement
{
    public const string DefaultFormula = "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor";

    public bool Enabled { get; init; }

    public string FactorText { get; init; } = "1";

    public string FormulaText { get; init; } = DefaultFormula;

    public IReadOnlyList<long> Multipliers { get; init; } = [];

    public double? MaxTime { get; init; }

    public double? RndTime { get; init; }

    public bool OverallJails { get; init; }

    public SafeExpression Factor { get; init; } = SafeExpression.Parse("1");

    public SafeExpression Formula { get; init; } = SafeExpression.Parse(DefaultFormula);

    /// <summary>The options set so far, as fail2ban keeps them (what <c>get JAIL bantime.&lt;option&gt;</c> answers).</summary>
    public System.Collections.Immutable.ImmutableDictionary<string, object?> Given { get; init; } =
        System.Collections.Immutable.ImmutableDictionary.Create<string, object?>(StringComparer.Ordinal);

    /// <summary>Applies one <c>bantime.&lt;option&gt;</c> value (empty resets it); throws on invalid values.</summary>
    public BanTimeIncrement With(string option, string value)
    {
        var empty = value.Length == 0; // fail2ban unsets only on ''; blanks are a value (and fail as Python fails on them)
        var next = Apply(option, value, empty);
        object? given = option switch
        {
            "increment" => next.Enabled,
            "maxtime" or "rndtime" => empty ? null : Seconds(value),
            _ => empty ? null : value,
        };
        return next with { Given = given is null ? Given.Remove(option) : Given.SetItem(option, given) };
    }

    /// <summary>A time value as fail2ban keeps it: an int, or a float (shown <c>2629800.0</c>) for fractions, months, years.</summary>
    private static object Seconds(string value)
    {
        _ = TimeValue.TryParse(value, out var seconds, out var isFloat);
        return isFloat ? Matching.PyValue.FloatRepr(seconds) : (long)seconds;
    }

    private BanTimeIncrement Apply(string option, string value, bool empty)
    {
        return option switch
        {
            "increment" => this with { Enabled = !empty && Matching.PyValue.AsBool(value) },
            "factor" => empty ? this with { FactorText = "1", Factor = SafeExpression.Parse("1") } : this with { FactorText = value, Factor = SafeExpression.Parse(value) },
            "formula" => empty ? this with { FormulaText = DefaultFormula, Formula = SafeExpression.Parse(DefaultFormula) } : this with { FormulaText = value, Formula = SafeExpression.Parse(value) },
            // split(' ') as fail2ban splits: two spaces in a row leave an empty word, which int() refuses
            "multipliers" => this with { Multipliers = empty ? [] : [.. value.Split(' ').Select(PythonInt)] },
            "maxtime" => this with { MaxTime = empty ? null : TimeValue.Parse(value) },
            "rndtime" => this with { RndTime = empty ? null : TimeValue.Parse(value) },
            "overalljails" => this with { OverallJails = !empty && Matching.PyValue.AsBool(value) },
            _ => this, // fail2ban keeps any other bantime.* value as given (no effect, shown by get)
        };
    }

    private static long PythonInt(string word) => Config.PyText.TryParseInt(word, out var n)
        ? n
        : throw new FormatException($"invalid literal for int() with base 10: {Config.PyText.Repr(word)}");

    /// <summary>
    /// The option's value as <c>get JAIL bantime.&lt;option&gt;</c> reports it (fail2ban's <c>getBanTimeExtra</c>):
    /// null until set; <c>increment</c> as a boolean, <c>maxtime</c>/<c>rndtime</c> in seconds, the others as given.
    /// </summary>
    public object? Get(string option) => Given.GetValueOrDefault(option);

    /// <summary>New ban time for an id banned <paramref name="banCount"/> times before; <paramref name="random"/> in [0,1).</summary>
    public double Compute(double banTime, int banCount, double random = 0)
    {
        var factor = Factor.Evaluate(SafeExpression.NoVariables);
        double result;
        if (Multipliers.Count > 0)
        {
            result = banTime * factor * Multipliers[Math.Min(banCount, Multipliers.Count - 1)];
        }
        else
        {
            var variables = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["ban.Time"] = banTime,
                ["ban.Count"] = banCount,
                ["banFactor"] = factor,
            };
            result = Math.Max(banTime, Formula.Evaluate(variables));
        }

        if (MaxTime is { } max)
        {
            result = Math.Min(result, max);
        }

        if (RndTime is { } rnd)
        {
            result += random * rnd;
        }

        return result;
    }
}

using System.Globalization;

namespace SharpBan.Engine.Jails;

/// <summary>
/// A small arithmetic language covering what <c>bantime.formula</c>, <c>bantime.factor</c> and time values use in
/// Python: numbers, variables (<c>ban.Time</c>, <c>ban.Count</c>, <c>banFactor</c>), <c>+ - * / // % ** &lt;&lt; &gt;&gt;</c>,
/// comparisons, <c>and/or/not</c>, <c>a if c else b</c>, and a fixed set of pure functions (<c>math.*</c>,
/// <c>float</c>, <c>int</c>, <c>min</c>, <c>max</c>, <c>abs</c>, <c>round</c>). Nothing else is reachable: no
/// attribute access, no imports, no calls to anything outside the table below.
/// </summary>
internal abstract partial record SafeExpression
{
    public static IReadOnlyDictionary<string, double> NoVariables { get; } = new Dictionary<string, double>();

    public abstract double Evaluate(IReadOnlyDictionary<string, double> variables);

    /// <summary>
    /// Whether Python's value would be a float rather than an int (or bool): a float literal or constant, <c>/</c>, an
    /// operation with a float, an int to a negative power, <c>float()</c> and most of <c>math</c>; for <c>and</c>,
    /// <c>or</c>, <c>if</c>, <c>min</c> and <c>max</c> the operand chosen. Variables count as ints.
    /// </summary>
    public abstract bool IsFloat(IReadOnlyDictionary<string, double> variables);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says where and why.</summary>
    public static bool TryParse(string text, out SafeExpression expression, out string error)
    {
        try
        {
            expression = new Parser(text).ParseAll();
            error = "";
            return true;
        }
        catch (ExpressionException e)
        {
            expression = new Constant(0, false);
            error = e.Message;
            return false;
        }
    }

    public static SafeExpression Parse(string text) =>
        TryParse(text, out var e, out var error) ? e : throw new ExpressionException(error);

    public static double ToDouble(double value) => value;

    private static bool Truthy(double v) => v != 0 && !double.IsNaN(v);

    private static long ToLong(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 9.2e18 ? (long)v : throw new ExpressionException($"unsupported operand for shift: {v.ToString(CultureInfo.InvariantCulture)}");

    private sealed record Constant(double Value, bool Float) : SafeExpression
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> variables) => Value;

        public override bool IsFloat(IReadOnlyDictionary<string, double> variables) => Float;
    }

    private sealed record Variable(string Name) : SafeExpression
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> variables) =>
            variables.TryGetValue(Name, out var v) ? v : throw new ExpressionException($"name '{Name}' is not defined");

        public override bool IsFloat(IReadOnlyDictionary<string, double> variables) => false;
    }

    private sealed record Unary(char Op, SafeExpression Operand) : SafeExpression
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> variables)
        {
            var v = Operand.Evaluate(variables);
            return Op switch
            {
                '-' => v == 0 && !Operand.IsFloat(variables) ? 0 : -v, // Python's int has no -0
                '!' => Truthy(v) ? 0 : 1,
                _ => v,
            };
        }

        public override bool IsFloat(IReadOnlyDictionary<string, double> variables) => Op != '!' && Operand.IsFloat(variables);
    }

    private sealed record Binary(string Op, SafeExpression Left, SafeExpression Right) : SafeExpression
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> variables)
        {
            var l = Left.Evaluate(variables);
            switch (Op)
            {
                case "and":
                    return Truthy(l) ? Right.Evaluate(variables) : l;
                case "or":
                    return Truthy(l) ? l : Right.Evaluate(variables);
            }

            var r = Right.Evaluate(variables);
            return Op switch
            {
                "+" => l + r,
                "-" => l - r,
                "*" => l * r,
                "/" => r == 0 ? throw new ExpressionException("division by zero") : l / r,
                "//" => r == 0 ? throw new ExpressionException("division by zero") : DivMod(l, r).Quotient,
                "%" => r == 0 ? throw new ExpressionException("modulo by zero") : DivMod(l, r).Remainder,
                "**" => Math.Pow(l, r),
                "<<" => ShiftLeft(ToLong(l), ToLong(r)),
                ">>" => ToLong(r) < 0 ? throw new ExpressionException("negative shift count") : ToLong(l) >> (int)Math.Min(ToLong(r), 63),
                "<" => l < r ? 1 : 0,
                "<=" => l <= r ? 1 : 0,
                ">" => l > r ? 1 : 0,
                ">=" => l >= r ? 1 : 0,
                "==" => l == r ? 1 : 0,
                "!=" => l != r ? 1 : 0,
                _ => throw new ExpressionException($"unknown operator {Op}"),
            };
        }

        public override bool IsFloat(IReadOnlyDictionary<string, double> variables) => Op switch
        {
            "and" => Truthy(Left.Evaluate(variables)) ? Right.IsFloat(variables) : Left.IsFloat(variables),
            "or" => Truthy(Left.Evaluate(variables)) ? Left.IsFloat(variables) : Right.IsFloat(variables),
            "/" => true,
            "+" or "-" or "*" or "//" or "%" => Left.IsFloat(variables) || Right.IsFloat(variables),
            "**" => Left.IsFloat(variables) || Right.IsFloat(variables) || Right.Evaluate(variables) < 0,
            _ => false, // shifts of ints, comparisons
        };

        /// <summary>Python's <c>divmod</c> of two floats (CPython's <c>float_divmod</c>, rounding as it does).</summary>
        private static (double Quotient, double Remainder) DivMod(double x, double y)
        {
            var mod = x % y; // C's fmod
            var div = (x - mod) / y;
            if (mod != 0)
            {
                if ((y < 0) != (mod < 0))
                {
                    mod += y;
                    div -= 1.0;
                }
            }
            else
            {
                mod = Math.CopySign(0.0, y);
            }

            double floor;
            if (div != 0)
            {
                floor = Math.Floor(div);
                if (div - floor > 0.5)
                {
                    floor += 1.0;
                }
            }
            else
            {
                floor = Math.CopySign(0.0, x / y);
            }

            return (floor, mod);
        }

        private static double ShiftLeft(long value, long count) =>
            count < 0 ? throw new ExpressionException("negative shift count")
            : count > 1000 ? throw new ExpressionException("shift count too large")
            : value * Math.Pow(2, count);
    }

    private sealed record Conditional(SafeExpression Condition, SafeExpression Then, SafeExpression Else) : SafeExpression
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> variables) =>
            Truthy(Condition.Evaluate(variables)) ? Then.Evaluate(variables) : Else.Evaluate(variables);

        public override bool IsFloat(IReadOnlyDictionary<string, double> variables) =>
            Truthy(Condition.Evaluate(variables)) ? Then.IsFloat(variables) : Else.IsFloat(variables);
    }

    private sealed record Call(string Name, IReadOnlyList<SafeExpression> Arguments) : SafeExpression
    {
        public override double Evaluate(IReadOnlyDictionary<string, double> variables)
        {
            var a = Arguments.Select(x => x.Evaluate(variables)).ToArray();
            return (Name, a.Length) switch
            {
                ("float", 1) => a[0],
                ("int", 1) => Math.Truncate(a[0]),
                ("abs", 1) => Math.Abs(a[0]),
                ("round", 1) => Math.Round(a[0], MidpointRounding.ToEven),
                ("min", > 0) => a.Min(),
                ("max", > 0) => a.Max(),
                ("math.exp", 1) => Math.Exp(a[0]),
                ("math.log", 1) => Math.Log(a[0]),
                ("math.log", 2) => Math.Log(a[0], a[1]),
                ("math.log2", 1) => Math.Log2(a[0]),
                ("math.log10", 1) => Math.Log10(a[0]),
                ("math.sqrt", 1) => Math.Sqrt(a[0]),
                ("math.pow", 2) => Math.Pow(a[0], a[1]),
                ("math.floor", 1) => Math.Floor(a[0]),
                ("math.ceil", 1) => Math.Ceiling(a[0]),
                _ => throw new ExpressionException($"function '{Name}' with {a.Length} argument(s) is not allowed"),
            };
        }

        public override bool IsFloat(IReadOnlyDictionary<string, double> variables)
        {
            switch (Name)
            {
                case "int" or "round" when Arguments.Count == 1:
                case "math.floor" or "math.ceil":
                    return false;
                case "abs":
                    return Arguments[0].IsFloat(variables);
                case "min" or "max":
                    // Python returns the first of the equal extremes
                    var values = Arguments.Select(x => x.Evaluate(variables)).ToArray();
                    var chosen = Name == "min" ? Array.IndexOf(values, values.Min()) : Array.IndexOf(values, values.Max());
                    return Arguments[chosen].IsFloat(variables);
                default:
                    return true;
            }
        }
    }
}

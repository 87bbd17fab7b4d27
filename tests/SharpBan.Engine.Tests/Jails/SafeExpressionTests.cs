using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public class SafeExpressionTests
{
    private static double Eval(string text, double time = 600, double count = 1, double factor = 1) =>
        SafeExpression.Parse(text).Evaluate(new Dictionary<string, double>
        {
            ["ban.Time"] = time,
            ["ban.Count"] = count,
            ["banFactor"] = factor,
        });

    [Theory]
    [InlineData(1, 1200)]
    [InlineData(2, 2400)]
    [InlineData(25, 600.0 * (1 << 20))]
    public void Evaluate_DefaultFormula_DoublesPerBan(int count, double expected) =>
        Assert.Equal(expected, Eval(BanTimeIncrement.DefaultFormula, count: count));

    [Theory]
    [InlineData("ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)", 1631.0)]
    [InlineData("2 ** 3 + 7 // 2 - 5 % 3", 9)]
    [InlineData("1 if ban.Count > 0 and not False else 2", 1)]
    [InlineData("max(ban.Time, 5) + min(1, 2) + abs(-3)", 604)]
    public void Evaluate_PythonArithmetic_AsPython(string text, double expected) =>
        Assert.Equal(expected, Eval(text), 0);

    [Theory]
    [InlineData("__import__('os').system('touch /tmp/x')")]
    [InlineData("open('/etc/passwd')")]
    [InlineData("ban.__class__")]
    [InlineData("exec('1')")]
    [InlineData("[1,2]")]
    public void Evaluate_CodeExecutionAttempts_AreRejected(string text)
    {
        var parsed = SafeExpression.TryParse(text, out var expression, out _);
        if (parsed)
        {
            Assert.Throws<ExpressionException>(() => expression.Evaluate(SafeExpression.NoVariables));
        }
    }
}

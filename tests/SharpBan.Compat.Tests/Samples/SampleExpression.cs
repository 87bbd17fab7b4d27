using System.Text.RegularExpressions;

namespace SharpBan.Compat.Tests.Samples;

/// <summary>
/// The few Python expressions the sample logs use in <c>constraint</c> and <c>test.condition</c>:
/// <c>name == 'x'</c> and <c>opts.get('k') != 'v'</c>.
/// </summary>
internal static partial class SampleExpression
{
    [GeneratedRegex(@"^\s*(name|opts\.get\('([^']+)'\))\s*(==|!=)\s*'([^']*)'\s*$")]
    private static partial Regex Comparison();

    public static bool Evaluate(string expression, string name, IReadOnlyDictionary<string, string> opts)
    {
        var m = Comparison().Match(expression);
        if (!m.Success)
        {
            throw new NotSupportedException("unsupported sample expression: " + expression);
        }

        var left = m.Groups[1].Value == "name" ? name : opts.GetValueOrDefault(m.Groups[2].Value);
        var equal = left == m.Groups[4].Value;
        return m.Groups[3].Value == "==" ? equal : !equal;
    }
}

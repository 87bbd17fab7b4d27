using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using SharpBan.Engine.Config;

namespace SharpBan;

/// <summary>
/// Options that take a value, given more than once: Python's option parsers (optparse for fail2ban-regex, getopt for
/// fail2ban-client and fail2ban-server) keep the last, where System.CommandLine refuses the second. A value that is
/// not a number is refused in optparse's words (<c>option -L: invalid integer value: 'x'</c>), not .NET's type names.
/// </summary>
internal static class RepeatedOption
{
    /// <summary><paramref name="option"/>, taking the last of its values.</summary>
    public static Option<string?> LastWins(this Option<string?> option)
    {
        option.Arity = ArgumentArity.OneOrMore;
        option.CustomParser = static result => result.Tokens[^1].Value;
        return option;
    }

    /// <summary><paramref name="option"/>, taking the last of its values, which must be an integer.</summary>
    public static Option<int?> LastWins(this Option<int?> option) =>
        LastNumber(option, static (string text, out int value) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value), "integer");

    /// <summary><paramref name="option"/>, taking the last of its values, which must be a number.</summary>
    public static Option<double?> LastWins(this Option<double?> option) =>
        LastNumber(option, static (string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value), "floating-point");

    private delegate bool TryParse<T>(string text, out T value);

    private static Option<T?> LastNumber<T>(Option<T?> option, TryParse<T> parse, string kind)
        where T : struct
    {
        option.Arity = ArgumentArity.OneOrMore;
        option.CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (parse(text, out var value))
            {
                return value;
            }

            var name = (result.Parent as OptionResult)?.IdentifierToken?.Value ?? "";
            result.AddError($"option {name}: invalid {kind} value: {PyText.Repr(text)}"); // optparse's words
            return null;
        };
        return option;
    }
}

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
    public static Option<int?> LastWins(this Option<int?> option)
    {
        option.Arity = ArgumentArity.OneOrMore;
        option.CustomParser = static result =>
            int.TryParse(result.Tokens[^1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : Refuse<int?>(result, "integer");
        return option;
    }

    /// <summary><paramref name="option"/>, taking the last of its values, which must be a number.</summary>
    public static Option<double?> LastWins(this Option<double?> option)
    {
        option.Arity = ArgumentArity.OneOrMore;
        option.CustomParser = static result =>
            double.TryParse(result.Tokens[^1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : Refuse<double?>(result, "floating-point");
        return option;
    }

    private static T? Refuse<T>(ArgumentResult result, string kind)
    {
        var name = (result.Parent as OptionResult)?.IdentifierToken?.Value ?? "";
        result.AddError($"option {name}: invalid {kind} value: {PyText.Repr(result.Tokens[^1].Value)}");
        return default;
    }
}

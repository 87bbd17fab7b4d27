using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpBan.Engine.Jails;

/// <summary>
/// fail2ban's time values (<c>str2seconds</c>): <c>10m</c>, <c>1h30m</c>, <c>1w 2d</c>, <c>1y-6mo</c>, <c>2*60</c>, <c>-1</c>.
/// Unit words become multiplications and the result is evaluated by <see cref="SafeExpression"/> (no code execution).
/// </summary>
internal static partial class TimeValue
{
    private const NumberStyles PlainNumber =
        NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    private static readonly (Regex Pattern, string Factor)[] Units =
    [
        (DaysRegex(), "*86400"),
        (WeeksRegex(), "*604800"),
        (MonthsRegex(), "*2629800.0"),
        (YearsRegex(), "*31557600.0"),
        (SecondsRegex(), "*1"),
        (MinutesRegex(), "*60"),
        (HoursRegex(), "*3600"),
    ];

    /// <summary>Parses a time value into seconds; false when it is not a valid expression.</summary>
    public static bool TryParse(string? text, out double seconds) => TryParse(text, out seconds, out _);

    /// <summary>
    /// Parses a time value; <paramref name="isFloat"/> tells whether Python's evaluation gives a float rather than an
    /// int (a fraction, a division, months or years, which are 30.4375 and 365.25 days).
    /// </summary>
    public static bool TryParse(string? text, out double seconds, out bool isFloat)
    {
        seconds = 0;
        isFloat = false;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        // a plain number as Python reads one: no exponent (str2seconds splits "1e5" into "1e 5"), no nan or inf words,
        // no integer with a leading zero (a syntax error in Python 3: "007"; "00" and "007.5" are fine)
        if (double.TryParse(text, PlainNumber, CultureInfo.InvariantCulture, out seconds) && double.IsFinite(seconds))
        {
            isFloat = !long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out _);
            var digits = text.AsSpan().Trim().TrimStart("+-");
            if (!isFloat && digits.Length > 1 && digits[0] == '0' && digits.ContainsAnyExcept('0'))
            {
                return false;
            }

            seconds = isFloat || seconds != 0 ? seconds : 0; // Python's int has no -0
            return true;
        }

        var s = LetterDigitRegex().Replace(text, " $1");
        foreach (var (pattern, factor) in Units)
        {
            s = pattern.Replace(s, factor);
        }

        s = DigitSpaceDigitRegex().Replace(s, "$1+$2");
        if (!SafeExpression.TryParse(s, out var expression, out _))
        {
            return false;
        }

        try
        {
            seconds = SafeExpression.ToDouble(expression.Evaluate(SafeExpression.NoVariables));
            isFloat = expression.IsFloat(SafeExpression.NoVariables);
            seconds = isFloat || seconds != 0 ? seconds : 0; // Python's int has no -0
            return !double.IsNaN(seconds);
        }
        catch (ExpressionException)
        {
            return false;
        }
    }

    /// <summary>Parses a time value; throws <see cref="FormatException"/> naming the text when invalid.</summary>
    public static double Parse(string? text) =>
        TryParse(text, out var seconds) ? seconds : throw new FormatException($"Invalid time value '{text}'");

    /// <summary>fail2ban's <c>int(str2seconds(v))</c>: truncated toward zero.</summary>
    public static long ParseSeconds(string? text) => (long)Parse(text);

    [GeneratedRegex(@"(?<=[a-zA-Z])([0-9])")]
    private static partial Regex LetterDigitRegex();

    [GeneratedRegex(@"(\d)\s+(\d)")]
    private static partial Regex DigitSpaceDigitRegex();

    [GeneratedRegex(@"(?<=[\d\s])(days?|da|dd?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DaysRegex();

    [GeneratedRegex(@"(?<=[\d\s])(weeks?|wee?|ww?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WeeksRegex();

    [GeneratedRegex(@"(?<=[\d\s])(months?|mon?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MonthsRegex();

    [GeneratedRegex(@"(?<=[\d\s])(years?|yea?|yy?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex YearsRegex();

    [GeneratedRegex(@"(?<=[\d\s])(seconds?|sec?|ss?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SecondsRegex();

    [GeneratedRegex(@"(?<=[\d\s])(minutes?|min?|mm?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MinutesRegex();

    [GeneratedRegex(@"(?<=[\d\s])(hours?|hou?|hh?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HoursRegex();
}

using System.Collections;
using System.Globalization;

namespace SharpBan.Engine.Matching;

/// <summary>Python truthiness for captured values (null, empty text and empty collections are false), and float text.</summary>
internal static class PyValue
{
    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, with <c>.0</c> for whole numbers.</summary>
    public static string FloatRepr(double value)
    {
        if (!double.IsFinite(value))
        {
            return double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        }

        // the shortest digits that read back as the value (as Python's), placed as Python's repr places them: plainly
        // for exponents -4 to 15 (with ".0" when whole), else as d.ddde±XX
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = shortest.StartsWith('-');
        var body = negative ? shortest[1..] : shortest;
        var e = body.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(body.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? body : body[..e];
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var decimals = point < 0 ? mantissa.Length : point; // digits before the point
        var trimmed = digits.TrimStart('0');
        decimals -= digits.Length - trimmed.Length;
        digits = trimmed.TrimEnd('0');
        if (digits.Length == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        var decpt = decimals + exponent; // the value is 0.DIGITS x 10^decpt
        string text;
        if (decpt is > -4 and <= 16)
        {
            text = decpt <= 0
                ? "0." + new string('0', -decpt) + digits
                : digits.Length <= decpt
                    ? digits + new string('0', decpt - digits.Length) + ".0"
                    : digits[..decpt] + "." + digits[decpt..];
        }
        else
        {
            var exp = decpt - 1;
            text = (digits.Length == 1 ? digits : digits[..1] + "." + digits[1..])
                + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }

        return negative ? "-" + text : text;
    }

    /// <summary>fail2ban's <c>_as_bool</c>: the lower-cased text is <c>1</c>, <c>on</c>, <c>true</c> or <c>yes</c> (no blanks around it).</summary>
    public static bool AsBool(string value) =>
        value.ToLowerInvariant() is "true" or "yes" or "on" or "1";

    /// <summary>
    /// Python's <c>str()</c> of a <c>tuple_*</c> id (a tuple of captured strings, <c>None</c> for a group that did not
    /// take part, nested when a tuple group extends another), as fail2ban's raw <c>IPAddr</c> prints it.
    /// </summary>
    public static string TupleRepr(object?[] items) => items.Length == 1
        ? "(" + ItemRepr(items[0]) + ",)"
        : "(" + string.Join(", ", items.Select(ItemRepr)) + ")";

    private static string ItemRepr(object? item) => item switch
    {
        null => "None",
        string s => Config.PyText.Repr(s),
        object?[] tuple => TupleRepr(tuple),
        _ => Convert.ToString(item, CultureInfo.InvariantCulture) ?? "None",
    };

    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        string s => s.Length > 0,
        int i => i != 0,
        bool b => b,
        ICollection c => c.Count > 0,
        _ => true,
    };
}

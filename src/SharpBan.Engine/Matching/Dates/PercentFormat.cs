using System.Globalization;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// The error Python's <c>fmt % mapping</c> raises, if any. fail2ban turns a <c>datepattern</c> into a format string (each
/// known <c>%X</c> field becomes <c>%(X)s</c>) and formats it with its table of field regexes; whatever else follows a
/// <c>%</c> is read by Python's printf-style parser, and its error ends up in "Failed to set datepattern …". This repeats
/// that parser (CPython's <c>PyUnicode_Format</c>) closely enough to give the same message.
/// </summary>
internal static class PercentFormat
{
    private const string Flags = "-+ #0";

    /// <summary>The message of the exception formatting would raise, or null when it succeeds.</summary>
    /// <param name="fmt">The format string.</param>
    /// <param name="keys">The keys of the mapping.</param>
    /// <param name="unkeyedWholeMapping">Set when a <c>%s</c>/<c>%r</c>/<c>%a</c> without a key would insert the whole mapping's text
    /// (Python accepts it; no date pattern means that).</param>
    public static string? Error(string fmt, IReadOnlySet<string> keys, out bool unkeyedWholeMapping)
    {
        unkeyedWholeMapping = false;
        var argumentUsed = false; // Python formats "%d" etc. with the mapping itself, once, and only before any %(key)
        var i = 0;
        while (i < fmt.Length)
        {
            if (fmt[i] != '%')
            {
                i++;
                continue;
            }

            i++;
            if (i >= fmt.Length)
            {
                return "incomplete format";
            }

            var keyed = false;
            if (fmt[i] == '(')
            {
                var depth = 1;
                var start = ++i;
                while (i < fmt.Length && depth > 0)
                {
                    depth += fmt[i] switch { '(' => 1, ')' => -1, _ => 0 };
                    i++;
                }

                if (depth > 0)
                {
                    return "incomplete format key";
                }

                var key = fmt[start..(i - 1)];
                if (!keys.Contains(key))
                {
                    return "'" + key + "'"; // str(KeyError('key'))
                }

                keyed = true;
                argumentUsed = true;
            }

            while (i < fmt.Length && Flags.Contains(fmt[i], StringComparison.Ordinal))
            {
                i++;
            }

            if (i < fmt.Length && fmt[i] == '*')
            {
                return "* wants int";
            }

            while (i < fmt.Length && char.IsAsciiDigit(fmt[i]))
            {
                i++;
            }

            if (i < fmt.Length && fmt[i] == '.')
            {
                i++;
                if (i < fmt.Length && fmt[i] == '*')
                {
                    return "* wants int";
                }

                while (i < fmt.Length && char.IsAsciiDigit(fmt[i]))
                {
                    i++;
                }
            }

            while (i < fmt.Length && fmt[i] is 'h' or 'l' or 'L')
            {
                i++;
            }

            if (i >= fmt.Length)
            {
                return "incomplete format";
            }

            var c = fmt[i];
            if (c == '%' && fmt[i - 1] == '%')
            {
                i++; // "%%"
                continue;
            }

            if (!keyed)
            {
                if (argumentUsed)
                {
                    return "not enough arguments for format string";
                }

                argumentUsed = true;
            }

            switch (c)
            {
                case 's' or 'r' or 'a':
                    unkeyedWholeMapping |= !keyed;
                    break;
                case 'd' or 'i' or 'u' when !keyed:
                    return $"%{c} format: a real number is required, not dict";
                case 'o' or 'x' or 'X' when !keyed:
                    return $"%{c} format: an integer is required, not dict";
                case 'e' or 'E' or 'f' or 'F' or 'g' or 'G' when !keyed:
                    return "must be real number, not dict";
                case 'c' when !keyed:
                    return "%c requires int or char";
                case 'd' or 'i' or 'u':
                    return $"%{c} format: a real number is required, not str";
                case 'o' or 'x' or 'X':
                    return $"%{c} format: an integer is required, not str";
                case 'e' or 'E' or 'f' or 'F' or 'g' or 'G':
                    return "must be real number, not str";
                case 'c':
                    return "%c requires int or char";
                default:
                    return string.Create(CultureInfo.InvariantCulture, $"unsupported format character '{c}' (0x{(int)c:x}) at index {i}");
            }

            i++;
        }

        return null;
    }
}

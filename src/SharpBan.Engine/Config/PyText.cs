using System.Globalization;
using System.Text;

namespace SharpBan.Engine.Config;

/// <summary>Python string semantics the dialect depends on: whitespace, <c>strip</c>, <c>repr</c>, <c>str()</c> of values.</summary>
internal static class PyText
{
    /// <summary>Python's <c>str.isspace</c> for one character.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    public static string Strip(string s) => StripSpan(s.AsSpan()) is var span && span.Length == s.Length ? s : span.ToString();

    public static ReadOnlySpan<char> StripSpan(ReadOnlySpan<char> s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && IsSpace(s[start]))
        {
            start++;
        }

        while (end > start && IsSpace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    public static string RStrip(string s)
    {
        var end = s.Length;
        while (end > 0 && IsSpace(s[end - 1]))
        {
            end--;
        }

        return end == s.Length ? s : s[..end];
    }

    /// <summary>Python's <c>str.lower()</c> as used by configparser's <c>optionxform</c>.</summary>
    public static string Lower(string s) => s.ToLowerInvariant();

    /// <summary>
    /// Python's <c>repr()</c> of a string: quotes chosen as Python does, backslash escapes for <c>\\ \n \r \t</c>,
    /// and <c>\xNN</c>, <c>\uNNNN</c> or <c>\UNNNNNNNN</c> for what Python does not print (controls, format
    /// characters, separators other than the space, unassigned and private-use code points, lone surrogates).
    /// </summary>
    public static string Repr(string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder(s.Length + 2);
        sb.Append(quote);
        for (var i = 0; i < s.Length;)
        {
            if (Rune.DecodeFromUtf16(s.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                Escape(sb, s[i]); // a lone surrogate
                i++;
                continue;
            }

            i += used;
            switch (rune.Value)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (rune.Value == quote)
                    {
                        sb.Append('\\').Append(quote);
                    }
                    else if (!IsPrintable(rune))
                    {
                        Escape(sb, rune.Value);
                    }
                    else
                    {
                        sb.Append(rune.ToString());
                    }

                    break;
            }
        }

        return sb.Append(quote).ToString();
    }

    /// <summary>Python's <c>str.isprintable()</c> for one code point.</summary>
    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.SpaceSeparator);

    private static void Escape(StringBuilder sb, int c) => sb.Append(c switch
    {
        < 0x100 => "\\x" + c.ToString("x2", CultureInfo.InvariantCulture),
        < 0x10000 => "\\u" + c.ToString("x4", CultureInfo.InvariantCulture),
        _ => "\\U" + c.ToString("x8", CultureInfo.InvariantCulture),
    });

    /// <summary>Python's <c>str()</c> of a resolved option value (string, integer, boolean).</summary>
    public static string? Str(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>fail2ban's boolean reading: 1, on, true, yes (any case) are true; anything else false.</summary>
    public static bool AsBool(string value) =>
        value.Equals("1", StringComparison.Ordinal) || value.Equals("on", StringComparison.OrdinalIgnoreCase)
        || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase);

    /// <summary>Python's <c>int()</c> of a string: surrounding whitespace, a sign, digits (any script's) with single underscores between them.</summary>
    public static bool TryParseInt(string value, out long result)
    {
        result = 0;
        var s = StripSpan(value.AsSpan());
        if (s.IsEmpty)
        {
            return false;
        }

        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.IsEmpty || s[0] == '_' || s[^1] == '_')
        {
            return false;
        }

        long acc = 0;
        var previousUnderscore = false;
        foreach (var c in s)
        {
            if (c == '_')
            {
                if (previousUnderscore)
                {
                    return false;
                }

                previousUnderscore = true;
                continue;
            }

            previousUnderscore = false;
            // any Unicode decimal digit counts, as in Python ('٣' is 3)
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.DecimalDigitNumber ? (int)char.GetNumericValue(c) : -1;
            if (digit < 0)
            {
                return false;
            }

            if (acc > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            acc = (acc * 10) + digit;
        }

        result = negative ? -acc : acc;
        return true;
    }
}

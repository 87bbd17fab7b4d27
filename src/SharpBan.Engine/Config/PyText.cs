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

    /// <summary>
    /// Python's <c>str.lower()</c> as used by configparser's <c>optionxform</c>: the simple lower case of each code
    /// point, except the two full mappings .NET does not make: <c>İ</c> (U+0130) becomes <c>i̇</c> (i and U+0307) and a
    /// word-final capital sigma becomes <c>ς</c> (so option <c>ΟΔΟΣ</c> is <c>οδος</c>, as in fail2ban).
    /// </summary>
    public static string Lower(string s)
    {
        if (s.AsSpan().IndexOfAny('\u0130', '\u03A3') < 0)
        {
            return s.ToLowerInvariant();
        }

        var sb = new StringBuilder(s.Length + 1);
        for (var i = 0; i < s.Length;)
        {
            if (Rune.DecodeFromUtf16(s.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                sb.Append(s[i]); // a lone surrogate stays as it is
                i++;
                continue;
            }

            switch (rune.Value)
            {
                case 0x130:
                    sb.Append("i\u0307");
                    break;
                case 0x3A3:
                    sb.Append(IsFinalSigma(s, i) ? '\u03C2' : '\u03C3');
                    break;
                default:
                    sb.Append(Rune.ToLowerInvariant(rune).ToString());
                    break;
            }

            i += used;
        }

        return sb.ToString();
    }

    /// <summary>Unicode's Final_Sigma: a cased letter before (skipping case-ignorable ones), none after.</summary>
    private static bool IsFinalSigma(string s, int i)
    {
        var before = s.AsSpan(0, i);
        Rune rune;
        while (Rune.DecodeLastFromUtf16(before, out rune, out var used) == System.Buffers.OperationStatus.Done && IsCaseIgnorable(rune))
        {
            before = before[..^used];
        }

        if (before.IsEmpty || !IsCased(rune))
        {
            return false;
        }

        var after = s.AsSpan(i + 1);
        while (Rune.DecodeFromUtf16(after, out rune, out var used) == System.Buffers.OperationStatus.Done && IsCaseIgnorable(rune))
        {
            after = after[used..];
        }

        return after.IsEmpty || !IsCased(rune);
    }

    /// <summary>Unicode's Cased: letters with case, plus the Other_Lowercase/Other_Uppercase ones that are not case-ignorable.</summary>
    private static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        || rune.Value is 0xAA or 0xBA or (>= 0x2160 and <= 0x217F) or (>= 0x24B6 and <= 0x24E9) or (>= 0x1F130 and <= 0x1F149)
            or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189);

    /// <summary>Unicode's Case_Ignorable: marks, format characters, modifiers and the apostrophes and dots inside words.</summary>
    private static bool IsCaseIgnorable(Rune rune) =>
        rune.Value is '\'' or '.' or ':' or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027 or 0xFE13 or 0xFE52
            or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;

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

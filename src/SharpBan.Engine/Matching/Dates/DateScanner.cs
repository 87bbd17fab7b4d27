using System.Globalization;
using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// A hand-written reader for one default date template at the start of a line, standing in for the template's regex:
/// it must give the regex's answer for every line it reads (the same text, the same values, the same choice where the
/// regex backtracks), which property tests check against the regex. A line whose first <see cref="Reach"/>
/// characters are not all ASCII is left to the regex, whose case folding, word characters and white space reach beyond
/// ASCII.
/// </summary>
internal abstract class DateScanner
{
    /// <summary>How far a scanner reads: two leading non-word characters, the longest date, one character after it.</summary>
    private protected const int Reach = 40;

    /// <summary>For each three-digit number, whether <c>%ExY</c> accepts years beginning with it.</summary>
    private readonly bool[] _centuries = new bool[1000];

    private protected DateScanner(int currentYear)
    {
        foreach (var prefix in TimeTokens.ExYearPrefixes(currentYear))
        {
            if (int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < _centuries.Length)
            {
                _centuries[n] = true;
            }
        }
    }

    /// <summary>The scanner for a <c>{^LN-BEG}</c> template's pattern (after that prefix), or null when it has none.</summary>
    public static DateScanner? For(string pattern, int currentYear) => pattern switch
    {
        SyslogDateScanner.Pattern => new SyslogDateScanner(currentYear),
        IsoDateScanner.Pattern => new IsoDateScanner(currentYear),
        _ => null,
    };

    /// <summary>The regex's answer for <paramref name="line"/>, or null when the line is left to the regex.</summary>
    public abstract bool? Scan(string line, out DateHit hit);

    /// <summary>
    /// <c>^(?:\W{0,2})?</c> before a date that begins with a word character: the date begins at the first word
    /// character, which must be one of the first three.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static bool TryStart(ReadOnlySpan<char> s, out int start)
    {
        start = 0;
        while (start < s.Length && start <= 2 && !IsWord(s[start]))
        {
            start++;
        }

        return start <= 2;
    }

    /// <summary><c>%ExY</c>: four digits whose first three the window accepts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected bool IsExYear(ReadOnlySpan<char> s, int p, out int year)
    {
        year = 0;
        if (!(IsDigit(At(s, p)) && IsDigit(At(s, p + 1)) && IsDigit(At(s, p + 2)) && IsDigit(At(s, p + 3))))
        {
            return false;
        }

        var century = Number(s, p, 3);
        year = (century * 10) + (s[p + 3] - '0');
        return _centuries[century];
    }

    /// <summary>
    /// <c>%d</c> (<c>[1-2]\d|[0 ]?[1-9]|3[0-1]</c>) followed by a non-digit, which the caller checks: a two-character
    /// day ends in a digit and a one-character day must be followed by something else, so only one can go on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static bool Day(ReadOnlySpan<char> s, ref int p, out int day)
    {
        var (c0, c1) = (At(s, p), At(s, p + 1));
        if ((c0 is '1' or '2' && IsDigit(c1)) || (c0 is '0' or ' ' && c1 is >= '1' and <= '9') || (c0 == '3' && c1 is '0' or '1'))
        {
            day = ((c0 == ' ' ? 0 : c0 - '0') * 10) + (c1 - '0');
            p += 2;
            return true;
        }

        day = c0 - '0';
        p++;
        return c0 is >= '1' and <= '9' && !IsDigit(c1);
    }

    /// <summary><c>[0-last]?\d</c>: two digits when the first may lead, else one (the caller checks what follows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static bool Field(ReadOnlySpan<char> s, ref int p, char last, out int value)
    {
        var (c0, c1) = (At(s, p), At(s, p + 1));
        if (c0 >= '0' && c0 <= last && IsDigit(c1))
        {
            value = ((c0 - '0') * 10) + (c1 - '0');
            p += 2;
            return true;
        }

        value = c0 - '0';
        p++;
        return IsDigit(c0);
    }

    /// <summary>
    /// <c>%S</c> (<c>[0-5]?\d|6[0-1]</c>): two digits where they fit, since a shorter second leaves a digit before
    /// whatever must follow (a fraction's separator, a space, a zone or the word end).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static bool Second(ReadOnlySpan<char> s, ref int p, out int second)
    {
        var (c0, c1) = (At(s, p), At(s, p + 1));
        if ((c0 is >= '0' and <= '5' && IsDigit(c1)) || (c0 == '6' && c1 is '0' or '1'))
        {
            second = ((c0 - '0') * 10) + (c1 - '0');
            p += 2;
            return true;
        }

        second = c0 - '0';
        p++;
        return IsDigit(c0);
    }

    /// <summary>
    /// The digits of <c>%f</c> after a separator at <paramref name="p"/> (at most six), 0 when there is none. The regex
    /// takes all of them or leaves the fraction out: fewer leave a digit before the word end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static int FractionDigits(ReadOnlySpan<char> s, int p, bool orComma)
    {
        var c = At(s, p);
        if (c != '.' && !(orComma && c == ','))
        {
            return 0;
        }

        var digits = 0;
        while (digits < 6 && IsDigit(At(s, p + 1 + digits)))
        {
            digits++;
        }

        return digits;
    }

    /// <summary>The translated word end after a word character: the end of the line or a character that is not one.</summary>
    private protected static bool IsWordEnd(ReadOnlySpan<char> s, int p) => p >= s.Length || !IsWord(s[p]);

    /// <summary>An ASCII word character (a scanner reads only lines whose reach is ASCII).</summary>
    private protected static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private protected static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    /// <summary>The character at <paramref name="p"/>, or <c>'\0'</c> past the end (compared with specific characters only).</summary>
    private protected static char At(ReadOnlySpan<char> s, int p) => p < s.Length ? s[p] : '\0';

    private protected static int Number(ReadOnlySpan<char> s, int p, int length)
    {
        var n = 0;
        for (var i = p; i < p + length; i++)
        {
            n = (n * 10) + (s[i] - '0');
        }

        return n;
    }
}

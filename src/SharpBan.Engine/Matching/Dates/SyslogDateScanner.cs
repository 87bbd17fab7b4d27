using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// Reads the commonest date of all, syslog's <c>Aug 14 10:22:33</c> at the start of a line, without the regex of its
/// template (<c>{^LN-BEG}</c> followed by <see cref="Pattern"/>). It gives the regex's answer: the same text, the same
/// values, and the same choice where the regex backtracks (seven digits after the seconds, a year glued to more
/// digits). A line whose first <see cref="Reach"/> characters are not all ASCII is left to the regex, whose case
/// folding and word characters reach beyond ASCII.
/// </summary>
/// <remarks>
/// The regex, as translated: <c>(?i)^(?:\W{0,2})?(?&lt;date&gt;(?:(?&lt;a&gt;mon|…|sun) )?(?&lt;b&gt;jan|…|dec)
/// (?&lt;d&gt;[1-2]\d|[0 ]?[1-9]|3[0-1])  ?(?&lt;H&gt;[0-2]?\d):(?&lt;M&gt;[0-5]?\d):(?&lt;S&gt;[0-5]?\d|6[0-1])
/// (?:\.(?&lt;f&gt;[0-9]{1,6}))?(?: (?&lt;Y&gt;%ExY))?)</c> and a word end. Most of its choices are decided by the
/// next character: a weekday is never a month's name; a one- and a two-character day, hour or minute cannot both be
/// followed by the space or colon that comes next; a shorter second or fraction leaves a digit before the word end.
/// What is left to backtracking is the fraction and the year, each tried and then left out, as the regex does.
/// </remarks>
internal sealed class SyslogDateScanner
{
    /// <summary>The template this scanner reads, after its <c>{^LN-BEG}</c>.</summary>
    public const string Pattern = @"(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?";

    /// <summary>How far the regex can look: two leading non-word characters, the longest date, one character after it.</summary>
    private const int Reach = 40;

    /// <summary>For each three-digit number, whether <c>%ExY</c> accepts years beginning with it.</summary>
    private readonly bool[] _centuries = new bool[1000];

    public SyslogDateScanner(int currentYear)
    {
        foreach (var prefix in TimeTokens.ExYearPrefixes(currentYear))
        {
            if (int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < _centuries.Length)
            {
                _centuries[n] = true;
            }
        }
    }

    /// <summary>The regex's answer for <paramref name="line"/>, or null when the line is left to the regex.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool? Scan(string line, out DateHit hit)
    {
        hit = default;
        var s = line.AsSpan();
        if (!Ascii.IsValid(s[..Math.Min(s.Length, Reach)]))
        {
            return null;
        }

        // ^(?:\W{0,2})? and a date that begins with a letter: the date begins at the first word character
        var start = 0;
        while (start < s.Length && start <= 2 && !IsWord(s[start]))
        {
            start++;
        }

        if (start > 2)
        {
            return false;
        }

        // (?:%a )?%b followed by a space
        var p = IsWeekday(s, start) && At(s, start + 3) == ' ' ? start + 4 : start;
        var month = MonthNumber(s, p);
        if (month == 0 || At(s, p + 3) != ' ')
        {
            return false;
        }

        // %d: [1-2]\d|[0 ]?[1-9]|3[0-1] followed by a space
        p += 4;
        var (c0, c1) = (At(s, p), At(s, p + 1));
        int day;
        if (c1 == ' ' && c0 is >= '1' and <= '9')
        {
            day = c0 - '0';
            p++;
        }
        else if ((c0 is '1' or '2' && IsDigit(c1)) || (c0 is '0' or ' ' && c1 is >= '1' and <= '9') || (c0 == '3' && c1 is '0' or '1'))
        {
            day = ((c0 == ' ' ? 0 : c0 - '0') * 10) + (c1 - '0');
            p += 2;
        }
        else
        {
            return false;
        }

        // %k: " ?[0-2]?\d", then %M, then %S
        if (At(s, p++) != ' ')
        {
            return false;
        }

        if (At(s, p) == ' ')
        {
            p++;
        }

        if (!Field(s, ref p, '2', out var hour) || At(s, p++) != ':' || !Field(s, ref p, '5', out var minute) || At(s, p++) != ':')
        {
            return false;
        }

        int second;
        (c0, c1) = (At(s, p), At(s, p + 1));
        if ((c0 is >= '0' and <= '5' && IsDigit(c1)) || (c0 == '6' && c1 is '0' or '1'))
        {
            second = ((c0 - '0') * 10) + (c1 - '0');
            p += 2;
        }
        else if (IsDigit(c0))
        {
            second = c0 - '0';
            p++;
        }
        else
        {
            return false;
        }

        // (?:\.%f)?: all its digits (fewer would leave a digit before the word end) or none, where the dot ends the word
        int? year = null;
        int end;
        var digits = 0;
        while (At(s, p) == '.' && digits < 6 && IsDigit(At(s, p + 1 + digits)))
        {
            digits++;
        }

        if (digits > 0 && YearAndEnd(s, p + 1 + digits, out year, out end))
        {
            // the fraction (which the time ignores) and maybe a year
        }
        else if (!YearAndEnd(s, p, out year, out end))
        {
            return false;
        }

        hit = new DateHit(0, end, start, end, new StrptimeFields
        {
            Year = year,
            Month = month,
            Day = day,
            Hour = hour,
            Minute = minute,
            Second = second,
        });
        return true;
    }

    /// <summary><c>[0-last]?\d</c>: two digits when the first may lead, else one (the caller checks what follows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Field(ReadOnlySpan<char> s, ref int p, char last, out int value)
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

    /// <summary><c>(?: %ExY)?</c> and the word end: with the year first, then without.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool YearAndEnd(ReadOnlySpan<char> s, int p, out int? year, out int end)
    {
        if (At(s, p) == ' ' && IsDigit(At(s, p + 1)) && IsDigit(At(s, p + 2)) && IsDigit(At(s, p + 3)) && IsDigit(At(s, p + 4))
            && _centuries[((s[p + 1] - '0') * 100) + ((s[p + 2] - '0') * 10) + (s[p + 3] - '0')] && IsWordEnd(s, p + 5))
        {
            year = ((s[p + 1] - '0') * 1000) + ((s[p + 2] - '0') * 100) + ((s[p + 3] - '0') * 10) + (s[p + 4] - '0');
            end = p + 5;
            return true;
        }

        year = null;
        end = p;
        return IsWordEnd(s, p);
    }

    /// <summary>The translated word end after a digit: the end of the line or a character that is not a word character.</summary>
    private static bool IsWordEnd(ReadOnlySpan<char> s, int p) => p >= s.Length || !IsWord(s[p]);

    /// <summary>An ASCII word character (the scanner reads only lines whose reach is ASCII).</summary>
    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static char At(ReadOnlySpan<char> s, int p) => p < s.Length ? s[p] : '\0';

    private static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    /// <summary>Three letters, lower-cased (ASCII: <c>| 0x20</c> turns only letters into lower-case letters).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Key(ReadOnlySpan<char> s, int p) =>
        p + 3 <= s.Length ? ((s[p] | 0x20) << 16) | ((s[p + 1] | 0x20) << 8) | (s[p + 2] | 0x20) : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWeekday(ReadOnlySpan<char> s, int p) => Key(s, p) switch
    {
        ('m' << 16) | ('o' << 8) | 'n' => true,
        ('t' << 16) | ('u' << 8) | 'e' => true,
        ('w' << 16) | ('e' << 8) | 'd' => true,
        ('t' << 16) | ('h' << 8) | 'u' => true,
        ('f' << 16) | ('r' << 8) | 'i' => true,
        ('s' << 16) | ('a' << 8) | 't' => true,
        ('s' << 16) | ('u' << 8) | 'n' => true,
        _ => false,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MonthNumber(ReadOnlySpan<char> s, int p) => Key(s, p) switch
    {
        ('j' << 16) | ('a' << 8) | 'n' => 1,
        ('f' << 16) | ('e' << 8) | 'b' => 2,
        ('m' << 16) | ('a' << 8) | 'r' => 3,
        ('a' << 16) | ('p' << 8) | 'r' => 4,
        ('m' << 16) | ('a' << 8) | 'y' => 5,
        ('j' << 16) | ('u' << 8) | 'n' => 6,
        ('j' << 16) | ('u' << 8) | 'l' => 7,
        ('a' << 16) | ('u' << 8) | 'g' => 8,
        ('s' << 16) | ('e' << 8) | 'p' => 9,
        ('o' << 16) | ('c' << 8) | 't' => 10,
        ('n' << 16) | ('o' << 8) | 'v' => 11,
        ('d' << 16) | ('e' << 8) | 'c' => 12,
        _ => 0,
    };
}

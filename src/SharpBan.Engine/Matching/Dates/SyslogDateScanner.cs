using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// Reads the commonest date of all, syslog's <c>Aug 14 10:22:33</c> at the start of a line, without the regex of its
/// template (<c>{^LN-BEG}</c> followed by <see cref="Pattern"/>). It gives the regex's answer: the same text, the same
/// values, and the same choice where the regex backtracks (a day of <c>1</c> or <c>12</c>, seven digits after the
/// seconds, a year glued to more digits). A line whose first <see cref="Reach"/> characters are not all ASCII is
/// left to the regex, whose case folding and word characters reach beyond ASCII.
/// </summary>
/// <remarks>
/// The regex, as translated: <c>(?i)^(?:\W{0,2})?(?&lt;date&gt;(?:(?&lt;a&gt;mon|…|sun) )?(?&lt;b&gt;jan|…|dec)
/// (?&lt;d&gt;[1-2]\d|[0 ]?[1-9]|3[0-1])  ?(?&lt;H&gt;[0-2]?\d):(?&lt;M&gt;[0-5]?\d):(?&lt;S&gt;[0-5]?\d|6[0-1])
/// (?:\.(?&lt;f&gt;[0-9]{1,6}))?(?: (?&lt;Y&gt;%ExY))?)</c> and a word end. Each step below tries its alternatives
/// in the regex's order and hands on to the next; the first path that reaches a word end wins.
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

        var found = default(Found);
        if (start > 2 || !WeekdayThenMonth(s, start, ref found))
        {
            return false;
        }

        hit = new DateHit(0, found.End, start, found.End, new StrptimeFields
        {
            Year = found.Year,
            Month = found.Month,
            Day = found.Day,
            Hour = found.Hour,
            Minute = found.Minute,
            Second = found.Second,
        });
        return true;
    }

    /// <summary><c>(?:%a )?%b </c>: with the weekday first, then without.</summary>
    private bool WeekdayThenMonth(ReadOnlySpan<char> s, int p, ref Found f) =>
        (IsWeekday(s, p) && At(s, p + 3) == ' ' && Month(s, p + 4, ref f)) || Month(s, p, ref f);

    private bool Month(ReadOnlySpan<char> s, int p, ref Found f)
    {
        f.Month = MonthNumber(s, p);
        return f.Month > 0 && At(s, p + 3) == ' ' && Day(s, p + 4, ref f);
    }

    /// <summary><c>[1-2]\d|[0 ]?[1-9]|3[0-1]</c>, then a space.</summary>
    private bool Day(ReadOnlySpan<char> s, int p, ref Found f)
    {
        var c0 = At(s, p);
        var c1 = At(s, p + 1);
        return (c0 is '1' or '2' && char.IsAsciiDigit(c1) && DayOf(s, p, 2, ref f))
            || (c0 is '0' or ' ' && c1 is >= '1' and <= '9' && DayOf(s, p, 2, ref f))
            || (c0 is >= '1' and <= '9' && DayOf(s, p, 1, ref f))
            || (c0 == '3' && c1 is '0' or '1' && DayOf(s, p, 2, ref f));
    }

    private bool DayOf(ReadOnlySpan<char> s, int p, int length, ref Found f)
    {
        f.Day = length == 1 ? s[p] - '0' : (Digit(s[p]) * 10) + (s[p + 1] - '0');
        return At(s, p + length) == ' ' && Hour(s, p + length + 1, ref f);
    }

    /// <summary><c>%k</c>: <c> ?[0-2]?\d</c>, then a colon.</summary>
    private bool Hour(ReadOnlySpan<char> s, int p, ref Found f) =>
        (At(s, p) == ' ' && HourDigits(s, p + 1, ref f)) || HourDigits(s, p, ref f);

    private bool HourDigits(ReadOnlySpan<char> s, int p, ref Found f) =>
        (At(s, p) is >= '0' and <= '2' && char.IsAsciiDigit(At(s, p + 1)) && HourOf(s, p, 2, ref f))
        || (char.IsAsciiDigit(At(s, p)) && HourOf(s, p, 1, ref f));

    private bool HourOf(ReadOnlySpan<char> s, int p, int length, ref Found f)
    {
        f.Hour = Number(s, p, length);
        return At(s, p + length) == ':' && Minute(s, p + length + 1, ref f);
    }

    /// <summary><c>[0-5]?\d</c>, then a colon.</summary>
    private bool Minute(ReadOnlySpan<char> s, int p, ref Found f) =>
        (At(s, p) is >= '0' and <= '5' && char.IsAsciiDigit(At(s, p + 1)) && MinuteOf(s, p, 2, ref f))
        || (char.IsAsciiDigit(At(s, p)) && MinuteOf(s, p, 1, ref f));

    private bool MinuteOf(ReadOnlySpan<char> s, int p, int length, ref Found f)
    {
        f.Minute = Number(s, p, length);
        return At(s, p + length) == ':' && Second(s, p + length + 1, ref f);
    }

    /// <summary><c>[0-5]?\d|6[0-1]</c>.</summary>
    private bool Second(ReadOnlySpan<char> s, int p, ref Found f)
    {
        var c0 = At(s, p);
        var c1 = At(s, p + 1);
        return (c0 is >= '0' and <= '5' && char.IsAsciiDigit(c1) && SecondOf(s, p, 2, ref f))
            || (char.IsAsciiDigit(c0) && SecondOf(s, p, 1, ref f))
            || (c0 == '6' && c1 is '0' or '1' && SecondOf(s, p, 2, ref f));
    }

    private bool SecondOf(ReadOnlySpan<char> s, int p, int length, ref Found f)
    {
        f.Second = Number(s, p, length);
        return Fraction(s, p + length, ref f);
    }

    /// <summary><c>(?:\.[0-9]{1,6})?</c>: the most digits first, down to one, then none.</summary>
    private bool Fraction(ReadOnlySpan<char> s, int p, ref Found f)
    {
        if (At(s, p) == '.')
        {
            var digits = 0;
            while (digits < 6 && char.IsAsciiDigit(At(s, p + 1 + digits)))
            {
                digits++;
            }

            for (; digits > 0; digits--)
            {
                if (Year(s, p + 1 + digits, ref f))
                {
                    return true;
                }
            }
        }

        return Year(s, p, ref f);
    }

    /// <summary><c>(?: %ExY)?</c>, then the word end.</summary>
    private bool Year(ReadOnlySpan<char> s, int p, ref Found f)
    {
        if (At(s, p) == ' ' && char.IsAsciiDigit(At(s, p + 1)) && char.IsAsciiDigit(At(s, p + 2))
            && char.IsAsciiDigit(At(s, p + 3)) && char.IsAsciiDigit(At(s, p + 4))
            && _centuries[Number(s, p + 1, 3)] && IsWordEnd(s, p + 5))
        {
            f.Year = Number(s, p + 1, 4);
            f.End = p + 5;
            return true;
        }

        f.End = p; // the year is set only on the path that ends the date
        return IsWordEnd(s, p);
    }

    /// <summary>The translated word end after a digit: the end of the line or a character that is not a word character.</summary>
    private static bool IsWordEnd(ReadOnlySpan<char> s, int p) => p >= s.Length || !IsWord(s[p]);

    /// <summary>An ASCII word character (the scanner reads only lines whose reach is ASCII).</summary>
    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static char At(ReadOnlySpan<char> s, int p) => p < s.Length ? s[p] : '\0';

    /// <summary>A digit's value, 0 for the space of a day written <c> 5</c>.</summary>
    private static int Digit(char c) => c == ' ' ? 0 : c - '0';

    private static int Number(ReadOnlySpan<char> s, int p, int length)
    {
        var n = 0;
        for (var i = p; i < p + length; i++)
        {
            n = (n * 10) + (s[i] - '0');
        }

        return n;
    }

    /// <summary>Three letters, lower-cased (ASCII: <c>| 0x20</c> turns only letters into lower-case letters).</summary>
    private static int Key(ReadOnlySpan<char> s, int p) =>
        p + 3 <= s.Length ? ((s[p] | 0x20) << 16) | ((s[p + 1] | 0x20) << 8) | (s[p + 2] | 0x20) : 0;

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

    /// <summary>The values along the path being tried (a step overwrites its own on the next alternative).</summary>
    private struct Found
    {
        public int Month;
        public int Day;
        public int Hour;
        public int Minute;
        public int Second;
        public int? Year;
        public int End;
    }
}

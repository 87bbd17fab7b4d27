using System.Runtime.CompilerServices;
using System.Text;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// Reads the commonest date of all, syslog's <c>Aug 14 10:22:33</c> at the start of a line, without the regex of its
/// template (<c>{^LN-BEG}</c> followed by <see cref="Pattern"/>), with the regex's answers (see <see cref="DateScanner"/>).
/// </summary>
/// <remarks>
/// The regex, as translated: <c>(?i)^(?:\W{0,2})?(?&lt;date&gt;(?:(?&lt;a&gt;mon|…|sun) )?(?&lt;b&gt;jan|…|dec)
/// (?&lt;d&gt;[1-2]\d|[0 ]?[1-9]|3[0-1])  ?(?&lt;H&gt;[0-2]?\d):(?&lt;M&gt;[0-5]?\d):(?&lt;S&gt;[0-5]?\d|6[0-1])
/// (?:\.(?&lt;f&gt;[0-9]{1,6}))?(?: (?&lt;Y&gt;%ExY))?)</c> and a word end. Most of its choices are decided by the
/// next character: a weekday is never a month's name; a one- and a two-character day, hour or minute cannot both be
/// followed by the space or colon that comes next; a shorter second or fraction leaves a digit before the word end.
/// What is left to backtracking is the fraction and the year, each tried and then left out, as the regex does.
/// </remarks>
internal sealed class SyslogDateScanner(int currentYear) : DateScanner(currentYear)
{
    /// <summary>The template this scanner reads, after its <c>{^LN-BEG}</c> (one of <see cref="DateTemplateCache.DefaultPatterns"/>).</summary>
    public const string Pattern = @"(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool? Scan(string line, out DateHit hit)
    {
        hit = default;
        var s = line.AsSpan();
        if (!Ascii.IsValid(s[..Math.Min(s.Length, Reach)]))
        {
            return null;
        }

        if (!TryStart(s, out var start))
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

        // %d followed by a space, then %k (" ?[0-2]?\d"), %M and %S
        p += 4;
        if (!Day(s, ref p, out var day) || At(s, p++) != ' ')
        {
            return false;
        }

        if (At(s, p) == ' ')
        {
            p++;
        }

        if (!Field(s, ref p, '2', out var hour) || At(s, p++) != ':' || !Field(s, ref p, '5', out var minute) || At(s, p++) != ':'
            || !Second(s, ref p, out var second))
        {
            return false;
        }

        // (?:\.%f)?(?: %ExY)?: the fraction with all its digits, else none (where the dot ends the word)
        var digits = FractionDigits(s, p, orComma: false);
        if ((digits == 0 || !YearAndEnd(s, p + 1 + digits, out var year, out var end)) && !YearAndEnd(s, p, out year, out end))
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

    /// <summary><c>(?: %ExY)?</c> and the word end: with the year first, then without.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool YearAndEnd(ReadOnlySpan<char> s, int p, out int? year, out int end)
    {
        if (At(s, p) == ' ' && IsExYear(s, p + 1, out var y) && IsWordEnd(s, p + 5))
        {
            year = y;
            end = p + 5;
            return true;
        }

        year = null;
        end = p;
        return IsWordEnd(s, p);
    }

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

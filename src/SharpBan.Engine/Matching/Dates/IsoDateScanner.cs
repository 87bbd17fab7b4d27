using System.Runtime.CompilerServices;
using System.Text;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// Reads an ISO-like date at the start of a line (<c>2005-08-14T10:22:33.123+02:00</c>, nginx's
/// <c>2005/08/14 10:22:33</c>, Python logging's <c>2005-08-14 10:22:33,123</c>) without the regex of its template
/// (<c>{^LN-BEG}</c> followed by <see cref="Pattern"/>), with the regex's answers (see <see cref="DateScanner"/>).
/// </summary>
/// <remarks>
/// The regex, as translated (case-sensitive): <c>^(?:\W{0,2})?(?&lt;date&gt;(?&lt;Y&gt;%ExY)(?&lt;_sep&gt;[-/.])
/// (?&lt;m&gt;0?[1-9]|1[0-2])\k&lt;_sep&gt;(?&lt;d&gt;[1-2]\d|[0 ]?[1-9]|3[0-1])(?:T|  ?)(?&lt;H&gt;[0-1]?\d|2[0-3]):
/// (?&lt;M&gt;[0-5]?\d):(?&lt;S&gt;[0-5]?\d|6[0-1])(?:[.,](?&lt;f&gt;[0-9]{1,6}))?(?:\s*(?&lt;z&gt;Z|UTC|GMT|[+-][01]\d(?::?\d{2})?))?)</c>
/// and a word end. As in <see cref="SyslogDateScanner"/>, the next character decides every choice up to the seconds.
/// The fraction is taken with all its digits or left out; the zone is tried after all the white space before it (a
/// zone never begins with white space), in the regex's order (<c>Z</c>, <c>UTC</c>, <c>GMT</c>, <c>±hh:mm</c>,
/// <c>±hhmm</c>, <c>±hh</c>), each only if the word ends after it, and then left out.
/// </remarks>
internal sealed class IsoDateScanner(int currentYear) : DateScanner(currentYear)
{
    /// <summary>The template this scanner reads, after its <c>{^LN-BEG}</c> (one of <see cref="DateTemplateCache.DefaultPatterns"/>).</summary>
    public const string Pattern = @"%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\s*%z)?";

    /// <summary>The last position a zone may begin at and still lie, with the character after it, within the reach.</summary>
    private const int LastZoneStart = Reach - 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool? Scan(string line, out DateHit hit)
    {
        hit = default;
        var s = line.AsSpan();
        if (!Ascii.IsValid(s[..Math.Min(s.Length, Reach)]))
        {
            return null;
        }

        if (!TryStart(s, out var start) || !IsExYear(s, start, out var year))
        {
            return false;
        }

        // the separator, %m (0?[1-9]|1[0-2]) and the same separator again
        var p = start + 4;
        var separator = At(s, p++);
        if (separator is not ('-' or '/' or '.'))
        {
            return false;
        }

        var (c0, c1) = (At(s, p), At(s, p + 1));
        int month;
        if (c0 == '0' && c1 is >= '1' and <= '9')
        {
            month = c1 - '0';
            p += 2;
        }
        else if (c0 is >= '1' and <= '9' && c1 == separator)
        {
            month = c0 - '0';
            p++;
        }
        else if (c0 == '1' && c1 is >= '0' and <= '2')
        {
            month = 10 + (c1 - '0');
            p += 2;
        }
        else
        {
            return false;
        }

        if (At(s, p++) != separator || !Day(s, ref p, out var day))
        {
            return false;
        }

        // (?:T|  ?)
        var between = At(s, p++);
        if (between == ' ' && At(s, p) == ' ')
        {
            p++;
        }
        else if (between != 'T' && between != ' ')
        {
            return false;
        }

        // %H ([0-1]?\d|2[0-3]), %M and %S
        (c0, c1) = (At(s, p), At(s, p + 1));
        int hour;
        if (c0 is '0' or '1' && IsDigit(c1))
        {
            hour = ((c0 - '0') * 10) + (c1 - '0');
            p += 2;
        }
        else if (IsDigit(c0) && c1 == ':')
        {
            hour = c0 - '0';
            p++;
        }
        else if (c0 == '2' && c1 is >= '0' and <= '3')
        {
            hour = 20 + (c1 - '0');
            p += 2;
        }
        else
        {
            return false;
        }

        if (At(s, p++) != ':' || !Field(s, ref p, '5', out var minute) || At(s, p++) != ':' || !Second(s, ref p, out var second))
        {
            return false;
        }

        // (?:[.,]%f)?(?:\s*%z)?: the fraction with all its digits, else none (where its separator ends the word)
        var digits = FractionDigits(s, p, orComma: true);
        int? zone = null;
        var end = 0;
        var found = digits > 0 ? ZoneAndEnd(s, p + 1 + digits, out zone, out end) : false;
        if (found == false)
        {
            found = ZoneAndEnd(s, p, out zone, out end);
        }

        if (found != true)
        {
            return found;
        }

        hit = new DateHit(0, end, start, end, new StrptimeFields
        {
            Year = year,
            Month = month,
            Day = day,
            Hour = hour,
            Minute = minute,
            Second = second,
            ZoneOffset = zone,
        });
        return true;
    }

    /// <summary>
    /// <c>(?:\s*%z)?</c> and the word end: the zone after all the white space, else no zone and the word end at
    /// <paramref name="p"/>. Null when the zone would lie beyond the reach (the line is left to the regex).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool? ZoneAndEnd(ReadOnlySpan<char> s, int p, out int? zone, out int end)
    {
        var q = p;
        while (q < s.Length && IsSpace(s[q]))
        {
            q++;
        }

        if (q > LastZoneStart)
        {
            (zone, end) = (null, 0);
            return null;
        }

        var c = At(s, q);
        if (c == 'Z' && IsWordEnd(s, q + 1))
        {
            (zone, end) = (0, q + 1);
            return true;
        }

        if (((c == 'U' && At(s, q + 1) == 'T' && At(s, q + 2) == 'C') || (c == 'G' && At(s, q + 1) == 'M' && At(s, q + 2) == 'T'))
            && IsWordEnd(s, q + 3))
        {
            (zone, end) = (0, q + 3);
            return true;
        }

        if (c is '+' or '-' && At(s, q + 1) is '0' or '1' && IsDigit(At(s, q + 2)))
        {
            var sign = c == '-' ? -1 : 1;
            var hours = Number(s, q + 1, 2);
            if (At(s, q + 3) == ':' && IsDigit(At(s, q + 4)) && IsDigit(At(s, q + 5)) && IsWordEnd(s, q + 6))
            {
                (zone, end) = (sign * ((hours * 60) + Number(s, q + 4, 2)), q + 6);
                return true;
            }

            if (IsDigit(At(s, q + 3)) && IsDigit(At(s, q + 4)) && IsWordEnd(s, q + 5))
            {
                (zone, end) = (sign * ((hours * 60) + Number(s, q + 3, 2)), q + 5);
                return true;
            }

            if (IsWordEnd(s, q + 3))
            {
                (zone, end) = (sign * hours * 60, q + 3);
                return true;
            }
        }

        (zone, end) = (null, p);
        return IsWordEnd(s, p);
    }

    /// <summary>The translated <c>\s</c> within ASCII: .NET's white space and Python's separators U+001C–U+001F.</summary>
    private static bool IsSpace(char c) => c is ' ' or (>= '\t' and <= '\r') or (>= '\x1c' and <= '\x1f');
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Runtime.CompilerServices;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>Turns the named groups of a matched date pattern into Unix seconds (fail2ban's strptime rules).</summary>
internal static class StrptimeConverter
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] FullMonths = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <summary>The strptime field letters a date pattern may capture, in the order of <see cref="FieldGroups"/>.</summary>
    private const string FieldLetters = "yYmBbdHIpMSjzZ";

    /// <summary>For each letter of <see cref="FieldLetters"/>, its group number in <paramref name="regex"/> (-1 when absent), then the pattern order of the value fields.</summary>
    public static int[] FieldGroups(System.Text.RegularExpressions.Regex regex)
    {
        // one group number per field letter, then the fields that set the same value (year, month, day, hour) as
        // indexes into FieldLetters in the order of their groups in the pattern (-1 after the last): Python applies
        // them in that order, so with both %Y and %y the later one wins
        int[] groups = [.. FieldLetters.Select(c => regex.GroupNumberFromName(c.ToString()))];
        var order = OrderedFields.Select(c => FieldLetters.IndexOf(c, StringComparison.Ordinal)).Where(i => groups[i] >= 0).OrderBy(i => groups[i]).ToList();
        return [.. groups, .. order, .. Enumerable.Repeat(-1, OrderedFields.Length - order.Count)];
    }

    /// <summary>The fields applied in pattern order (see <see cref="FieldGroups"/>).</summary>
    private const string OrderedFields = "yYmBbdHI";

    /// <summary>Whether the match carries a zone (<c>%z</c> or <c>%Z</c>), which gives the date a fixed offset.</summary>
    public static bool HasZone(Match match, int[] fieldGroups, bool denseGroups)
    {
        var fields = new Fields(match, fieldGroups, denseGroups);
        return fields.TryGet('z', out _) || fields.TryGet('Z', out _);
    }

    /// <summary>Returns false for values that do not form a valid date (Python raised <c>ValueError</c>).</summary>
    /// <param name="match">A match of the date pattern.</param>
    /// <param name="fieldGroups">From <see cref="FieldGroups"/> for the pattern's regex.</param>
    /// <param name="denseGroups">The regex's <see cref="PyRegex.DenseGroups"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryConvert(Match match, int[] fieldGroups, bool denseGroups, int? defaultOffsetMinutes, DateClock clock, out double unix)
    {
        unix = 0;
        return TryRead(match, fieldGroups, denseGroups, out var values) && TryConvert(values, defaultOffsetMinutes, clock, out unix);
    }

    /// <summary>The field values of a match; false for a zone that is not one (Python raised <c>ValueError</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRead(Match match, int[] fieldGroups, bool denseGroups, out StrptimeFields values)
    {
        var fields = new Fields(match, fieldGroups, denseGroups);
        values = default;
        int? year = null, month = null, day = null, tzOffset = null, julian = null;
        int hour = 0, minute = 0, second = 0;

        // fields that set the same value are applied in the order of their groups in the pattern, as Python walks
        // the match's group dict: with both %Y and %y (or %m and %b, %H and %I) the later one wins
        for (var k = FieldLetters.Length; k < fieldGroups.Length && fieldGroups[k] >= 0; k++)
        {
            var letter = FieldLetters[fieldGroups[k]];
            if (!fields.TryGet(letter, out var v))
            {
                continue;
            }

            switch (letter)
            {
                case 'y':
                    year = int.Parse(v, CultureInfo.InvariantCulture);
                    if (year <= 2000)
                    {
                        year += 2000;
                    }

                    break;
                case 'Y':
                    year = int.Parse(v, CultureInfo.InvariantCulture);
                    break;
                case 'm':
                    month = int.Parse(v, CultureInfo.InvariantCulture);
                    break;
                case 'B':
                    month = MonthNumber(FullMonths, v);
                    break;
                case 'b':
                    month = MonthNumber(Months, v);
                    break;
                case 'd':
                    day = int.Parse(v, CultureInfo.InvariantCulture);
                    break;
                case 'H':
                    hour = int.Parse(v, CultureInfo.InvariantCulture);
                    break;
                default:
                    hour = int.Parse(v, CultureInfo.InvariantCulture);
                    var ampm = fields.TryGet('p', out var p) ? p.ToString().ToLowerInvariant() : "";
                    if (ampm is "" or "am")
                    {
                        if (hour == 12)
                        {
                            hour = 0;
                        }
                    }
                    else if (ampm == "pm" && hour != 12)
                    {
                        hour += 12;
                    }

                    break;
            }
        }

        if (fields.TryGet('M', out var min))
        {
            minute = int.Parse(min, CultureInfo.InvariantCulture);
        }

        if (fields.TryGet('S', out var sec))
        {
            second = int.Parse(sec, CultureInfo.InvariantCulture);
        }

        if (fields.TryGet('j', out var j))
        {
            julian = int.Parse(j, CultureInfo.InvariantCulture);
        }

        foreach (var zoneKey in "zZ")
        {
            if (fields.TryGet(zoneKey, out var zSpan))
            {
                var z = zSpan.ToString();
                if (z is "Z" or "UTC" or "GMT")
                {
                    tzOffset = 0;
                }
                else if (TimeZoneOffsets.TryParse(z, out var off))
                {
                    tzOffset = off;
                }
                else
                {
                    return false;
                }
            }
        }

        values = new StrptimeFields
        {
            Year = year,
            Month = month,
            Day = day,
            Julian = julian,
            Hour = hour,
            Minute = minute,
            Second = second,
            ZoneOffset = tzOffset,
        };
        return true;
    }

    /// <summary>Unix seconds of read field values; false for values that do not form a valid date (Python raised <c>ValueError</c>).</summary>
    /// <remarks>A missing year is guessed from "now" (the last year when the date would be more than a day ahead), a missing day is today.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryConvert(in StrptimeFields values, int? defaultOffsetMinutes, DateClock clock, out double unix)
    {
        unix = 0;
        var (year, month, day, julian, tzOffset) = (values.Year, values.Month, values.Day, values.Julian, values.ZoneOffset);
        var (hour, minute, second) = (values.Hour, values.Minute, values.Second);
        DateTime? now = null;
        var assumeYear = false;
        if (year is null)
        {
            now ??= clock.LocalNow();
            year = now.Value.Year;
            assumeYear = true;
        }

        if ((month is null || day is null) && julian is not null)
        {
            var dt = new DateTime(year.Value, 1, 1).AddDays(julian.Value - 1);
            year = dt.Year;
            month = dt.Month;
            day = dt.Day;
        }

        var assumeToday = false;
        if (month is null && day is null)
        {
            now ??= clock.LocalNow();
            month = now.Value.Month;
            day = now.Value.Day;
            assumeToday = true;
        }

        if (month is null or < 1 or > 12 || day is null || year is < 1 or > 9999
            || day < 1 || day > DateTime.DaysInMonth(year.Value, month.Value) || hour > 23 || minute > 59 || second > 61)
        {
            return false;
        }

        // second 60/61 (leap): Python's datetime rejects it
        if (second > 59)
        {
            return false;
        }

        var result = new DateTime(year.Value, month.Value, day.Value, hour, minute, second, DateTimeKind.Unspecified);
        tzOffset ??= defaultOffsetMinutes;
        if (tzOffset is not null)
        {
            result = result.AddMinutes(-tzOffset.Value);
        }

        if (assumeToday)
        {
            now ??= clock.LocalNow();
            if (result > now)
            {
                result = result.AddDays(-1);
            }
        }

        if (assumeYear)
        {
            now ??= clock.LocalNow();
            if (result > now.Value.AddDays(1))
            {
                if (month == 2 && day == 29 && !DateTime.IsLeapYear(year.Value - 1))
                {
                    return false;
                }

                result = new DateTime(year.Value - 1, month.Value, day.Value, result.Hour, result.Minute, result.Second, DateTimeKind.Unspecified);
            }
        }

        unix = tzOffset is not null
            ? new DateTimeOffset(result, TimeSpan.Zero).ToUnixTimeSeconds()
            : clock.ToUnix(result);
        return true;
    }

    /// <summary>1-based index of <paramref name="name"/> (lower-cased invariantly) in <paramref name="names"/>; 0 when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MonthNumber(string[] names, ReadOnlySpan<char> name)
    {
        if (!Ascii.IsValid(name))
        {
            return Array.IndexOf(names, name.ToString().ToLowerInvariant()) + 1;
        }

        for (var k = 0; k < names.Length; k++)
        {
            if (Ascii.EqualsIgnoreCase(name, names[k]))
            {
                return k + 1;
            }
        }

        return 0;
    }

    /// <summary>The captured strptime fields of one match, read without allocating.</summary>
    private readonly ref struct Fields(Match match, int[] groups, bool dense)
    {
        private readonly Match _match = match;
        private readonly int[] _groups = groups;
        private readonly bool _dense = dense;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryGet(char letter, out ReadOnlySpan<char> value)
        {
            var n = _groups[FieldLetters.IndexOf(letter, StringComparison.Ordinal)];
            if (n < 0)
            {
                value = default;
                return false;
            }

            value = MatchGroups.Span(_match, n, _dense, out var success);
            return success;
        }
    }
}

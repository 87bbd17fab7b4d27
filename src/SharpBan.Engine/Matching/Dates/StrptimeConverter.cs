using System.Globalization;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>Turns the named groups of a matched date pattern into Unix seconds (fail2ban's strptime rules).</summary>
internal static class StrptimeConverter
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] FullMonths = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <summary>Returns false for values that do not form a valid date (Python raised <c>ValueError</c>).</summary>
    public static bool TryConvert(Func<string, string?> group, int? defaultOffsetMinutes, DateClock clock, out double unix)
    {
        unix = 0;
        int? year = null, month = null, day = null, tzOffset = null, julian = null;
        int hour = 0, minute = 0, second = 0;

        if (group("y") is { } y2)
        {
            year = int.Parse(y2, CultureInfo.InvariantCulture);
            if (year <= 2000)
            {
                year += 2000;
            }
        }

        if (group("Y") is { } y4)
        {
            year = int.Parse(y4, CultureInfo.InvariantCulture);
        }

        if (group("m") is { } m)
        {
            month = int.Parse(m, CultureInfo.InvariantCulture);
        }

        if (group("B") is { } fullMonth)
        {
            month = Array.IndexOf(FullMonths, fullMonth.ToLowerInvariant()) + 1;
        }

        if (group("b") is { } shortMonth)
        {
            month = Array.IndexOf(Months, shortMonth.ToLowerInvariant()) + 1;
        }

        if (group("d") is { } d)
        {
            day = int.Parse(d, CultureInfo.InvariantCulture);
        }

        if (group("H") is { } h)
        {
            hour = int.Parse(h, CultureInfo.InvariantCulture);
        }

        if (group("I") is { } i)
        {
            hour = int.Parse(i, CultureInfo.InvariantCulture);
            var ampm = (group("p") ?? "").ToLowerInvariant();
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
        }

        if (group("M") is { } min)
        {
            minute = int.Parse(min, CultureInfo.InvariantCulture);
        }

        if (group("S") is { } sec)
        {
            second = int.Parse(sec, CultureInfo.InvariantCulture);
        }

        if (group("j") is { } j)
        {
            julian = int.Parse(j, CultureInfo.InvariantCulture);
        }

        foreach (var zoneKey in (ReadOnlySpan<string>)["z", "Z"])
        {
            if (group(zoneKey) is { } z)
            {
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
}

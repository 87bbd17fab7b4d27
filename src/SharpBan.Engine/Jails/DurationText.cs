using System.Globalization;
using System.Text;

namespace SharpBan.Engine.Jails;

/// <summary>
/// A number of seconds as fail2ban writes a ban time in its log (<c>Increase Ban … (2 # 1d 2h -> …)</c>, <c>IP … is
/// bad</c>): at most three groups, rounded to the precision the size calls for (a day from a year on, an hour from a
/// week, a minute from a day, ten seconds from an hour less five seconds), "0" for nothing.
/// </summary>
internal static class DurationText
{
    public static string Of(long seconds)
    {
        var s = seconds;
        var text = new StringBuilder();
        void Add(long value, string unit) => text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit).Append(' ');
        if (s >= 31_536_000)
        {
            s = Round(s, 86_400);
            Add(s / 365, "y");
            s %= 365;
            if (s >= 7)
            {
                Add(s / 7, "w");
                s %= 7;
            }

            if (s != 0)
            {
                Add(s, "d");
            }
        }
        else if (s >= 604_800)
        {
            s = Round(s, 3_600);
            Add(s / 168, "w");
            s %= 168;
            if (s >= 24)
            {
                Add(s / 24, "d");
                s %= 24;
            }

            if (s != 0)
            {
                Add(s, "h");
            }
        }
        else if (s >= 86_400)
        {
            s = Round(s, 60);
            Add(s / 1_440, "d");
            s %= 1_440;
            if (s >= 60)
            {
                Add(s / 60, "h");
                s %= 60;
            }

            if (s != 0)
            {
                Add(s, "m");
            }
        }
        else if (s >= 3_595)
        {
            s = Round(s, 10);
            Add(s / 360, "h");
            s %= 360;
            if (s >= 6)
            {
                Add(s / 6, "m");
            }
        }
        else
        {
            if (s >= 60)
            {
                Add(s / 60, "m");
                s %= 60;
            }

            if (s != 0)
            {
                Add(s, "s");
            }
            else if (seconds == 0)
            {
                text.Append("0 ");
            }
        }

        return text.Length == 0 ? "" : text.ToString(0, text.Length - 1);
    }

    /// <summary>Python's <c>int(round(s / unit))</c>: halves to the even neighbour.</summary>
    private static long Round(long s, long unit) => (long)Math.Round((double)s / unit, MidpointRounding.ToEven);
}

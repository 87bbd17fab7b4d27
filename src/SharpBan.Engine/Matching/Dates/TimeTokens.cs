using System.Globalization;
using System.Text;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// The strptime-like <c>%</c> tokens of date patterns: each maps to a Python-syntax regex fragment with a named group
/// (the group name is the strptime field letter) and to a human-readable name used in template names.
/// </summary>
internal static class TimeTokens
{
    private const string Months = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec";
    private const string FullMonths = "september|february|november|december|january|october|august|march|april|june|july|may";
    private const string Days = "mon|tue|wed|thu|fri|sat|sun";
    private const string FullDays = "wednesday|thursday|saturday|tuesday|monday|friday|sunday";
    private const string ZoneAbbr = "[A-Z](?:[A-Z]{2,4})?";

    private static readonly Dictionary<string, string> Fixed = new(StringComparer.Ordinal)
    {
        ["%"] = "%",
        ["a"] = $"(?P<a>{Days})",
        ["A"] = $"(?P<A>{FullDays})",
        ["b"] = $"(?P<b>{Months})",
        ["B"] = $"(?P<B>{FullMonths})",
        ["c"] = $@"(?P<a>{Days})\s+(?P<b>{Months})\s+(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])\s+(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d):(?P<S>6[0-1]|[0-5]\d|\d)\s+(?P<Y>\d\d\d\d)",
        ["d"] = @"(?P<d>[1-2]\d|[0 ]?[1-9]|3[0-1])",
        ["f"] = "(?P<f>[0-9]{1,6})",
        ["G"] = @"(?P<G>\d\d\d\d)",
        ["H"] = @"(?P<H>[0-1]?\d|2[0-3])",
        ["I"] = "(?P<I>1[0-2]|0[1-9]|[1-9])",
        ["j"] = @"(?P<j>36[0-6]|3[0-5]\d|[1-2]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])",
        ["k"] = @" ?(?P<H>[0-2]?\d)",
        ["l"] = @" ?(?P<I>1?\d)",
        ["m"] = "(?P<m>0?[1-9]|1[0-2])",
        ["M"] = @"(?P<M>[0-5]?\d)",
        ["p"] = "(?P<p>am|pm)",
        ["S"] = @"(?P<S>[0-5]?\d|6[0-1])",
        ["u"] = "(?P<u>[1-7])",
        ["U"] = @"(?P<U>5[0-3]|[0-4]\d|\d)",
        ["V"] = @"(?P<V>5[0-3]|0[1-9]|[1-4]\d|\d)",
        ["w"] = "(?P<w>[0-6])",
        ["W"] = @"(?P<W>5[0-3]|[0-4]\d|\d)",
        ["x"] = @"(?P<m>1[0-2]|0[1-9]|[1-9])/(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])/(?P<y>\d\d)",
        ["X"] = @"(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d):(?P<S>6[0-1]|[0-5]\d|\d)",
        ["y"] = @"(?P<y>\d\d)",
        ["Y"] = @"(?P<Y>\d{4})",
        ["z"] = @"(?P<z>Z|UTC|GMT|[+-][01]\d(?::?\d{2})?)",
        ["Z"] = "(?P<Z>Z|[A-Z]{3,5})",
        ["Exd"] = @"(?P<d>[1-2]\d|0[1-9]|3[0-1])",
        ["ExH"] = @"(?P<H>[0-1]\d|2[0-3])",
        ["Exk"] = @" ?(?P<H>[0-1]?\d|2[0-3])",
        ["Exl"] = @" ?(?P<I>1[0-2]|\d)",
        ["Exm"] = "(?P<m>0[1-9]|1[0-2])",
        ["ExM"] = @"(?P<M>[0-5]\d)",
        ["ExS"] = @"(?P<S>[0-5]\d|6[0-1])",
        ["Exy"] = @"(?P<y>\d{2})",
        ["ExZ"] = $"(?P<Z>{ZoneAbbr})",
        ["Exz"] = $@"(?P<z>(?:{ZoneAbbr})?[+-][01]\d(?::?\d{{2}})?|{ZoneAbbr})",
    };

    private static readonly Dictionary<string, string> BaseNames = new(StringComparer.Ordinal)
    {
        ["a"] = "DAY", ["A"] = "DAYNAME", ["b"] = "MON", ["B"] = "MONTH", ["d"] = "Day",
        ["H"] = "24hour", ["I"] = "12hour", ["j"] = "Yearday", ["m"] = "Month",
        ["M"] = "Minute", ["p"] = "AMPM", ["S"] = "Second", ["U"] = "Yearweek",
        ["w"] = "Weekday", ["W"] = "Yearweek", ["y"] = "Year2", ["Y"] = "Year", ["%"] = "%",
        ["z"] = "Zone offset", ["f"] = "Microseconds", ["Z"] = "Zone name",
    };

    /// <summary>Token keys, longest first (the <c>Ex</c> forms before single letters).</summary>
    public static readonly string[] Keys = [.. Fixed.Keys.Append("ExY").OrderByDescending(static k => k.Length)];

    /// <summary>The regex for a token; <c>%ExY</c> depends on the current year.</summary>
    public static string Regex(string key, int currentYear) => key == "ExY" ? ExYear(currentYear) : Fixed[key];

    /// <summary>Display name of a token (<c>%b</c> → <c>MON</c>, <c>%ExY</c> → <c>ExYear</c>, unknown → <c>%k</c>).</summary>
    public static string Name(string key)
    {
        if (BaseNames.TryGetValue(key, out var n))
        {
            return n;
        }

        if (key.StartsWith("Ex", StringComparison.Ordinal) && BaseNames.TryGetValue(key[2..], out var b))
        {
            return "Ex" + b;
        }

        return "%" + key;
    }

    /// <summary>
    /// <c>%ExY</c>: four-digit years whose first three digits are those of every third year from 2000 up to
    /// <paramref name="currentYear"/>, of the previous year and of the year three ahead.
    /// </summary>
    public static string ExYear(int currentYear) => "(?P<Y>" + Group([.. ExYearPrefixes(currentYear)]) + @"\d)";

    /// <summary>The first three digits of the years <c>%ExY</c> accepts, sorted.</summary>
    public static SortedSet<string> ExYearPrefixes(int currentYear)
    {
        var centuries = new SortedSet<string>(StringComparer.Ordinal);
        for (var y = 2000; y <= currentYear; y += 3)
        {
            centuries.Add(Cent(y));
        }

        centuries.Add(Cent(currentYear - 1));
        centuries.Add(Cent(currentYear + 3));
        return centuries;

        static string Cent(int year) => year.ToString(CultureInfo.InvariantCulture)[..3];
    }

    /// <summary>
    /// fail2ban's way of writing a sorted set of equal-length digit strings as a regex (its text shows in
    /// <c>--VD</c>): a shared prefix (all but the last character, else the first character) is factored out, then a
    /// class of single characters or an alternation: {200, 201, 202} → <c>20[012]</c>.
    /// </summary>
    private static string Group(List<string> set)
    {
        if (set.Count > 1)
        {
            var prefix = CommonPrefix(set, set[0].Length - 1);
            if (prefix.Length == 0)
            {
                prefix = CommonPrefix(set, 1);
            }

            if (prefix.Length > 0)
            {
                return prefix + Group([.. set.Select(x => x[prefix.Length..])]);
            }
        }

        return set.Count > 1
            ? (set[0].Length > 1 ? "(?:" + string.Join('|', set) + ")" : "[" + string.Concat(set) + "]")
            : string.Concat(set);

        static string CommonPrefix(List<string> set, int length) =>
            length > 0 && set.All(x => x.Length >= length && string.CompareOrdinal(x, 0, set[0], 0, length) == 0) ? set[0][..length] : "";
    }
}

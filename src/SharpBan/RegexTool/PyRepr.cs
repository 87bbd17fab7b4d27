using System.Globalization;
using SharpBan.Engine.Config;

namespace SharpBan.RegexTool;

/// <summary>Python's <c>repr()</c> of strings and string dictionaries, for the lines fail2ban-regex prints with <c>%r</c>.</summary>
internal static class PyRepr
{
    public static string Str(string s) => PyText.Repr(s);

    public static string Dict(IEnumerable<KeyValuePair<string, string>> items) =>
        "{" + string.Join(", ", items.Select(static kv => Str(kv.Key) + ": " + Str(kv.Value))) + "}";

    /// <summary>A dictionary of strings, numbers and <c>None</c> (a regex's <c>groupdict()</c>, converted options).</summary>
    public static string Dict(IEnumerable<KeyValuePair<string, object?>> items) =>
        "{" + string.Join(", ", items.Select(static kv => Str(kv.Key) + ": " + Value(kv.Value))) + "}";

    /// <summary>Python's <c>repr()</c> of a captured or converted value: strings, sets of users, tuples, numbers, <c>None</c>.</summary>
    public static string Value(object? value) => value switch
    {
        null => "None",
        string s => Str(s),
        bool b => b ? "True" : "False",
        IEnumerable<string> set => "{" + string.Join(", ", set.Select(Str)) + "}",
        object?[] tuple => Engine.Matching.PyValue.TupleRepr(tuple),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "None",
    };
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBan.Control;

/// <summary>
/// The daemon's answers in the Python shapes fail2ban's server gives them, for clients that speak fail2ban's pickle
/// protocol (<c>fail2ban-client</c>, exporters): fail2ban-client formats (or prints <c>str()</c> of) what it receives,
/// so a status is a list of <c>(name, value)</c> tuples, a date pattern a tuple, journal matches lists of words.
/// </summary>
internal static class PythonAnswer
{
    /// <summary>The Python value of <paramref name="result"/>, the answer to <paramref name="command"/>.</summary>
    public static object? From(IReadOnlyList<object?> command, JsonNode? result)
    {
        var verb = command.Count > 0 ? command[0] as string : null;
        if (verb == "status")
        {
            return Status(result);
        }

        var option = verb is "get" or "set" && command.Count > 2 ? command[2] as string : null;
        if (option == "datepattern" && result is JsonArray pattern)
        {
            return new PyTuple([.. pattern.Select(Value)]);
        }

        if (option is "journalmatch" or "addjournalmatch" or "deljournalmatch")
        {
            // fail2ban's groups are lists of words (a jail without a journal has none)
            return result is JsonArray groups
                ? groups.Select(static g => (object?)(g?.GetValue<string>() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList()).ToList()
                : new List<object?>();
        }

        return Value(result);
    }

    /// <summary>fail2ban's status: every object a list of <c>(key, value)</c> tuples, nested.</summary>
    private static object? Status(JsonNode? node) => node switch
    {
        JsonObject o => o.Select(p => (object?)new PyTuple([p.Key, p.Key == "Journal matches" && p.Value is JsonArray m
            ? new List<object?> { string.Join(" + ", m.Select(static x => x?.GetValue<string>())) }
            : Status(p.Value)])).ToList(),
        _ => Value(node),
    };

    private static object? Value(JsonNode? node) => node switch
    {
        null => null,
        JsonArray a => a.Select(Value).ToList(),
        JsonObject o => new PyDict([.. o.Select(p => new KeyValuePair<object?, object?>(p.Key, Value(p.Value)))]),
        JsonValue v => Scalar(v),
        _ => node.ToJsonString(),
    };

    private static object? Scalar(JsonValue v)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                return v.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number:
                if (v.TryGetValue<int>(out var i))
                {
                    return (long)i;
                }

                if (v.TryGetValue<long>(out var l))
                {
                    return l;
                }

                // times are doubles or decimals here and ints in fail2ban (findtime 600, ignorecache's max-time): a
                // whole number goes as an int, as `sharpban client` prints it
                var d = v.TryGetValue<double>(out var exact) ? exact : double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
                return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? (object)(long)d : d;
            default:
                return v.ToJsonString();
        }
    }
}

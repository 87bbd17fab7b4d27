using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBan.Client;

/// <summary>fail2ban-client's "Beautifier": the text printed for each command's answer (behaviour notes §8.4).</summary>
internal static class ClientOutput
{
    /// <summary>fail2ban-client's words (with its trailing space) when the configuration directory does not exist.</summary>
    public static string NoBaseDirectory(string directory) =>
        $"ERROR: Base configuration directory {(directory.TrimEnd('/') is { Length: > 0 } d ? d : "/")} does not exist ";

    public static string Format(IReadOnlyList<string> command, JsonNode? result)
    {
        var c0 = command.Count > 0 ? command[0] : "";
        var c1 = command.Count > 1 ? command[1] : "";
        var c2 = command.Count > 2 ? command[2] : "";
        switch (c0)
        {
            case "ping":
                return "Server replied: " + Str(result);
            case "stop":
                return command.Count == 1 ? "Shutdown successful" : "Jail stopped";
            case "start" when command.Count > 1:
                return "Jail started";
            case "add":
                return $"Added jail {Str(result)}";
            case "flushlogs":
                return "logs: " + Str(result);
            case "echo":
                return result is JsonArray words ? string.Join(' ', words.Select(Str)) : Str(result);
            case "status" when command.Count == 1:
                return "Status\n" + Tree(result as JsonObject, "");
            case "status" when c1 == "--all" && result is JsonObject all:
                return string.Join('\n', all.Select(j => $"Status for the jail: {j.Key}\n" + Tree(j.Value as JsonObject, "")));
            case "status":
                return $"Status for the jail: {c1}\n" + Tree(result as JsonObject, "");
            case "get" or "set" when c1 is "loglevel" or "logtarget" or "syslogsocket" or "dbfile" or "dbpurgeage":
                // like fail2ban's beautifier: chosen by the second word, for get and set alike
                return c1 switch
                {
                    "loglevel" => $"Current logging level is '{Str(result)}'",
                    "logtarget" => "Current logging target is:\n`- " + Str(result),
                    "syslogsocket" => "Current syslog socket is:\n`- " + Str(result),
                    "dbfile" => result is null ? "Database currently disabled" : "Current database file is:\n`- " + Str(result),
                    _ => result is null ? "Database currently disabled" : $"Current database purge age is:\n`- {Str(result)}seconds",
                };
            case "get" or "set" when command.Count > 2:
                return JailOption(c0, c1, c2, command, result);
            case "metrics" when Metrics.MetricsJson.TryRead(result) is { } families:
                return Metrics.PrometheusText.Render(families).TrimEnd('\n'); // the line is written with its line feed

            default:
                return Py(result);
        }
    }

    private static string JailOption(string verb, string jail, string option, IReadOnlyList<string> command, JsonNode? result)
    {
        var items = (result as JsonArray)?.Select(Str).ToList();
        switch (option)
        {
            case "logpath" or "addlogpath" or "dellogpath":
                return items is { Count: > 0 } ? "Current monitored log file(s):\n" + List(items) : "No file is currently monitored";
            case "ignoreip" or "addignoreip" or "delignoreip":
                return items is { Count: > 0 } ? "These IP addresses/networks are ignored:\n" + List(items) : "No IP address/network is ignored";
            case "failregex" or "ignoreregex" or "addfailregex" or "addignoreregex" or "delfailregex" or "delignoreregex":
                return items is { Count: > 0 }
                    ? "The following regular expression are defined:\n" + List([.. items.Select((r, i) => $"[{i}]: {r}")])
                    : "No regular expression is defined";
            case "journalmatch" or "addjournalmatch" or "deljournalmatch":
                return items is { Count: > 0 } ? "Current match filter:\n" + string.Join(" + ", items) : "No journal match filter set";
            case "actions" when verb == "get":
                return items is { Count: > 0 } ? $"The jail {jail} has the following actions:\n" + string.Join(", ", items) : $"No actions for jail {jail}";
            case "actionproperties" or "actionmethods" when verb == "get":
                return $"The jail {jail} action {(command.Count > 3 ? command[3] : "")} has the following {(option == "actionmethods" ? "methods" : "properties")}:\n" + string.Join(", ", items ?? []);
            case "datepattern":
                return "Current date pattern set to: " + result switch
                {
                    null => "Not set/required",
                    JsonArray { Count: 2 } p when p[0] is null => Str(p[1]),
                    JsonArray { Count: 2 } p => $"{Str(p[0])} ({Str(p[1])})",
                    _ => Str(result),
                };
            case "logencoding":
                return "Current log encoding is set to:\n" + Str(result);
            case "banip" when verb == "get" && items is not null:
                // fail2ban-client: the fourth word is the separator, "--with-time" a new line (a later one is no separator,
                // and the server reads it as "with time" only in that place too)
                var sep = command.Count > 3 ? command[3] : " ";
                return string.Join(sep == "--with-time" ? "\n" : sep, items);
            default:
                return Py(result);
        }
    }

    /// <summary>A status tree: <c>|-</c> items, <c>`-</c> last, nested groups indented with <c>|  </c> or spaces.</summary>
    private static string Tree(JsonObject? node, string indent)
    {
        if (node is null)
        {
            return "";
        }

        var sb = new StringBuilder();
        var entries = node.ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            var last = i == entries.Count - 1;
            var (key, value) = entries[i];
            sb.Append(indent).Append(last ? "`- " : "|- ").Append(key);
            if (value is JsonObject child)
            {
                sb.Append('\n').Append(Tree(child, indent + (last ? "   " : "|  ")));
                if (!last)
                {
                    sb.Append('\n');
                }
            }
            else
            {
                var text = value is JsonArray a ? string.Join(key == "Journal matches" ? " + " : " ", a.Select(Str)) : Str(value);
                sb.Append(":\t").Append(text);
                if (!last)
                {
                    sb.Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    private static string List(IReadOnlyList<string> items) =>
        string.Join('\n', items.Select((item, i) => (i == items.Count - 1 ? "`- " : "|- ") + item));

    private static string Str(JsonNode? node) => node switch
    {
        null => "None",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => Py(node),
    };

    /// <summary>Python's <c>str()</c> of a value, as fail2ban-client prints results.</summary>
    public static string Py(JsonNode? node) => node switch
    {
        null => "None",
        JsonArray a => "[" + string.Join(", ", a.Select(Repr)) + "]",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"'{p.Key}': {Repr(p.Value)}")) + "}",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.Number => Number(v.GetValue<double>()),
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    private static string Repr(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? "'" + v.GetValue<string>().Replace("'", "\\'", StringComparison.Ordinal) + "'" : Py(node);

    private static string Number(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);
}

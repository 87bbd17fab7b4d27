using System.Globalization;

namespace SharpBan.Server;

/// <summary>Conversions of command words: stream values are strings, numbers, booleans or lists.</summary>
internal static class CommandArgs
{
    public static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        System.Text.Json.JsonElement e when e.ValueKind == System.Text.Json.JsonValueKind.String => e.GetString() ?? "",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>A request's word as it came (fail2ban's <c>echo</c> gives its words back unchanged, whatever their type).</summary>
    public static System.Text.Json.Nodes.JsonNode? Node(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b,
        long l => l,
        double d => d,
        IEnumerable<object?> list => new System.Text.Json.Nodes.JsonArray([.. list.Select(Node)]),
        _ => Text(value),
    };

    public static IReadOnlyList<string> List(object? value) => value switch
    {
        string s => [s],
        IEnumerable<object?> list => [.. list.Select(Text)],
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } e => [.. e.EnumerateArray().Select(x => Text(x))],
        _ => [Text(value)],
    };

    /// <summary>An address given on the command line as fail2ban's <c>IPAddr</c> keeps it: a valid address in canonical
    /// form (IPv6 lower case and compressed, IPv4-mapped as IPv4), anything else as given.</summary>
    public static string Id(object? value)
    {
        var text = Text(value).Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0 && text.AsSpan(slash + 1).IndexOfAny('.', ':') >= 0)
        {
            // a network with a mask (192.0.2.0/255.255.255.0): fail2ban keeps it as its prefix length (192.0.2.0/24)
            try
            {
                return Engine.Jails.IpEntry.Parse(text).ToString();
            }
            catch (FormatException)
            {
                return text; // refused where it matters (CheckedId); a query with it finds nothing
            }
        }

        return Engine.Matching.IpText.Normalize(text, Engine.Matching.IpText.Unspecified);
    }

    /// <summary>
    /// <see cref="Id"/> of an address to ban or count: what fail2ban's <c>IPAddr</c> refuses (a prefix or mask that does
    /// not read, <c>192.0.2.0/abc</c>) fails with Python's error.
    /// </summary>
    public static string CheckedId(object? value)
    {
        try
        {
            _ = Engine.Jails.IpEntry.Parse(Text(value).Trim());
        }
        catch (FormatException e)
        {
            throw new CommandException(e.Message);
        }

        return Id(value);
    }

    public static int Int(object? value, string option) =>
        int.TryParse(Text(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CommandException($"invalid literal for int() with base 10: '{Text(value)}'"); // Python's words, as fail2ban answers

    public static bool Bool(object? value) => value is bool b ? b : Engine.Matching.PyValue.AsBool(Text(value));
}

/// <summary>A command that cannot be executed; the message goes back to the client.</summary>
/// <param name="python">
/// The exception fail2ban's server raises here, for clients of its pickle protocol (fail2ban-client words some of them
/// itself and logs their arguments); null: <c>Exception(message)</c>.
/// </param>
internal sealed class CommandException(string message, Control.PyException? python = null) : Exception(message)
{
    /// <summary>fail2ban-client's answer to a command with a missing argument (the server's IndexError).</summary>
    public const string Invalid = "Sorry but the command is invalid";

    public Control.PyException Python { get; } = python ?? new Control.PyException("Exception", [message]);

    /// <summary>A command missing a word: fail2ban's server fails with an IndexError.</summary>
    public static CommandException InvalidCommand() =>
        new(Invalid, new Control.PyException("IndexError", ["list index out of range"]));

    /// <summary>A jail the server does not have: fail2ban's <c>UnknownJailException(name)</c>.</summary>
    public static CommandException UnknownJail(string name) =>
        new($"Sorry but the jail '{name}' does not exist", new Control.PyException("UnknownJailException", [name], "fail2ban.exceptions"));
}

using System.Text.Json;
using SharpBan.Server;

namespace SharpBan.Actions;

/// <summary>
/// <c>addaction NAME FILE KWARGS</c>, the stream's form of a Python action (<c>action = smtp.py[dest=…]</c>). SharpBan
/// runs no Python: fail2ban's <c>smtp.py</c> is replaced by <see cref="SmtpAction"/> (whether or not the file
/// exists, and whatever it holds); any other Python file is refused with the jail and action named.
/// </summary>
internal static class PythonAction
{
    /// <summary>The new action's properties from <paramref name="words"/> (file, then the keyword arguments as JSON).</summary>
    public static Dictionary<string, string> Properties(string jail, string action, IReadOnlyList<object?> words)
    {
        var file = CommandArgs.Text(words[0]);
        if (!string.Equals(Path.GetFileName(file), SmtpAction.FileName, StringComparison.Ordinal))
        {
            throw new CommandException($"Python actions are not supported, apart from the built-in {SmtpAction.FileName} (jail '{jail}', action '{action}', file '{file}')");
        }

        if (words.Count < 2)
        {
            throw new CommandException("list index out of range"); // fail2ban's transmitter reads the arguments unchecked
        }

        try
        {
            return SmtpActionProperties.FromArguments(Arguments(words[1]));
        }
        catch (ArgumentException e)
        {
            throw new CommandException(e.Message);
        }
    }

    /// <summary>The keyword arguments: a JSON object (the stream sends it as text), values as Python's <c>str()</c> of them.</summary>
    private static List<KeyValuePair<string, string>> Arguments(object? value)
    {
        JsonElement json;
        try
        {
            json = value is JsonElement { ValueKind: JsonValueKind.Object } e ? e : JsonDocument.Parse(CommandArgs.Text(value)).RootElement;
        }
        catch (JsonException e)
        {
            throw new ArgumentException(e.Message, e);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"argument after ** must be a mapping, not {json.ValueKind.ToString().ToLowerInvariant()}");
        }

        return [.. json.EnumerateObject().Select(static p => KeyValuePair.Create(p.Name, p.Value.ValueKind switch
        {
            JsonValueKind.String => p.Value.GetString() ?? "",
            JsonValueKind.Null => "None",
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            _ => p.Value.GetRawText(),
        }))];
    }
}

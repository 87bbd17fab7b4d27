using System.Globalization;
using System.Text;
using System.Text.Json;
using SharpBan.Engine.Matching;

namespace SharpBan.Server.Logs;

/// <summary>One <c>journalctl -o json</c> entry as fail2ban sees it: the line <c>host ident[pid]: message</c>, its time and cursor.</summary>
internal sealed record JournalEntry(LineTuple Line, double Time, string? Cursor)
{
    /// <summary>Converts one JSON entry; null when it has no timestamp.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static JournalEntry? Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var timeText = Field(root, "_SOURCE_REALTIME_TIMESTAMP") ?? Field(root, "__REALTIME_TIMESTAMP");
        if (timeText is null || !long.TryParse(timeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros))
        {
            return null;
        }

        var host = Field(root, "_HOSTNAME");
        var ident = Field(root, "SYSLOG_IDENTIFIER") ?? Field(root, "_COMM") ?? "";
        var pid = Field(root, "SYSLOG_PID") ?? Field(root, "_PID");
        var message = (Field(root, "MESSAGE") ?? "").Replace("\n", "\\n", StringComparison.Ordinal);
        var line = (host is null ? "" : host + " ") + ident + (pid is null ? "" : $"[{pid}]") + ": " + message;
        var iso = DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        return new JournalEntry(new LineTuple("", iso + " ", line), micros / 1e6, Field(root, "__CURSOR"));
    }

    /// <summary>A field as text: strings as they are, repeated fields joined by a space, binary fields (byte arrays) decoded as UTF-8.</summary>
    private static string? Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Array => string.Join(' ', v.EnumerateArray().Select(Text)),
                JsonValueKind.Null => null,
                _ => v.ToString(),
            }
            : null;

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString()
        : Encoding.UTF8.GetString([.. value.EnumerateArray().Select(b => (byte)b.GetInt32())]);
}

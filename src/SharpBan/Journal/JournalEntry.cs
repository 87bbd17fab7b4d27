using System.Globalization;
using System.Text;
using System.Text.Json;
using SharpBan.Engine.Matching;

namespace SharpBan.Journal;

/// <summary>
/// One <c>journalctl -o json</c> entry as fail2ban sees it: the line <c>host ident[pid]: message</c> (the date part is
/// the entry's time in Python's ISO format with the local offset, as fail2ban prints matches), its time and cursor.
/// </summary>
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

        var elements = new List<string>(4);
        if (Field(root, "_HOSTNAME") is { Length: > 0 } host)
        {
            elements.Add(host);
        }

        if ((NonEmpty(Field(root, "SYSLOG_IDENTIFIER")) ?? NonEmpty(Field(root, "_COMM"))) is { } ident)
        {
            var pid = NonEmpty(Field(root, "SYSLOG_PID")) ?? NonEmpty(Field(root, "_PID"));
            var head = ident + (pid is null ? "" : $"[{pid}]") + ":";
            elements.Add(head);
            if (head == "kernel:" && Monotonic(root) is { } seconds)
            {
                elements.Add(string.Create(CultureInfo.InvariantCulture, $"[{seconds,12:F6}]"));
            }
        }

        elements.Add(Field(root, "MESSAGE") ?? "");
        var line = string.Join(' ', elements).Replace("\n", "\\n", StringComparison.Ordinal);
        return new JournalEntry(new LineTuple("", IsoLocal(micros) + " ", line), micros / 1e6, Field(root, "__CURSOR"));
    }

    /// <summary>The local zone's offset when the process started: python-systemd converts every entry time with it.</summary>
    private static readonly TimeSpan LocalOffset = TimeProvider.System.LocalTimeZone.GetUtcOffset(TimeProvider.System.GetUtcNow());

    /// <summary>
    /// Python's <c>isoformat()</c> of the entry time as python-systemd gives it (aware, in the local offset of the
    /// start, not per date): microseconds only when not zero, then the offset (<c>+00:00</c>).
    /// </summary>
    private static string IsoLocal(long micros)
    {
        var local = DateTimeOffset.UnixEpoch.AddTicks(micros * 10).ToOffset(LocalOffset);
        return local.ToString(micros % 1_000_000 == 0 ? "yyyy-MM-ddTHH:mm:sszzz" : "yyyy-MM-ddTHH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
    }

    private static double? Monotonic(JsonElement root) =>
        long.TryParse(Field(root, "_SOURCE_MONOTONIC_TIMESTAMP") ?? Field(root, "__MONOTONIC_TIMESTAMP"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m)
            ? m / 1e6
            : null;

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

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

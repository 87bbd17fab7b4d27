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
    /// <param name="encoding">How binary fields (not valid UTF-8, or with control characters: journalctl gives their bytes) are decoded: the jail's <c>logencoding</c>.</param>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static JournalEntry? Parse(string json, Encoding? encoding = null)
    {
        var decode = encoding ?? LogEncoding.Get("auto");
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var timeText = Field(root, "_SOURCE_REALTIME_TIMESTAMP", decode) ?? Field(root, "__REALTIME_TIMESTAMP", decode);
        if (timeText is null || !long.TryParse(timeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros))
        {
            return null;
        }

        var elements = new List<string>(4);
        if (Field(root, "_HOSTNAME", decode) is { Length: > 0 } host)
        {
            elements.Add(host);
        }

        if ((NonEmpty(Field(root, "SYSLOG_IDENTIFIER", decode)) ?? NonEmpty(Field(root, "_COMM", decode))) is { } ident)
        {
            var pid = NonEmpty(Field(root, "SYSLOG_PID", decode)) ?? NonEmpty(Field(root, "_PID", decode));
            var head = ident + (pid is null ? "" : $"[{Pid(pid)}]") + ":";
            elements.Add(head);
            if (head == "kernel:" && Monotonic(root) is { } seconds)
            {
                elements.Add(string.Create(CultureInfo.InvariantCulture, $"[{seconds,12:F6}]"));
            }
        }

        elements.Add(Field(root, "MESSAGE", decode) ?? "");
        var line = string.Join(' ', elements).Replace("\n", "\\n", StringComparison.Ordinal);
        return new JournalEntry(new LineTuple("", IsoLocal(micros) + " ", line), micros / 1e6, Field(root, "__CURSOR", decode));
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
        long.TryParse(Field(root, "_SOURCE_MONOTONIC_TIMESTAMP", Encoding.UTF8) ?? Field(root, "__MONOTONIC_TIMESTAMP", Encoding.UTF8), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m)
            ? m / 1e6
            : null;

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>
    /// A field as text: strings as they are, binary fields (journalctl gives their bytes as an array of numbers)
    /// decoded with <paramref name="encoding"/>, repeated fields (an array of values) joined by a space.
    /// </summary>
    private static string? Field(JsonElement root, string name, Encoding encoding) =>
        root.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Array when IsBytes(v) => Decode(v, encoding),
                JsonValueKind.Array => string.Join(' ', v.EnumerateArray().Select(e => Text(e, encoding))),
                JsonValueKind.Null => null,
                _ => v.ToString(),
            }
            : null;

    private static string Text(JsonElement value, Encoding encoding) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array when IsBytes(value) => Decode(value, encoding),
        _ => value.ToString(),
    };

    private static bool IsBytes(JsonElement array) => array.GetArrayLength() > 0 && array.EnumerateArray().All(static e => e.ValueKind == JsonValueKind.Number);

    private static string Decode(JsonElement bytes, Encoding encoding) =>
        encoding.GetString([.. bytes.EnumerateArray().Select(static b => b.TryGetByte(out var x) ? x : (byte)'?')]);

    /// <summary>
    /// The pid as fail2ban writes it: python-systemd reads it as a decimal int (<c>0123</c> → 123, <c>1_0</c> → 10),
    /// fail2ban then tries <c>int(v, 0)</c> (<c>0x10</c> → 16) and otherwise prints the raw bytes (<c>b'abc'</c>).
    /// </summary>
    private static string Pid(string text)
    {
        if (Engine.Config.PyText.TryParseInt(text, out var n))
        {
            return n.ToString(CultureInfo.InvariantCulture);
        }

        var t = text.Trim().Replace("_", "", StringComparison.Ordinal);
        var negative = t.StartsWith('-');
        var digits = t.TrimStart('+', '-');
        (string Prefix, int Base)[] bases = [("0x", 16), ("0o", 8), ("0b", 2)];
        foreach (var (prefix, radix) in bases)
        {
            if (digits.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && digits.Length > 2)
            {
                try
                {
                    var value = Convert.ToInt64(digits[2..], radix);
                    return (negative ? -value : value).ToString(CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
                {
                    break;
                }
            }
        }

        return "b" + Engine.Config.PyText.Repr(text);
    }
}

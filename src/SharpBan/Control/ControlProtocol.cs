using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBan.Control;

/// <summary>
/// The control socket's framing: each message is a 4-byte big-endian length and that many bytes of UTF-8 JSON.
/// Requests are <c>{"command": [words…]}</c>; answers <c>{"ok": true, "result": …}</c> or <c>{"ok": false, "error": "…"}</c>.
/// No pickle: nothing on the socket can execute code.
/// </summary>
internal static class ControlProtocol
{
    public const int MaxMessage = 16 * 1024 * 1024;

    public static async Task WriteAsync(Stream stream, JsonNode message, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, body.Length);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one message; null at end of stream.</summary>
    /// <param name="first">The header's first byte when the caller has read it already (to tell the protocols apart).</param>
    public static async Task<JsonNode?> ReadAsync(Stream stream, CancellationToken cancellationToken, byte? first = null)
    {
        var header = new byte[4];
        var offset = 0;
        if (first is { } b)
        {
            header[0] = b;
            offset = 1;
        }

        if (!await ReadExactlyAsync(stream, header.AsMemory(offset), cancellationToken).ConfigureAwait(false))
        {
            if (offset > 0)
            {
                throw new EndOfStreamException("connection closed inside a message");
            }

            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length < 0 || length > MaxMessage)
        {
            throw new InvalidDataException($"message of {length} bytes refused");
        }

        var body = new byte[length];
        if (!await ReadExactlyAsync(stream, body, cancellationToken).ConfigureAwait(false))
        {
            throw new EndOfStreamException("connection closed inside a message");
        }

        return JsonNode.Parse(body);
    }

    /// <summary>A JSON request word list as plain values: string, long, double, bool, null, lists.</summary>
    public static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToJsonString(),
    };

    private static async Task<bool> ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[read..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}

using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace SharpBan.Control;

/// <summary>Sends one command to the daemon's control socket and returns its answer.</summary>
internal static class ControlClient
{
    public static async Task<ControlAnswer> SendAsync(string socketPath, IReadOnlyList<string> command, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cts.Token).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var request = new JsonObject { ["command"] = new JsonArray([.. command.Select(c => (JsonNode?)JsonValue.Create(c))]) };
        await ControlProtocol.WriteAsync(stream, request, cts.Token).ConfigureAwait(false);
        var answer = await ControlProtocol.ReadAsync(stream, cts.Token).ConfigureAwait(false)
            ?? throw new IOException("the server closed the connection without an answer");
        return answer["ok"]?.GetValue<bool>() == true
            ? new ControlAnswer(true, answer["result"]?.DeepClone(), null)
            : new ControlAnswer(false, null, answer["error"]?.GetValue<string>() ?? "unknown error");
    }

    /// <summary>True when a server answers <c>ping</c> on <paramref name="socketPath"/>.</summary>
    public static async Task<bool> PingAsync(string socketPath, TimeSpan timeout)
    {
        try
        {
            return (await SendAsync(socketPath, ["ping"], timeout).ConfigureAwait(false)).Ok;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>A command's outcome: the result, or the error text.</summary>
internal sealed record ControlAnswer(bool Ok, JsonNode? Result, string? Error);

using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace SharpBan.Control;

/// <summary>
/// The Unix control socket (mode 0600): accepts clients and answers each request through <paramref name="execute"/>,
/// in SharpBan's framed JSON or, told apart by a connection's first byte, in fail2ban's pickle protocol
/// (<see cref="PickleSession"/>), so that <c>fail2ban-client</c> and tools written for fail2ban's socket work too.
/// </summary>
internal sealed class ControlServer(string path, Func<IReadOnlyList<object?>, CancellationToken, Task<JsonNode?>> execute, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _clients = [];
    private Socket? _listener;
    private Task? _accept;

    public void Start()
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _listener.Listen(512); // many clients at once (scripts, monitoring) wait in the backlog instead of being refused
        _accept = Task.Run(AcceptAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_accept is not null)
        {
            try
            {
                await _accept.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // listener closed
            }
        }

        // let answers already being written (e.g. to "stop", which triggered this shutdown) reach their clients
        Task[] clients;
        lock (_clients)
        {
            clients = [.. _clients];
        }

        await Task.WhenAny(Task.WhenAll(clients), Task.Delay(AnswerTimeout)).ConfigureAwait(false);
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // deliberate: the socket's directory went away or turned read-only; nothing is left to remove
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener!.AcceptAsync(_stop.Token).ConfigureAwait(false);
            var task = Task.Run(() => ServeAsync(client));
            lock (_clients)
            {
                _clients.RemoveAll(static t => t.IsCompleted);
                _clients.Add(task);
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        await using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            var first = new byte[1];
            if (await stream.ReadAsync(first, _stop.Token).ConfigureAwait(false) == 0)
            {
                return;
            }

            if (first[0] > 0x01)
            {
                // not the high byte of a JSON message's length (at most 16 MiB): fail2ban's pickle protocol, which
                // starts with a pickle opcode (0x80 from protocol 2 on)
                await new PickleSession(stream, execute, logger).ServeAsync(first[0], _stop.Token).ConfigureAwait(false);
                return;
            }

            byte? pending = first[0];
            while (await ControlProtocol.ReadAsync(stream, _stop.Token, pending).ConfigureAwait(false) is { } request)
            {
                pending = null;
                JsonNode answer;
                try
                {
                    var words = request["command"] is JsonArray a ? (List<object?>)ControlProtocol.ToPlain(a)! : [];
                    var result = await execute(words, _stop.Token).ConfigureAwait(false);
                    answer = new JsonObject { ["ok"] = true, ["result"] = result?.DeepClone() };
                }
                catch (Server.CommandException e)
                {
                    answer = new JsonObject { ["ok"] = false, ["error"] = e.Message };
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    // deliberate: a command the server did not foresee failing is answered with its error, not a
                    // dropped connection, and the daemon goes on
                    Log.ClientError(logger, e.ToString());
                    answer = new JsonObject { ["ok"] = false, ["error"] = e.Message };
                }

                // an answer that was computed is always delivered, even when the server is stopping meanwhile
                using var timeout = new CancellationTokenSource(AnswerTimeout);
                await ControlProtocol.WriteAsync(stream, answer, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or OperationCanceledException or SocketException)
        {
            // deliberate: a broken client connection only ends that connection
            Log.ClientError(logger, e.Message);
        }
    }
}

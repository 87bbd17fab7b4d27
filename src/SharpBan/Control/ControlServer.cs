using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace SharpBan.Control;

/// <summary>The Unix control socket (mode 0600): accepts clients and answers each request through <paramref name="execute"/>.</summary>
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
        File.Delete(path);
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
            while (await ControlProtocol.ReadAsync(stream, _stop.Token).ConfigureAwait(false) is { } request)
            {
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

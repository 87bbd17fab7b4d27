using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SharpBan.Metrics;

/// <summary>
/// The optional HTTP listener of the daemon's metrics (<c>metrics = ADDRESS:PORT</c> in <c>fail2ban.conf</c>): a small
/// HTTP/1.1 responder on a <see cref="TcpListener"/> that answers <c>GET /metrics</c> with the text format and closes the
/// connection after every answer. Bounded on every side: a request head of at most
/// <see cref="HttpRequestHead.MaxLength"/> bytes (431 beyond), <see cref="RequestTimeout"/> for a whole connection (a
/// slow or silent client is closed), at most <see cref="MaxConnections"/> at once (more are closed at once). A failure
/// to bind is logged and the daemon runs on without the listener; nothing a client sends ends more than its connection.
/// </summary>
internal sealed class MetricsHttpServer : IAsyncDisposable
{
    public const int MaxConnections = 16;

    /// <summary>What a connection may take from accept to close: reading the head, rendering, writing the answer.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Bytes read and dropped after an answer, so that closing does not reset a connection with unread input.</summary>
    private const int MaxDrained = 64 * 1024;

    /// <summary>How long a client may keep the connection open after its answer.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly IPEndPoint _endpoint;
    private readonly Func<CancellationToken, Task<string>> _render;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private TcpListener? _listener;
    private Task? _accepting;

    /// <param name="render">The metrics in the text format, now.</param>
    public MetricsHttpServer(IPEndPoint endpoint, Func<CancellationToken, Task<string>> render, ILogger log, TimeProvider time)
    {
        _endpoint = endpoint;
        _render = render;
        _log = log;
        _time = time;
    }

    /// <summary>The address listened on, once started.</summary>
    public IPEndPoint? LocalEndpoint => _listener?.LocalEndpoint as IPEndPoint;

    /// <summary>Binds and starts accepting; false (and an error logged) when the address cannot be bound.</summary>
    public bool Start()
    {
        var listener = new TcpListener(_endpoint);
        try
        {
            listener.Start(MaxConnections);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            Log.MetricsListenFailed(_log, _endpoint.ToString(), e.Message);
            return false;
        }

        _listener = listener;
        Log.MetricsListening(_log, _endpoint.ToString());
        _accepting = Task.Run(AcceptAsync);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(false);
        }

        await Task.WhenAll(_connections.Keys).ConfigureAwait(false); // each ends with _stop
        _listener?.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return; // stopped
            }
            catch (SocketException e) when (!token.IsCancellationRequested)
            {
                // a connection reset before it was accepted, or out of file descriptors: wait a moment, go on
                Log.MetricsRequestFailed(_log, "accept", e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }
            catch (SocketException)
            {
                return; // the listener was stopped
            }

            if (_connections.Count >= MaxConnections)
            {
                socket.Dispose(); // the slow ones in progress get their timeout; this one is refused at once
                continue;
            }

            var connection = ServeAsync(socket);
            _connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(done => _connections.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>One connection: one request, one answer, close. Never throws.</summary>
    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield(); // off the accept loop
        using (socket)
        using (var timeout = new CancellationTokenSource(RequestTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token))
        {
            var remote = "?";
            try
            {
                remote = socket.RemoteEndPoint?.ToString() ?? remote;
                socket.NoDelay = true;
                if (await AnswerAsync(socket, remote, linked.Token).ConfigureAwait(false) is { } answer)
                {
                    await socket.SendAsync(answer, SocketFlags.None, linked.Token).ConfigureAwait(false);
                    socket.Shutdown(SocketShutdown.Send);
                    await DrainAsync(socket, linked.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                Log.MetricsRequestFailed(_log, remote, timeout.IsCancellationRequested ? "timed out" : "stopping");
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
                Log.MetricsRequestFailed(_log, remote, e.Message);
            }
            catch (Exception e)
            {
                // deliberate: nothing a client sends may end the daemon; an unexpected error closes this connection only
                Log.MetricsServerError(_log, remote, e.ToString());
            }
        }
    }

    /// <summary>Reads the request head and builds the answer; null when the client closed before a complete head.</summary>
    private async Task<byte[]?> AnswerAsync(Socket socket, string remote, CancellationToken token)
    {
        var buffer = new byte[HttpRequestHead.MaxLength];
        var filled = 0;
        var end = -1;
        while (end < 0)
        {
            if (filled == buffer.Length)
            {
                return Response(431, "request head too large\n", headOnly: false);
            }

            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, token).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            var from = Math.Max(0, filled - 2); // the end may straddle two reads
            filled += read;
            var found = HttpRequestHead.EndOf(buffer.AsSpan(from, filled - from));
            end = found < 0 ? -1 : from + found;
        }

        var status = HttpRequestHead.Route(buffer.AsSpan(0, end), out var headOnly);
        if (status != 200)
        {
            return Response(status, HttpRequestHead.Reason(status) + "\n", headOnly);
        }

        string body;
        try
        {
            body = await _render(token).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            Log.MetricsServerError(_log, remote, e.Message); // a metric the format refuses: a bug, answered 500
            return Response(500, "cannot render the metrics\n", headOnly);
        }

        return Response(200, body, headOnly, PrometheusText.ContentType);
    }

    /// <summary>
    /// After the answer: reads what the client still sends (a body, more requests) until it closes, at most
    /// <see cref="MaxDrained"/> bytes for <see cref="DrainTimeout"/>, so that closing does not reset the connection
    /// before the client read the answer.
    /// </summary>
    private async Task DrainAsync(Socket socket, CancellationToken token)
    {
        using var drain = new CancellationTokenSource(DrainTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(drain.Token, token);
        var buffer = new byte[4096];
        try
        {
            for (var total = 0; total < MaxDrained;)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                total += read;
            }
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested && !token.IsCancellationRequested)
        {
            // answered; a client that keeps the connection open after it is closed now
        }
    }

    private static byte[] Response(int status, string body, bool headOnly, string contentType = "text/plain; charset=utf-8")
    {
        var content = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {HttpRequestHead.Reason(status)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {content.Length}\r\n")
            .Append(status == 405 ? "Allow: GET, HEAD\r\n" : "")
            .Append("Cache-Control: no-store\r\nConnection: close\r\n\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        return headOnly ? headBytes : [.. headBytes, .. content];
    }
}

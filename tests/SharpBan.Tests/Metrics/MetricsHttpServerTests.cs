using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SharpBan.Metrics;
using SharpBan.Tests.Support;

namespace SharpBan.Tests.Metrics;

/// <summary>The listener in process, on 127.0.0.1 at a port of the system's choosing, with a fake clock for its timeouts.</summary>
public sealed class MetricsHttpServerTests : IAsyncLifetime, IAsyncDisposable
{
    private const string Body = "# HELP x_total h\n# TYPE x_total counter\nx_total 1\n";
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingLogger _log = new();
    private Func<CancellationToken, Task<string>> _render = _ => Task.FromResult(Body);
    private readonly MetricsHttpServer _server;

    public MetricsHttpServerTests()
    {
        _server = new MetricsHttpServer(new IPEndPoint(IPAddress.Loopback, 0), token => _render(token), _log, _time);
        Assert.True(_server.Start());
    }

    private IPEndPoint Endpoint => _server.LocalEndpoint!;

    public Task InitializeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>xunit 2 calls this (not <see cref="IAsyncDisposable"/>) after each test.</summary>
    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Sends <paramref name="request"/> on a new connection and reads until the server closes it.</summary>
    private async Task<string> ExchangeAsync(byte[] request)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(Endpoint);
        await client.SendAsync(request);
        client.Shutdown(SocketShutdown.Send);
        return await ReadToEndAsync(client);
    }

    private static async Task<string> ReadToEndAsync(Socket client)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a hang fails the test, it does not stop the run
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, cancel.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // closed without reading our input: what was answered before is kept
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    [Fact]
    public async Task Get_Metrics_IsTheTextWithItsContentTypeAndLength()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://{Endpoint}/metrics"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(Body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(Body, await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.ConnectionClose);
    }

    [Fact]
    public async Task Head_Metrics_IsTheHeadersWithoutBody()
    {
        var answer = await ExchangeAsync("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal);
        Assert.Contains($"\r\nContent-Length: {Body.Length}\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found\r\n")]
    [InlineData("GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 404 Not Found\r\n")]
    [InlineData("POST /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", "HTTP/1.1 405 Method Not Allowed\r\n")]
    [InlineData("garbage\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("\0\0\0\0\n\n", "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n")]
    public async Task Request_NotGetOfMetrics_IsAnsweredWithItsStatus(string request, string statusLine)
    {
        var answer = await ExchangeAsync(Encoding.ASCII.GetBytes(request));
        Assert.StartsWith(statusLine, answer, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", answer, StringComparison.Ordinal);
        Assert.Equal(statusLine.Contains("405", StringComparison.Ordinal), answer.Contains("\r\nAllow: GET, HEAD\r\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_HeadLargerThanTheLimit_Is431AndTheServerGoesOn()
    {
        var huge = "GET /metrics HTTP/1.1\r\nX-Big: " + new string('a', 100_000) + "\r\n\r\n";
        var answer = await ExchangeAsync(Encoding.ASCII.GetBytes(huge));
        Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith(Body, await ExchangeAsync("GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ClosedBeforeItsEnd_GetsNoAnswer() =>
        Assert.Equal("", await ExchangeAsync("GET /metrics HTTP/1.1\r\nHost"u8.ToArray()));

    [Fact]
    public async Task Request_SentByteByByte_IsAnswered()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(Endpoint);
        foreach (var b in "GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray())
        {
            await client.SendAsync(new[] { b });
        }

        Assert.EndsWith(Body, await ReadToEndAsync(client), StringComparison.Ordinal);
    }

    /// <summary>A slowloris client: half a request, then silence. Others are served meanwhile; at the timeout it is closed.</summary>
    [Fact]
    public async Task Request_NeverCompleted_IsClosedAtTheTimeoutAndOthersAreServedMeanwhile()
    {
        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await slow.ConnectAsync(Endpoint);
        await slow.SendAsync("GET /metrics HTTP/1.1\r\nX-Slow: "u8.ToArray());
        var slowEnd = ReadToEndAsync(slow);

        Assert.EndsWith(Body, await ExchangeAsync("GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()), StringComparison.Ordinal);
        Assert.False(slowEnd.IsCompleted);

        await AdvanceUntilAsync(slowEnd);
        Assert.Equal("", await slowEnd);
        await WaitUntilAsync(() => _log.Has(LogLevel.Debug, "not answered: timed out"), "the timeout logged");
    }

    /// <summary>A client that keeps its connection open after the answer: the answer arrives whole, the server closes 2 s later.</summary>
    [Fact]
    public async Task Answer_ClientKeepsTheConnectionOpen_IsClosedAfterTheDrainTime()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(Endpoint);
        await client.SendAsync("GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray());
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (!answer.ToString().EndsWith(Body, StringComparison.Ordinal))
        {
            var read = await client.ReceiveAsync(buffer);
            Assert.NotEqual(0, read);
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var end = ReadToEndAsync(client);
        await AdvanceUntilAsync(end, TimeSpan.FromSeconds(3)); // the drain time, well before the request timeout
        Assert.Equal("", await end);
        Assert.False(_log.Has(LogLevel.Debug, "timed out"));
    }

    [Fact]
    public async Task Connections_BeyondTheLimit_AreClosedAtOnceUntilSlotsFree()
    {
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < MetricsHttpServer.MaxConnections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                await socket.ConnectAsync(Endpoint);
                await socket.SendAsync("G"u8.ToArray());
            }

            Assert.Equal("", await ExchangeAsync("GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()));

            await AdvanceUntilAsync(Task.WhenAll(idle.Select(ReadToEndAsync)));
            Assert.EndsWith(Body, await ExchangeAsync("GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()), StringComparison.Ordinal);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Render_ThrowingArgumentException_Is500AndTheServerGoesOn()
    {
        _render = _ => throw new ArgumentException("'1x' is not a metric name");
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", await ExchangeAsync("GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()), StringComparison.Ordinal);
        Assert.True(_log.Has(LogLevel.Error, "'1x' is not a metric name"));

        _render = _ => throw new InvalidOperationException("unexpected");
        Assert.Equal("", await ExchangeAsync("GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()));
        await WaitUntilAsync(() => _log.Has(LogLevel.Error, "unexpected"), "the error logged"); // logged after the socket closed

        _render = _ => Task.FromResult(Body);
        Assert.EndsWith(Body, await ExchangeAsync("GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AddressInUse_IsFalseAndLoggedAsAnError()
    {
        var log = new RecordingLogger();
        await using var second = new MetricsHttpServer(Endpoint, _render, log, _time);

        Assert.False(second.Start());
        Assert.Null(second.LocalEndpoint);
        Assert.True(log.Has(LogLevel.Error, $"Cannot serve metrics at {Endpoint}: "), string.Join("\n", log.Messages));
    }

    [Fact]
    public async Task Start_Ipv6Loopback_Serves()
    {
        await using var server = new MetricsHttpServer(new IPEndPoint(IPAddress.IPv6Loopback, 0), _render, _log, _time);
        if (!server.Start())
        {
            return; // a host without IPv6 on its loopback interface
        }

        using var http = new HttpClient();
        Assert.Equal(Body, await http.GetStringAsync(new Uri($"http://{server.LocalEndpoint}/metrics")));
    }

    /// <summary>Moves the fake clock past the request timeout until <paramref name="task"/> ends (a connection may start its timer late).</summary>
    private async Task AdvanceUntilAsync(Task task, TimeSpan? step = null)
    {
        for (var i = 0; i < 200 && !task.IsCompleted; i++)
        {
            _time.Advance(step ?? MetricsHttpServer.RequestTimeout + TimeSpan.FromSeconds(1));
            await Task.WhenAny(task, Task.Delay(50));
        }

        Assert.True(task.IsCompleted, "the connections were not closed at their timeout");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), what);
    }
}

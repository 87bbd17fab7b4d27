using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SharpBan.Metrics;
using SharpBan.Tests.Metrics;
using SharpBan.Tests.Support;

namespace SharpBan.Tests.Server;

/// <summary>
/// A real <c>sharpban server</c> with <c>metrics = 127.0.0.1:PORT</c>: failures fed through its log file until a ban
/// (dummy action), then scraped over HTTP and through <c>client metrics</c>; hostile requests leave it running.
/// </summary>
[Collection(SystemJournalCollection.Name)]
public class MetricsDaemonTests
{
    private const string Jail = """
        [DEFAULT]
        banaction = dummy
        banaction_allports = dummy
        [sshd]
        enabled = true
        backend = auto
        logpath = $DIR/auth.log
        action = dummy[target="$DIR/dummy.out"]
        """; // maxretry 3 from the shipped jail.conf

    /// <summary>
    /// An action whose commands never end in time (a mail server that does not answer) gathers waiting work: the gauge
    /// shows it, the log warns from 1000 in one action, and the other action of the jail is not held up by it.
    /// </summary>
    [Fact]
    public async Task Server_ActionSlowerThanTheBans_WaitingGaugeAndOneWarning()
    {
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = auto
            logpath = $DIR/auth.log
            action = dummy[target="$DIR/dummy.out"]
                     stuck
            """, start: false);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "stuck.conf"), "[Definition]\nactionban = sleep 30\n[Init]\nconcurrency = 1\n");
        await d.StartServerAsync();
        var addresses = Enumerable.Range(0, 1100).Select(static i => $"198.18.{i / 250}.{i % 250 + 1}").ToArray();
        Assert.Equal(0, (await d.ClientAsync(["set", "sshd", "banip", .. addresses])).Code);

        await TestDaemon.WaitUntilAsync(() => File.Exists(Path.Join(d.Dir, "dummy.out")) && File.ReadAllLines(Path.Join(d.Dir, "dummy.out")).Count(static l => l.StartsWith('+')) == 1100, "the dummy action's bans");
        await TestDaemon.WaitUntilAsync(
            () =>
            {
                var metrics = d.ClientAsync("metrics").GetAwaiter().GetResult().Output;
                var m = System.Text.RegularExpressions.Regex.Match(metrics, @"^sharpban_jail_actions_waiting\{jail=""sshd""\} (\d+)$", System.Text.RegularExpressions.RegexOptions.Multiline);
                return m.Success && m.Groups[1].Value == "1100"; // the stuck action's: one running, the rest queued; the dummy's all done
            },
            "1100 waiting");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(d.Log(), @"\[sshd\] action stuck: 1100 commands waiting"));
    }

    private static async Task<TestDaemon> StartWithMetricsAsync(string metrics)
    {
        var d = await TestDaemon.StartAsync(Jail, start: false);
        File.AppendAllText(Path.Join(d.Dir, "fail2ban.local"), $"\nmetrics = {metrics}\n");
        await d.StartServerAsync();
        return d;
    }

    private static async Task<string> SendRawAsync(int port, byte[] request)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        try
        {
            await client.SendAsync(request, SocketFlags.None, cancel.Token);
            client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, cancel.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
        {
            // closed by the server before it read everything (a huge head): what it answered is kept
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    [Fact]
    public async Task Scrape_AfterFailuresAndABan_CountersMovedOverHttpAndClient()
    {
        var port = LoopbackPort.Free();
        await using var d = await StartWithMetricsAsync($"127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var url = new Uri($"http://127.0.0.1:{port}/metrics");
        var before = ExpositionParser.Parse(await http.GetStringAsync(url));
        Assert.Equal(0, ExpositionParser.Value(before, "sharpban_jail_failed_total", "sshd"));
        Assert.Equal(0, ExpositionParser.Value(before, "sharpban_jail_lines_processed_total", "sshd"));

        d.Append(TestDaemon.FailedPassword("203.0.113.50"), "an unrelated line", TestDaemon.FailedPassword("203.0.113.50"), TestDaemon.FailedPassword("203.0.113.50"));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.50", StringComparison.Ordinal), "ban in dummy file");

        // the dummy file shows the ban a moment before its action leaves the queue: scrape once it has left, so that
        // the client's answer below is taken in the same state
        var waiting = Stopwatch.StartNew();
        while (ExpositionParser.Value(ExpositionParser.Parse(await http.GetStringAsync(url)), "sharpban_jail_actions_waiting", "sshd") != 0)
        {
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(15), "the ban action is still waiting after 15 s");
            await Task.Delay(20);
        }

        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PrometheusText.ContentType, response.Content.Headers.ContentType!.ToString());
        var scraped = ExpositionParser.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, ExpositionParser.Value(scraped, "sharpban_jails"));
        Assert.Equal(3, ExpositionParser.Value(scraped, "sharpban_jail_failed_total", "sshd"));
        Assert.Equal(0, ExpositionParser.Value(scraped, "sharpban_jail_failed_current", "sshd"));
        Assert.Equal(1, ExpositionParser.Value(scraped, "sharpban_jail_banned_current", "sshd"));
        Assert.Equal(1, ExpositionParser.Value(scraped, "sharpban_jail_banned_total", "sshd"));
        Assert.Equal(4, ExpositionParser.Value(scraped, "sharpban_jail_lines_processed_total", "sshd"));
        Assert.Equal(0, ExpositionParser.Value(scraped, "sharpban_jail_action_failures_total", "sshd"));
        Assert.Equal(0, ExpositionParser.Value(scraped, "sharpban_database_errors_total"));
        Assert.InRange(ExpositionParser.Value(scraped, "sharpban_uptime_seconds"), 0.001, 600);
        Assert.Contains($"INFO    Serving metrics at http://127.0.0.1:{port}/metrics", d.Log(), StringComparison.Ordinal);

        // client metrics: the same families through the control socket (only the uptime moved on)
        var (code, text) = await d.ClientAsync("metrics");
        Assert.Equal(0, code);
        var viaClient = ExpositionParser.Parse(text + "\n");
        Assert.Equal(Comparable(scraped), Comparable(viaClient));

        var (jsonCode, json) = await d.ClientAsync(true, "metrics");
        Assert.Equal(0, jsonCode);
        var families = MetricsJson.TryRead(JsonNode.Parse(json));
        Assert.NotNull(families);
        Assert.Equal(3, families.Single(f => f.Name == "sharpban_jail_failed_total").Samples.Single().Value);
    }

    private static List<string> Comparable(IReadOnlyList<ExpositionParser.Family> families) =>
        [.. families.Where(f => f.Name != "sharpban_uptime_seconds")
            .SelectMany(f => f.Samples.Select(s => $"{f.Type} {s.Name} {string.Join(',', s.Labels.Select(l => $"{l.Key}={l.Value}"))} {s.Value}"))];

    [Fact]
    public async Task HostileRequests_AreAnsweredOrClosed_TheDaemonGoesOn()
    {
        var port = LoopbackPort.Free();
        await using var d = await StartWithMetricsAsync($"127.0.0.1:{port}");

        // a slowloris client holding a connection open with half a request, and more idle connections than allowed
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                await socket.SendAsync("GET /metrics HTTP/1.1\r\nX-Slow: "u8.ToArray());
            }

            Assert.True(await Control.ControlClient.PingAsync(d.Socket, TimeSpan.FromSeconds(5)));
        }
        finally
        {
            idle.ForEach(s => s.Dispose()); // their slots are freed when the server sees them closed
        }

        await TestDaemon.WaitUntilAsync(() => SendRawAsync(port, "GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()).GetAwaiter().GetResult().StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), "served again");

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", await SendRawAsync(port, Encoding.ASCII.GetBytes("\u0016\u0003\u0001\u0002\u0000garbage\r\n\r\n")), StringComparison.Ordinal);
        // a head over the 8 KiB limit, small enough to be drained after the answer: the client reads its 431
        Assert.StartsWith("HTTP/1.1 431 ", await SendRawAsync(port, Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nX: " + new string('x', 32 << 10) + "\r\n\r\n")), StringComparison.Ordinal);
        // a 1 MiB head: answered 431 too, but the connection is closed with the client still sending, so the kernel may
        // reset it before the client reads the answer; only this connection is affected
        var huge = await SendRawAsync(port, Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nX: " + new string('x', 1 << 20) + "\r\n\r\n"));
        Assert.True(huge.Length == 0 || huge.StartsWith("HTTP/1.1 431 ", StringComparison.Ordinal), huge);
        Assert.StartsWith("HTTP/1.1 405 ", await SendRawAsync(port, "DELETE /metrics HTTP/1.1\r\n\r\n"u8.ToArray()), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404 ", await SendRawAsync(port, "GET /../../etc/passwd HTTP/1.1\r\n\r\n"u8.ToArray()), StringComparison.Ordinal);
        var random = new byte[1 << 16];
        new Random(6).NextBytes(random);
        _ = await SendRawAsync(port, random); // whatever the answer, only this connection is affected

        Assert.True(await Control.ControlClient.PingAsync(d.Socket, TimeSpan.FromSeconds(5)));
        d.Append(TestDaemon.FailedPassword("203.0.113.51"));
        await d.WaitForFailedAsync(1);
        var after = ExpositionParser.Parse(await new HttpClient().GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")));
        Assert.Equal(1, ExpositionParser.Value(after, "sharpban_jail_failed_total", "sshd"));
        Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listener_PortInUse_IsALoggedErrorAndTheDaemonRunsOn()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var d = await StartWithMetricsAsync($"127.0.0.1:{port}");

        await TestDaemon.WaitUntilAsync(() => d.Log().Contains($"ERROR   Cannot serve metrics at 127.0.0.1:{port}: ", StringComparison.Ordinal), "bind error logged");
        var (code, text) = await d.ClientAsync("metrics");
        Assert.Equal(0, code);
        Assert.Equal(1, ExpositionParser.Value(ExpositionParser.Parse(text + "\n"), "sharpban_jails"));
    }

    [Fact]
    public async Task Stop_WithTheListener_EndsCleanlyAndFreesThePort()
    {
        var port = LoopbackPort.Free();
        await using var d = await StartWithMetricsAsync($"127.0.0.1:{port}");
        Assert.StartsWith("HTTP/1.1 200 OK", await SendRawAsync(port, "GET /metrics HTTP/1.0\r\n\r\n"u8.ToArray()), StringComparison.Ordinal);

        await d.StopServerAsync();

        Assert.Contains("Exiting SharpBan", d.Log(), StringComparison.Ordinal);
        using var again = new TcpListener(IPAddress.Loopback, port);
        again.Start();
    }
}

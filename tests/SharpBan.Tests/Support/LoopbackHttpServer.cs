using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SharpBan.Tests.Support;

/// <summary>One request as the server received it: method, path, raw query, headers and body.</summary>
internal sealed record HttpRequestRecord(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The form or query fields of <paramref name="encoded"/> (<c>a=1&amp;b=2</c>), decoded.</summary>
    public static IReadOnlyDictionary<string, string> Fields(string encoded) =>
        encoded.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Decode(p[0]), p => p.Length > 1 ? Decode(p[1]) : "", StringComparer.Ordinal);

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}

/// <summary>
/// An HTTP server on 127.0.0.1 for tests of actions that call web APIs: records every request and answers with
/// <see cref="Respond"/> (200 and <c>{"success":true}</c> by default). Only loopback; stopped on dispose.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public LoopbackHttpServer()
    {
        for (var attempt = 0; ; attempt++)
        {
            Port = LoopbackPort.Free();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5) // the port was taken between probe and start: try another
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<HttpRequestRecord> Requests { get; } = new();

    public Func<HttpRequestRecord, (int Status, string Body)> Respond { get; set; } = _ => (200, """{"success":true}""");

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException) // the loop ends with the listener's disposal exception
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // closed
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.OfType<string>()
                .ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var url = context.Request.Url!;
            var request = new HttpRequestRecord(context.Request.HttpMethod, url.AbsolutePath, url.Query, headers, body);
            Requests.Enqueue(request);
            var (status, answer) = Respond(request);
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SharpBan.Engine.Matching;

namespace SharpBan.Server.Logs;

/// <summary>
/// The <c>systemd</c> backend: follows <c>journalctl -o json -f</c> with the jail's journalmatch (groups joined by
/// <c>+</c>) from the stored position or now − findtime, and turns entries into fail2ban's journal lines
/// (<c>host ident[pid]: message</c>) with the entry's own time.
/// </summary>
internal sealed class JournalSource(
    IReadOnlyList<IReadOnlyList<string>> matches,
    IReadOnlyDictionary<string, string> options,
    double since,
    ILogger logger,
    Func<LineTuple, double, bool, Task> dispatch) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Process? _process;
    private Task? _loop;

    public double LastTime { get; private set; }

    public void Start()
    {
        var psi = new ProcessStartInfo("journalctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-o", "json", "-f", "--no-pager", "--no-tail", "--since", "@" + ((long)since).ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(arg);
        }

        if (options.TryGetValue("journalpath", out var path))
        {
            psi.ArgumentList.Add("-D");
            psi.ArgumentList.Add(path);
        }

        if (options.TryGetValue("journalfiles", out var files))
        {
            foreach (var f in files.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                psi.ArgumentList.Add("--file=" + f);
            }
        }

        for (var i = 0; i < matches.Count; i++)
        {
            if (i > 0)
            {
                psi.ArgumentList.Add("+");
            }

            foreach (var term in matches[i])
            {
                psi.ArgumentList.Add(term);
            }
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("journalctl could not be started");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _loop = Task.Run(ReadAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
        }

        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        _process?.Dispose();
        _stop.Dispose();
    }

    /// <summary>fail2ban's journal entry → line conversion.</summary>
    public static (LineTuple Line, double Time)? Convert(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string? Field(string name) => root.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Array => string.Join(' ', v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : System.Text.Encoding.UTF8.GetString(x.EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray()))),
                _ => v.ToString(),
            }
            : null;
        var timeText = Field("_SOURCE_REALTIME_TIMESTAMP") ?? Field("__REALTIME_TIMESTAMP");
        if (timeText is null || !long.TryParse(timeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros))
        {
            return null;
        }

        var time = micros / 1e6;
        var host = Field("_HOSTNAME");
        var ident = Field("SYSLOG_IDENTIFIER") ?? Field("_COMM") ?? "";
        var pid = Field("SYSLOG_PID") ?? Field("_PID");
        var message = (Field("MESSAGE") ?? "").Replace("\n", "\\n", StringComparison.Ordinal);
        var line = (host is null ? "" : host + " ") + ident + (pid is null ? "" : $"[{pid}]") + ": " + message;
        var iso = DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        return (new LineTuple("", iso + " ", line), time);
    }

    private async Task ReadAsync()
    {
        var output = _process!.StandardOutput;
        string? json;
        while ((json = await output.ReadLineAsync(_stop.Token).ConfigureAwait(false)) is not null)
        {
            (LineTuple Line, double Time)? entry;
            try
            {
                entry = Convert(json);
            }
            catch (JsonException)
            {
                continue;
            }

            if (entry is { } e)
            {
                LastTime = e.Time;
                await dispatch(e.Line, e.Time, true).ConfigureAwait(false);
            }
        }

        Log.JournalEnded(logger, "end of output");
    }
}

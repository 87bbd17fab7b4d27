using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SharpBan.Journal;

namespace SharpBan.Server.Logs;

/// <summary>
/// The <c>systemd</c> backend: follows <c>journalctl -o json -f</c> (which follows appends to journal files too)
/// with the jail's journal selection and journalmatch, from just after the stored cursor or from now − findtime,
/// and hands each entry (converted by <see cref="JournalEntry"/>) with its cursor to the jail. Entries up to the
/// journal's tail at start are "catching up" (not in operation), as in fail2ban.
/// </summary>
internal sealed class JournalSource(
    string jail,
    IReadOnlyList<string> selection,
    System.Text.Encoding encoding,
    JournalStart start,
    Func<double> now,
    ILogger logger,
    Func<JournalEntry, bool, Task> dispatch) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Process? _process;
    private Task? _loop;
    private string? _tailCursor;
    private bool _inOperation;

    /// <summary>The cursor and time of the last entry handed to the jail; before the first, where it started.</summary>
    public (string? Cursor, long Time) Last { get; private set; } = (start.Cursor, (long)Math.Floor(start.Since));

    public async Task StartAsync()
    {
        _tailCursor = await ReadTailCursorAsync().ConfigureAwait(false);
        if (_tailCursor is null)
        {
            EnterOperation(); // nothing to catch up with (fail2ban: an empty journal for the matches)
        }
        var psi = NewJournalctl();
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add("--no-tail");
        psi.ArgumentList.Add(start.Cursor is { } cursor
            ? "--after-cursor=" + cursor
            : "--since=@" + ((long)Math.Floor(start.Since)).ToString(CultureInfo.InvariantCulture));
        foreach (var arg in selection)
        {
            psi.ArgumentList.Add(arg);
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("journalctl could not be started");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                Log.JournalError(logger, e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _loop = Task.Run(ReadAsync);
    }

    private void EnterOperation()
    {
        _inOperation = true;
        Log.JournalInOperation(logger, jail);
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

    private ProcessStartInfo NewJournalctl()
    {
        var psi = new ProcessStartInfo("journalctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-o", "json", "--no-pager" })
        {
            psi.ArgumentList.Add(arg);
        }

        return psi;
    }

    /// <summary>The cursor of the last matching entry at start (the end of "catching up"), or null if none.</summary>
    private async Task<string?> ReadTailCursorAsync()
    {
        var psi = NewJournalctl();
        psi.ArgumentList.Add("-n");
        psi.ArgumentList.Add("1");
        foreach (var arg in selection)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("journalctl could not be started");
        var stderr = process.StandardError.ReadToEndAsync(_stop.Token);
        var text = await process.StandardOutput.ReadToEndAsync(_stop.Token).ConfigureAwait(false);
        await process.WaitForExitAsync(_stop.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("journalctl: " + (await stderr.ConfigureAwait(false)).Trim());
        }

        var last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return last is null ? null : JournalEntry.Parse(last)?.Cursor;
    }

    private async Task ReadAsync()
    {
        var output = _process!.StandardOutput;
        string? json;
        while ((json = await output.ReadLineAsync(_stop.Token).ConfigureAwait(false)) is not null)
        {
            JournalEntry? entry;
            try
            {
                entry = JournalEntry.Parse(json, encoding);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
            {
                Log.JournalError(logger, e.Message); // one odd entry is skipped; the jail keeps reading
                continue;
            }

            if (entry is null)
            {
                continue;
            }

            if (!_inOperation && entry.Time >= now() - 1)
            {
                EnterOperation();
            }

            await dispatch(entry, _inOperation).ConfigureAwait(false);
            if (entry.Cursor is { } read)
            {
                Last = (read, (long)entry.Time);
            }

            if (!_inOperation && string.Equals(entry.Cursor, _tailCursor, StringComparison.Ordinal))
            {
                EnterOperation();
            }
        }

        Log.JournalEnded(logger, _process.HasExited ? "exit code " + _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "end of output");
    }
}

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
/// journal's tail at start are "catching up" (not in operation), as in fail2ban. A <c>journalctl</c> that ends (killed,
/// crashed, refused a cursor the journal no longer has) is started again after the last entry read, after a pause that
/// doubles from 1 s to 60 s while the restarts deliver nothing: the jail never stops reading for good.
/// </summary>
internal sealed class JournalSource(
    string jail,
    IReadOnlyList<string> selection,
    System.Text.Encoding encoding,
    JournalStart start,
    TimeProvider time,
    ILogger logger,
    Func<JournalEntry, bool, Task> dispatch) : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _processLock = new();
    private Process? _process;
    private Task? _loop;
    private string? _tailCursor;
    private bool _inOperation;

    /// <summary>
    /// The cursor and time of the last entry the jail has handled (see <see cref="Handled"/>); before the first, where
    /// it started.
    /// </summary>
    public (string? Cursor, long Time) Last { get; private set; } = (start.Cursor, (long)Math.Floor(start.Since));

    /// <summary>
    /// Called by the dispatcher for each entry it was handed, under the lock its readers of <see cref="Last"/> hold
    /// (the daemon's gate), before it lets go of it: a command that restarts or idles the jail there then resumes
    /// after exactly the entries handled (when the reader set it after the dispatch returned, a command could slip in
    /// between and resume before an entry already counted, which was then counted twice).
    /// </summary>
    public void Handled(JournalEntry entry)
    {
        if (entry.Cursor is { } cursor)
        {
            Last = (cursor, (long)entry.Time);
        }
    }

    public async Task StartAsync()
    {
        _tailCursor = await ReadTailCursorAsync().ConfigureAwait(false);
        if (_tailCursor is null)
        {
            EnterOperation(); // nothing to catch up with (fail2ban: an empty journal for the matches)
        }

        Follow(start.Cursor);
        _loop = Task.Run(ReadAsync);
    }

    /// <summary>Starts the following <c>journalctl</c>: after <paramref name="cursor"/>, else from the time of <see cref="Last"/>.</summary>
    private void Follow(string? cursor)
    {
        var psi = NewJournalctl();
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add("--no-tail");
        psi.ArgumentList.Add(cursor is not null
            ? "--after-cursor=" + cursor
            : "--since=@" + Last.Time.ToString(CultureInfo.InvariantCulture));
        foreach (var arg in selection)
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("journalctl could not be started");
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                Log.JournalError(logger, e.Data);
            }
        };
        process.BeginErrorReadLine();
        Process? previous;
        lock (_processLock)
        {
            if (_stop.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                throw new OperationCanceledException(_stop.Token);
            }

            previous = _process;
            _process = process;
        }

        previous?.Dispose();
    }

    private void EnterOperation()
    {
        _inOperation = true;
        Log.JournalInOperation(logger, jail);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        lock (_processLock)
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
            }
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
        var wait = FirstRetry;
        while (true)
        {
            var process = _process!;
            var began = time.GetTimestamp();
            var read = await ReadEntriesAsync(process.StandardOutput).ConfigureAwait(false);
            var how = await EndedAsync(process).ConfigureAwait(false);
            if (read > 0 || time.GetElapsedTime(began) >= LastRetry)
            {
                wait = FirstRetry;
            }

            // journalctl refuses a cursor it cannot seek to with exit code 1 before any entry ("Failed to seek to
            // cursor"): go on from the last entry's time then (a killed journalctl exits with 128 + the signal)
            var cursorRefused = read == 0 && process.ExitCode == 1 && Last.Cursor is not null;
            Log.JournalEnded(logger, jail, how, (int)wait.TotalSeconds);
            await Task.Delay(wait, time, _stop.Token).ConfigureAwait(false);
            wait = wait * 2 < LastRetry ? wait * 2 : LastRetry;
            try
            {
                Follow(cursorRefused ? null : Last.Cursor);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                Log.JournalError(logger, e.Message); // tried again after the next pause (the old process has ended)
            }
        }
    }

    /// <summary>How the process whose output ended went: its exit code, or killed when it outlives its output.</summary>
    private async Task<string> EndedAsync(Process process)
    {
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        grace.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true); // output closed but still running: start afresh
            await process.WaitForExitAsync(_stop.Token).ConfigureAwait(false);
        }

        return "exit code " + process.ExitCode.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Hands every entry of one <c>journalctl</c>'s output to the jail; the number handed.</summary>
    private async Task<int> ReadEntriesAsync(StreamReader output)
    {
        var read = 0;
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

            read++;
            if (!_inOperation && entry.Time >= Now() - 1)
            {
                EnterOperation();
            }

            try
            {
                await dispatch(entry, _inOperation).ConfigureAwait(false); // calls Handled
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // deliberate: one entry the jail could not handle is logged and skipped; the reader must not end with it,
                // or the jail would stop reading the journal for good without a word
                Log.JournalEntryFailed(logger, jail, entry.Cursor ?? "(no cursor)", e.Message);
                Handled(entry);
            }

            if (!_inOperation && string.Equals(entry.Cursor, _tailCursor, StringComparison.Ordinal))
            {
                EnterOperation();
            }
        }

        return read;
    }

    private double Now() => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
}

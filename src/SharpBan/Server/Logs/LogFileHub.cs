using Microsoft.Extensions.Logging;

namespace SharpBan.Server.Logs;

/// <summary>
/// All monitored files of the daemon: one <see cref="LogFileReader"/> per path however many jails watch it, one loop
/// that reads changed files. With inotify (<c>auto</c>, <c>pyinotify</c>, <c>inotify</c>, <c>gamin</c>) a
/// <see cref="FileSystemWatcher"/> on each parent directory wakes the loop (files that appear later included) and a slow
/// poll is only a safety net; <c>polling</c> checks every second, and is woken early by the same watchers when inotify
/// works there (a hint only: the poll stays the guarantee, e.g. on NFS or when the inotify limits are reached).
/// </summary>
internal sealed class LogFileHub(ILogger logger, Func<LogFileReader, IReadOnlyList<string>, Task> dispatch) : IAsyncDisposable
{
    private const int TrimAfterLines = 10_000;
    private const long QuietAllocation = 1 << 20;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (LogFileReader Reader, int Subscribers, bool Polling)> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _linesSinceTrim;
    private long _quietCheckTicks;
    private long _quietCheckAllocated;
    private (LogFileReader[] Readers, bool AnyPolling)? _snapshot;

    /// <summary>How often polled files are checked (<c>backend = polling</c>); tests lengthen it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often files watched by inotify are checked anyway.</summary>
    public TimeSpan SafetyPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public static bool UsesInotify(string backend) =>
        backend.Split('[')[0].Trim() is "auto" or "pyinotify" or "inotify" or "gamin" or "";

    /// <summary>
    /// Adds a watcher of <paramref name="path"/>; the first one opens it at head/tail or the stored position
    /// (<paramref name="opened"/>), a later one shares the reader where it is.
    /// </summary>
    public LogFileReader Subscribe(string path, bool tail, bool polling, string encoding, (string? Hash, long Position)? stored, out bool opened)
    {
        lock (_lock)
        {
            opened = !_files.TryGetValue(path, out var entry);
            if (!opened)
            {
                _files[path] = (entry.Reader, entry.Subscribers + 1, entry.Polling || polling);
                _snapshot = null;
                return entry.Reader;
            }

            var reader = new LogFileReader(path, logger);
            reader.SetEncoding(encoding);
            if (reader.Open(tail, stored))
            {
                Log.LogAdded(logger, Engine.Config.PyText.Repr(path), reader.Position, reader.FirstLineHash ?? "");
            }

            _files[path] = (reader, 1, polling);
            _snapshot = null;
            Watch(path, hintOnly: polling);

            _loop ??= Task.Run(RunAsync);
            _signal.Release();
            return reader;
        }
    }

    /// <inheritdoc cref="Subscribe(string, bool, bool, string, ValueTuple{string, long}?, out bool)"/>
    public LogFileReader Subscribe(string path, bool tail, bool polling, string encoding, (string? Hash, long Position)? stored) =>
        Subscribe(path, tail, polling, encoding, stored, out _);

    /// <summary>
    /// A jail's <c>logencoding</c> changed: the file's reader decodes with it from its next read, when that jail is the
    /// only one reading the file (jails sharing a file share the encoding of the first, docs/compatibility.md).
    /// </summary>
    public void ChangeEncoding(string path, string encoding)
    {
        lock (_lock)
        {
            if (_files.TryGetValue(path, out var entry) && entry.Subscribers == 1)
            {
                entry.Reader.ChangeEncoding(encoding);
            }
        }
    }

    /// <summary>The reader of <paramref name="path"/> while a jail watches it.</summary>
    public LogFileReader? ReaderOf(string path)
    {
        lock (_lock)
        {
            return _files.TryGetValue(path, out var entry) ? entry.Reader : null;
        }
    }

    public void Unsubscribe(string path)
    {
        lock (_lock)
        {
            if (!_files.TryGetValue(path, out var entry))
            {
                return;
            }

            if (entry.Subscribers > 1)
            {
                _files[path] = (entry.Reader, entry.Subscribers - 1, entry.Polling);
                return;
            }

            _files.Remove(path);
            _snapshot = null;
            entry.Reader.Dispose();
        }
    }

    /// <summary>Reads every file now (flushlogs, tests).</summary>
    public void Poke() => _signal.Release();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
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

        lock (_lock)
        {
            foreach (var w in _watchers.Values)
            {
                w.Dispose();
            }

            foreach (var f in _files.Values)
            {
                f.Reader.Dispose();
            }

            _files.Clear();
        }

        _signal.Dispose();
        _stop.Dispose();
    }

    /// <summary>The readers and whether any file is polled, rebuilt only after a subscription changed.</summary>
    private (LogFileReader[] Readers, bool AnyPolling) Snapshot()
    {
        lock (_lock)
        {
            return _snapshot ??= ([.. _files.Values.Select(f => f.Reader)], _files.Values.Any(f => f.Polling));
        }
    }

    /// <summary>Watches the directory of <paramref name="path"/>; <paramref name="hintOnly"/>: a failure is ignored (polled file).</summary>
    private void Watch(string path, bool hintOnly)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        if (_watchers.ContainsKey(dir) || !Directory.Exists(dir))
        {
            return;
        }

        var watcher = new FileSystemWatcher(dir)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        FileSystemEventHandler changed = (_, _) => _signal.Release();
        watcher.Changed += changed;
        watcher.Created += changed;
        watcher.Renamed += (_, _) => _signal.Release();
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch (IOException) when (hintOnly)
        {
            // Deliberate: no inotify for a polled file (e.g. the user's inotify instance limit is reached); polling
            // alone still sees every change, only the early wake-up is lost.
            watcher.Dispose();
            return;
        }

        _watchers[dir] = watcher;
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            await _signal.WaitAsync(Snapshot().AnyPolling ? PollInterval : SafetyPollInterval, token).ConfigureAwait(false);
            while (_signal.CurrentCount > 0)
            {
                await _signal.WaitAsync(token).ConfigureAwait(false); // coalesce a burst of events into one read
            }

            var linesRead = 0;
            foreach (var reader in Snapshot().Readers)
            {
                IReadOnlyList<string> lines;
                try
                {
                    lines = reader.ReadNew();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // deliberate: one file that cannot be read (I/O error, a FIFO or device swapped in) must never stop
                    // the loop that reads all the others
                    Log.LogReadError(logger, reader.Path, OsError.Describe(e));
                    continue;
                }

                if (lines.Count > 0)
                {
                    try
                    {
                        await dispatch(reader, lines).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Log.LogReadError(logger, reader.Path, OsError.Describe(e)); // deliberate: the loop goes on for the other files
                    }

                    linesRead += lines.Count;
                }

                if (reader.HasMore)
                {
                    _signal.Release(); // the rest of a backlog: next burst without waiting for the poll interval
                    continue;
                }

                if (lines.Count > 0)
                {
                    // as fail2ban: a file is "in operation" once a read with content reached its end; until then
                    // (e.g. a file empty at start) its lines are read as a backlog: older than findtime is ignored,
                    // not treated as "just happened"
                    reader.EnterOperation();
                }
            }

            TrimAfterStorm(linesRead);
        }
    }

    /// <summary>
    /// After a storm the garbage of the burst is gone but the GC keeps the memory it grew to; one aggressive collection
    /// hands it back to the system (a few ms, at most once per storm). It waits until the whole daemon is quiet, not
    /// only the files: a pass without new lines, and less than <see cref="QuietAllocation"/> allocated during the last
    /// second (the storm's bans run their actions for a while after the last line was read).
    /// </summary>
    private void TrimAfterStorm(int linesRead)
    {
        _linesSinceTrim += linesRead;
        if (linesRead > 0 || _linesSinceTrim < TrimAfterLines)
        {
            return;
        }

        var now = Environment.TickCount64;
        if (now - _quietCheckTicks < 1000)
        {
            return;
        }

        var allocated = GC.GetTotalAllocatedBytes();
        var quiet = allocated - _quietCheckAllocated < QuietAllocation && _quietCheckTicks != 0;
        (_quietCheckTicks, _quietCheckAllocated) = (now, allocated);
        if (quiet)
        {
            _linesSinceTrim = 0;
            _quietCheckTicks = 0;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}

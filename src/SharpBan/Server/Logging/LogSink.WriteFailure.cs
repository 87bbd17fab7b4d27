namespace SharpBan.Server.Logging;

/// <summary>
/// A log that cannot be written (a full disk, a file system gone read-only, a closed standard output) never stops the
/// daemon: a failed write or flush drops the writer, says so once on standard error (the journal under systemd), and
/// counts the lines dropped; every <see cref="RetryInterval"/> a line tries the target again, and once it can be
/// written the first line says how many were lost. Before, the exception reached whatever was logging: a failed flush
/// when the command gate was left kept the gate shut, and the daemon answered no command and read no log again.
/// </summary>
internal sealed partial class LogSink
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    /// <summary>Lines written since the last flush that succeeded (lost with the writer's buffer if the next one fails).</summary>
    private int _unflushed;

    /// <summary>Lines lost since the log last could be written.</summary>
    private long _lost;

    /// <summary>Why the log cannot be written, until a flush succeeds again; null while all is well.</summary>
    private string? _failure;

    private DateTimeOffset _retryAt;

    /// <summary>Lines lost so far in the current failure (tests).</summary>
    internal long LostLines
    {
        get
        {
            lock (_lock)
            {
                return _lost;
            }
        }
    }

    private void FlushLocked()
    {
        if (_writer is null)
        {
            return;
        }

        try
        {
            _writer.Flush();
            _unflushed = 0;
            if (_failure is not null)
            {
                _failure = null;
                _lost = 0;
            }
        }
        catch (IOException e)
        {
            FailedLocked(e);
        }
    }

    private void FailedLocked(IOException e)
    {
        _lost += _unflushed;
        _unflushed = 0;
        if (_failure is null)
        {
            _failure = OsError.Describe(e);
            try
            {
                Console.Error.WriteLine($"sharpban: cannot write the log to {Target} ({OsError.Describe(e)}): its lines are dropped until it can be written again");
            }
            catch (IOException)
            {
                // standard error is gone too: nothing left to tell
            }
        }

        DropWriterLocked();
        _retryAt = time.GetUtcNow() + RetryInterval;
    }

    private void DropWriterLocked()
    {
        var writer = _writer;
        var owned = _ownsWriter;
        _writer = null;
        _ownsWriter = false;
        if (!owned || writer is null)
        {
            return;
        }

        try
        {
            writer.Dispose();
        }
        catch (IOException)
        {
            // deliberate: its buffered lines could not be written (counted as lost); the handle is closed anyway
            _lost += _unflushed;
            _unflushed = 0;
        }
    }

    /// <summary>
    /// Without a writer after a failure: at the retry time, opens the target again and writes how many lines were lost
    /// (kept counting until a flush succeeds); false until then.
    /// </summary>
    private bool TryRecoverLocked()
    {
        if (_failure is null || time.GetUtcNow() < _retryAt)
        {
            return false;
        }

        _retryAt = time.GetUtcNow() + RetryInterval;
        try
        {
            OpenLocked();
            if (_ownsWriter && EndsInsideALine(Target))
            {
                _writer!.WriteLine(); // the line a failed write left half written ends here
            }

            WriteLineLocked("fail2ban.server", "WARNING", $"{_lost} log line(s) lost: the log could not be written ({_failure})");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DropWriterLocked();
            return false;
        }
    }

    private static bool EndsInsideALine(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (!file.CanSeek || file.Length == 0)
        {
            return false;
        }

        file.Seek(-1, SeekOrigin.End);
        return file.ReadByte() != '\n';
    }
}

using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SharpBan.Storage;

/// <summary>
/// Keeping the file the daemon's: a cheap <c>stat</c> before each commit and every few seconds tells a file deleted,
/// moved away, replaced or rewritten under the connection (SQLite itself would go on writing to the unlinked file, and
/// every ban since would be gone at the next start). A file that changed, or that cannot be written, is repaired by
/// <see cref="Maintain"/>: the old file's content (when it is still readable through the connection) and the daemon's
/// current state are written to the file at the path, retrying with a growing delay until that works.
/// </summary>
internal sealed partial class BanDatabase
{
    /// <summary>Seconds between two checks of an idle file.</summary>
    public const double CheckInterval = 5;

    /// <summary>The longest delay between two attempts to repair a file (they start at 1 s and double).</summary>
    public const double MaxRetryInterval = 300;

    private readonly HashSet<(string Jail, string? Ip)> _unconfirmedDeletes = [];
    private DatabaseTrouble _trouble;
    private long _errors;
    private string? _troubleMessage;
    private (FileIdentity Identity, long Size, long Modified)? _stamp;
    private double _nextCheck;
    private double _nextAttempt;
    private int _failedAttempts;
    private bool _staleSideFiles;
    private bool _setAsidePending;

    /// <summary>Times the file could not be used (each failed write, commit, check or repair attempt), for the metrics.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Why the file does not hold the daemon's state now; null when it does.</summary>
    public string? Trouble
    {
        get
        {
            lock (_sync)
            {
                return _trouble == DatabaseTrouble.None ? null : _troubleMessage;
            }
        }
    }

    /// <summary>When <see cref="Maintain"/> has work next (a check, or another attempt), in Unix seconds.</summary>
    public double NextMaintenance
    {
        get
        {
            lock (_sync)
            {
                return _trouble == DatabaseTrouble.None ? _nextCheck : _nextAttempt;
            }
        }
    }

    /// <summary>The copy of a moved-away file's content, kept until it is merged into the file at the path.</summary>
    private string SnapshotPath => Path + ".moved";

    /// <summary>
    /// Checks the file when a check is due (or <paramref name="force"/>) and repairs it when it has a trouble and an
    /// attempt is due: reopens the path (set aside when unreadable), carries the old file's content over, replays the
    /// deletions it may have missed and writes <paramref name="state"/> (jails and current bans). Null when there was
    /// nothing to do; never throws for a file it cannot use.
    /// </summary>
    public DatabaseRecovery? Maintain(Func<IReadOnlyList<JailBans>> state, bool force = false)
    {
        lock (_sync)
        {
            if (Path == ":memory:")
            {
                return null;
            }

            var now = Now();
            if (_trouble == DatabaseTrouble.None)
            {
                if (!force && now < _nextCheck)
                {
                    return null;
                }

                ScheduleCheck();
                if (_transaction is not null || FileUnchanged())
                {
                    return null; // pending writes: checked at their commit
                }
            }

            return force || now >= _nextAttempt ? Recover(state(), now) : null;
        }
    }

    private DatabaseRecovery Recover(IReadOnlyList<JailBans> state, double now)
    {
        var cause = CurrentCause();
        var change = cause switch
        {
            DatabaseTrouble.Moved => File.Exists(Path) ? "replaced by another file" : "deleted or moved away",
            DatabaseTrouble.Rewritten => "rewritten by another program",
            DatabaseTrouble.Corrupt => "found corrupt",
            _ => "",
        };
        var ghostOpen = _connection is not null && cause == DatabaseTrouble.Moved;
        try
        {
            if (_connection is not null)
            {
                RollbackPending();
                if (cause == DatabaseTrouble.Moved)
                {
                    TakeSnapshot();
                    CheckpointMoved();
                }

                // a file rewritten under the connection must not get the connection's pages (the WAL) on close; SQLite
                // itself never checkpoints a moved file on close, and leaves its WAL under the path's name
                Close(checkpoint: cause == DatabaseTrouble.Failed);
                ghostOpen = false;
            }

            _staleSideFiles |= cause is DatabaseTrouble.Moved or DatabaseTrouble.Rewritten;
            _setAsidePending |= cause == DatabaseTrouble.Corrupt;

            CleanUpPath();
            var movedIn = false;
            if (File.Exists(SnapshotPath) && !File.Exists(Path))
            {
                File.Move(SnapshotPath, Path); // the old file's exact content, under its name again
                movedIn = true;
            }

            _trouble = DatabaseTrouble.None;
            var created = Connect(atStart: false);
            if (_trouble != DatabaseTrouble.None)
            {
                throw new IOException(_troubleMessage); // readable but not writable: Connect kept the connection for reads
            }

            var merged = MergeSnapshot();
            var bans = WriteState(state);
            _stamp = StampOf(Path);
            _failedAttempts = 0;
            ScheduleCheck();
            var current = $"the current state ({Count(bans, "ban")} in {Count(state.Count, "jail")})";
            var outcome = movedIn ? $"recreated with its content and {current}"
                : created ? $"recreated with {current}{(merged ? " and the earlier file's content" : "")}"
                : $"{current}{(merged ? " and the earlier file's content" : "")} added to the file found there";
            return new DatabaseRecovery(cause, change, outcome, null, 0, RestoreBans: !movedIn && !created);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // deliberate: the daemon goes on banning from memory; the state is written at a later attempt. A file that
            // opened but cannot be written stays open for reads (restore, bantime.increment, action tags).
            RollbackPending();
            var corrupt = _trouble == DatabaseTrouble.Corrupt || e is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB };
            if (corrupt && !ghostOpen)
            {
                Close(checkpoint: false);
                _setAsidePending = true;
            }

            _trouble = ghostOpen ? DatabaseTrouble.Moved : corrupt ? DatabaseTrouble.Corrupt : DatabaseTrouble.Failed;
            _troubleMessage = change.Length > 0 ? $"it was {change} while the server ran and cannot be recreated: {Describe(e)}" : Describe(e);
            _failedAttempts++;
            var retry = Math.Min(MaxRetryInterval, Math.Pow(2, Math.Min(_failedAttempts - 1, 20)));
            _nextAttempt = now + retry;
            return new DatabaseRecovery(cause, change, null, _troubleMessage, retry, false);
        }
    }

    /// <summary>The trouble as the path shows it now: a moved or rewritten file explains any SQLite error after it.</summary>
    private DatabaseTrouble CurrentCause()
    {
        if (_connection is null || _stamp is not { } stamp)
        {
            return _trouble;
        }

        var now = StampOf(Path);
        if (now is null || now.Value.Identity != stamp.Identity)
        {
            return DatabaseTrouble.Moved;
        }

        return now.Value.Size != stamp.Size || now.Value.Modified != stamp.Modified ? DatabaseTrouble.Rewritten : _trouble;
    }

    /// <summary>Whether the path is still the file the connection writes; sets the trouble when not.</summary>
    private bool FileUnchanged()
    {
        if (Path == ":memory:" || _connection is null)
        {
            return true;
        }

        var cause = CurrentCause();
        if (cause is DatabaseTrouble.Moved or DatabaseTrouble.Rewritten)
        {
            _trouble = cause;
            _troubleMessage = cause == DatabaseTrouble.Moved ? "the file was deleted or replaced" : "the file was rewritten by another program";
            _nextAttempt = 0; // at once
            return false;
        }

        return true;
    }

    /// <summary>A failed read or write: the file misses writes from now on until repaired (the first attempt is immediate).</summary>
    private void Fail(Exception e)
    {
        Interlocked.Increment(ref _errors);
        RollbackPending();
        if (_trouble == DatabaseTrouble.None)
        {
            _nextAttempt = 0; // the first attempt at once: it tells the log what is wrong
        }

        if (_trouble is DatabaseTrouble.None or DatabaseTrouble.Failed)
        {
            _trouble = e is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB } ? DatabaseTrouble.Corrupt : DatabaseTrouble.Failed;
        }

        _troubleMessage = Describe(e);
    }

    /// <summary>Remembers a deletion until a commit is known to have reached the file at the path.</summary>
    private void NoteDelete(string jail, string? ip)
    {
        if (ip is null)
        {
            _unconfirmedDeletes.RemoveWhere(d => d.Jail == jail);
        }
        else if (_unconfirmedDeletes.Contains((jail, null)))
        {
            return;
        }

        _unconfirmedDeletes.Add((jail, ip));
    }

    private static (FileIdentity Identity, long Size, long Modified)? StampOf(string path) =>
        path == ":memory:" ? null : FileIdentity.Status(path);

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private void ScheduleCheck() => _nextCheck = Now() + CheckInterval;

    private double Now() => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>For the log: seconds as fail2ban writes small numbers.</summary>
    public static string Seconds(double seconds) => seconds.ToString("0.#", CultureInfo.InvariantCulture);
}

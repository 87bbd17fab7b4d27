using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SharpBan.Engine.Jails;

namespace SharpBan.Storage;

/// <summary>
/// The persistent state in fail2ban's schema (version 4: <c>jails</c>, <c>logs</c>, <c>bans</c>, <c>bips</c>), so a
/// fail2ban database can be reused. WAL journal with <c>synchronous=NORMAL</c>: every committed ban survives a crash
/// of the process. Writes open one transaction that stays open until <see cref="Commit"/>, which the server calls
/// when it leaves its gate (after a burst of log lines or a command) and before any action of the burst runs: a ban
/// storm costs one commit per burst, not one per ban, and an applied ban is still always committed first.
/// Never throws for a file it cannot use (deleted, replaced, full, read-only, corrupt): that is a <see cref="Trouble"/>,
/// writes wait for <see cref="Maintain"/> to repair the file and give it the daemon's state again, and reads answer
/// as without a database. Thread-safe (the server calls it under its gate; action tags read the history from the
/// action threads). Split: <c>.Open</c> (schema, upgrades), <c>.History</c> (reads), <c>.Recovery</c> (checks, the
/// repair's course), <c>.Repair</c> (its steps), <c>.Logs</c>.
/// </summary>
internal sealed partial class BanDatabase : IBanHistory, IDisposable
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly Action<string>? _notice;
    private SqliteConnection? _connection;
    private SqliteTransaction? _transaction;

    /// <summary>The schema version written and understood (fail2ban 1.0.2's).</summary>
    public const long Version = 4;

    /// <summary>
    /// Opens (or creates) the file. A file that cannot be used now (no writable directory, a full disk…) is not an
    /// error here: <see cref="Trouble"/> says why, and <see cref="Maintain"/> tries again later.
    /// </summary>
    /// <param name="notice">Told what was done to an existing file (upgraded, or set aside because it was unreadable).</param>
    /// <exception cref="InvalidOperationException">The file has a newer schema than this version understands.</exception>
    public BanDatabase(string path, Action<string>? notice = null, TimeProvider? time = null)
    {
        Path = path;
        _notice = notice;
        _time = time ?? TimeProvider.System;
        try
        {
            Connect(atStart: true);
            if (_trouble == DatabaseTrouble.None && MergeSnapshot())
            {
                // a repair was cut short (the process ended between copying a moved-away file and merging it)
                _notice?.Invoke($"Database '{Path}': the copy '{SnapshotPath}' of a file moved away under the last run was merged into it");
                _stamp = StampOf(Path);
            }
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            Fail(e); // deliberate: the daemon runs and bans without the file until it can be used
        }

        ScheduleCheck();
        if (_trouble != DatabaseTrouble.None)
        {
            _failedAttempts = 1; // this was the first attempt
            _nextAttempt = Now() + 1;
        }
    }

    public string Path { get; }

    public int MaxMatches { get; set; } = 10;

    public double PurgeAge { get; set; } = 86400;

    /// <summary>Whether writes are waiting for <see cref="Commit"/>.</summary>
    public bool HasPendingWrites
    {
        get
        {
            lock (_sync)
            {
                return _transaction is not null;
            }
        }
    }

    /// <summary>
    /// Commits the writes since the last commit (no-op when there were none). The file is checked first: writes meant
    /// for a file that was deleted or moved away go to it still (its content is carried over by <see cref="Maintain"/>);
    /// writes for a file rewritten under the connection are dropped, not mixed into somebody else's file.
    /// </summary>
    public void Commit()
    {
        lock (_sync)
        {
            if (_transaction is null)
            {
                return;
            }

            if (!FileUnchanged() && _trouble != DatabaseTrouble.Moved)
            {
                RollbackPending();
                return;
            }

            try
            {
                CommitPending();
            }
            catch (SqliteException e)
            {
                Fail(e);
                return;
            }

            if (_trouble == DatabaseTrouble.None)
            {
                _stamp = StampOf(Path); // SQLite's own checkpoint may just have written the file
                _unconfirmedDeletes.Clear();
            }
        }
    }

    /// <summary>
    /// Commits and closes. A file that changed under the connection (the server tried to repair it just before) is not
    /// given the connection's pages, and the connection's WAL is removed from the path's name.
    /// </summary>
    public void Dispose()
    {
        lock (_sync)
        {
            Commit();
            if (_trouble == DatabaseTrouble.Moved)
            {
                CheckpointMoved();
            }

            Close(checkpoint: _trouble is DatabaseTrouble.None or DatabaseTrouble.Failed);
            if (_trouble is DatabaseTrouble.Moved or DatabaseTrouble.Rewritten || _staleSideFiles)
            {
                try
                {
                    File.Delete(Path + "-wal");
                    File.Delete(Path + "-shm");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // deliberate: nothing more can be done at exit; the next start sets an unreadable file aside
                }
            }
        }
    }

    public void AddJail(string jail) =>
        Write("INSERT INTO jails(name, enabled) VALUES ($j, 1) ON CONFLICT(name) DO UPDATE SET enabled=1", ("$j", jail));

    public void DisableJail(string jail) => Write("UPDATE jails SET enabled=0 WHERE name=$j", ("$j", jail));

    /// <summary>Records a ban in <c>bans</c> (history) and <c>bips</c> (latest per address and jail).</summary>
    public void AddBan(string jail, BanTicket ticket, long jailBanTime)
    {
        var row = BanRow(jail, ticket, jailBanTime);
        Write("INSERT INTO bans(jail, ip, timeofban, bantime, bancount, data) VALUES ($j, $ip, $t, $bt, $c, $d)", row);
        Write("INSERT OR REPLACE INTO bips(ip, jail, timeofban, bantime, bancount, data) VALUES ($ip, $j, $t, $bt, $c, $d)", row);
    }

    /// <summary>Deletes the history of <paramref name="ip"/> (or of every address when null) in a jail.</summary>
    public void DeleteBans(string jail, string? ip)
    {
        lock (_sync)
        {
            NoteDelete(jail, ip);
            if (ip is null)
            {
                Write("DELETE FROM bans WHERE jail=$j", ("$j", jail));
                Write("DELETE FROM bips WHERE jail=$j", ("$j", jail));
            }
            else
            {
                Write("DELETE FROM bans WHERE jail=$j AND ip=$ip", ("$j", jail), ("$ip", ip));
                Write("DELETE FROM bips WHERE jail=$j AND ip=$ip", ("$j", jail), ("$ip", ip));
            }
        }
    }

    /// <summary>Hourly purge: old history, old bips, forgotten disabled jails; then give free pages back.</summary>
    public void Purge(double now)
    {
        lock (_sync)
        {
            var since = (long)(now - PurgeAge);
            Write("DELETE FROM bans WHERE timeofban < $s", ("$s", since));
            Write("DELETE FROM bips WHERE timeofban < $s AND bantime != -1 AND timeofban + 3*bantime < $s", ("$s", since));
            Write("DELETE FROM jails WHERE enabled = 0 AND NOT EXISTS(SELECT 1 FROM bans WHERE jail=name) AND NOT EXISTS(SELECT 1 FROM bips WHERE jail=name)");
            if (HasWindowsTable())
            {
                // the windows of a jail that stays stopped go when the purge forgets the jail itself
                Write("DELETE FROM sharpban_failures WHERE jail NOT IN (SELECT name FROM jails)");
            }

            Commit();
            if (_trouble == DatabaseTrouble.None && _connection is not null)
            {
                try
                {
                    Execute("PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);");
                    _stamp = StampOf(Path);
                }
                catch (SqliteException e)
                {
                    Fail(e);
                }
            }
        }
    }

    /// <summary>The values of a ban's <c>bans</c>/<c>bips</c> row, as fail2ban stores them.</summary>
    private (string, object?)[] BanRow(string jail, BanTicket ticket, long jailBanTime)
    {
        var data = new JsonObject
        {
            ["matches"] = new JsonArray([.. ticket.Matches.TakeLast(Math.Max(0, MaxMatches)).Select(m => (JsonNode?)JsonValue.Create(m))]),
            ["failures"] = ticket.Failures,
        };
        foreach (var (key, value) in ticket.Data)
        {
            if (key is "matches" or "failures" || value is null)
            {
                continue;
            }

            data[key] = value switch
            {
                string s => s,
                bool b => b,
                int i => i,
                long l => l,
                double d => d,
                object?[] tuple => new JsonArray([.. tuple.Select(static v => v is null ? null : (JsonNode?)JsonValue.Create(Convert.ToString(v, CultureInfo.InvariantCulture)))]),
                IEnumerable<string> list => "[" + string.Join(", ", list.Select(Engine.Config.PyText.Repr)) + "]", // Python's str() of the set as a list
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
        }

        return
        [
            ("$j", jail), ("$ip", ticket.Id), ("$t", (long)Math.Round(ticket.Time)), ("$bt", (long)ticket.EffectiveBanTime(jailBanTime)),
            ("$c", ticket.BanCount), ("$d", System.Text.Encoding.UTF8.GetBytes(data.ToJsonString(RelaxedJson))),
        ];
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = _connection!.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = _transaction;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    /// <summary>
    /// A write inside the pending transaction (opened by the first write after a commit). Skipped while the file has a
    /// <see cref="Trouble"/>: the repair writes the daemon's whole state. A failing write becomes the trouble.
    /// </summary>
    private void Write(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_sync)
        {
            if (_connection is null || _trouble != DatabaseTrouble.None)
            {
                return;
            }

            try
            {
                _transaction ??= _connection.BeginTransaction();
                Execute(sql, parameters);
            }
            catch (SqliteException e)
            {
                Fail(e);
            }
        }
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        return cmd.ExecuteScalar();
    }

    private void CommitPending()
    {
        if (_transaction is null)
        {
            return;
        }

        using var transaction = _transaction;
        _transaction = null;
        transaction.Commit();
    }

    /// <summary>Drops the pending writes (a failed or misdirected burst); a failing rollback leaves nothing to undo.</summary>
    private void RollbackPending()
    {
        if (_transaction is null)
        {
            return;
        }

        using var transaction = _transaction;
        _transaction = null;
        try
        {
            transaction.Rollback();
        }
        catch (SqliteException)
        {
            // deliberate: SQLite already rolled back (the error that brought us here ends the transaction)
        }
    }
}

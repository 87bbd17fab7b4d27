using Microsoft.Data.Sqlite;

namespace SharpBan.Storage;

/// <summary>
/// The steps of a repair (<see cref="Maintain"/>): a copy of a moved-away file, the clean-up of a rewritten or corrupt
/// one, merging the copy into the file at the path, and writing the daemon's state.
/// </summary>
internal sealed partial class BanDatabase
{
    /// <summary>Copies the moved-away file (still open) next to the path; an earlier copy is merged into it first.</summary>
    private void TakeSnapshot()
    {
        if (File.Exists(SnapshotPath))
        {
            MergeSnapshot();
        }

        try
        {
            Execute("VACUUM INTO $f", ("$f", SnapshotPath));
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB)
        {
            DeleteFileSet(SnapshotPath); // nothing worth keeping: the current state is written all the same
        }
        catch (SqliteException)
        {
            DeleteFileSet(SnapshotPath); // no room or no right to write it: the next attempt tries again
            throw;
        }
    }

    /// <summary>
    /// Writes the WAL into the moved-away file itself (SQLite does not on close), so a file moved aside (logrotate
    /// style) is complete on its own; nothing to lose when that fails, the snapshot has the content.
    /// </summary>
    private void CheckpointMoved()
    {
        try
        {
            Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException)
        {
            // deliberate: best effort for the copy left behind
        }
    }

    /// <summary>The clean-up a rewritten or corrupt file needs before the path can be opened again (retried until done).</summary>
    private void CleanUpPath()
    {
        if (_setAsidePending)
        {
            if (File.Exists(Path))
            {
                var aside = SetAside(Stamped());
                _notice?.Invoke($"Database '{Path}' is corrupt: it was moved to '{aside}' and a new one created");
            }

            _setAsidePending = false;
            _staleSideFiles = false;
        }

        if (_staleSideFiles)
        {
            // the WAL holds pages of the file as it was: applied to the new content it would corrupt it
            File.Delete(Path + "-wal");
            File.Delete(Path + "-shm");
            _staleSideFiles = false;
        }
    }

    /// <summary>Adds a copy of a moved-away file (<see cref="SnapshotPath"/>) to the open file and deletes it; false without one.</summary>
    private bool MergeSnapshot()
    {
        if (!File.Exists(SnapshotPath))
        {
            return false;
        }

        var attached = false;
        try
        {
            Execute("ATTACH DATABASE $f AS moved", ("$f", SnapshotPath));
            attached = true;
            _transaction = _connection!.BeginTransaction();
            Execute("""
                INSERT OR IGNORE INTO jails(name, enabled) SELECT name, 0 FROM moved.jails;
                INSERT INTO logs(jail, path, firstlinemd5, lastfilepos) SELECT jail, path, firstlinemd5, lastfilepos FROM moved.logs WHERE true
                  ON CONFLICT(jail, path) DO UPDATE SET firstlinemd5=excluded.firstlinemd5, lastfilepos=excluded.lastfilepos;
                INSERT INTO bans(jail, ip, timeofban, bantime, bancount, data) SELECT m.jail, m.ip, m.timeofban, m.bantime, m.bancount, m.data FROM moved.bans m
                  WHERE NOT EXISTS(SELECT 1 FROM main.bans b WHERE b.jail=m.jail AND b.ip IS m.ip AND b.timeofban=m.timeofban);
                INSERT INTO bips(ip, jail, timeofban, bantime, bancount, data) SELECT ip, jail, timeofban, bantime, bancount, data FROM moved.bips WHERE true
                  ON CONFLICT(ip, jail) DO UPDATE SET timeofban=excluded.timeofban, bantime=excluded.bantime, bancount=excluded.bancount, data=excluded.data
                  WHERE excluded.timeofban > bips.timeofban;
                """);
            CommitPending();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SQLitePCL.raw.SQLITE_CORRUPT or SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_ERROR)
        {
            // a copy that cannot be read (damaged, or not ours) must not block the file for good: it is kept aside
            RollbackPending();
            Detach(ref attached);
            var aside = $"{SnapshotPath}.{_time.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)}";
            File.Move(SnapshotPath, aside);
            _notice?.Invoke($"Database '{Path}': the copy '{SnapshotPath}' of a file moved away cannot be read ({Describe(e)}); it was moved to '{aside}'");
            return false;
        }
        finally
        {
            RollbackPending();
            Detach(ref attached);
        }

        DeleteFileSet(SnapshotPath);
        return true;
    }

    private void Detach(ref bool attached)
    {
        if (attached)
        {
            attached = false;
            Execute("DETACH DATABASE moved");
        }
    }

    /// <summary>The deletions the file may have missed, then every jail and current ban (added where missing); the number of bans.</summary>
    private int WriteState(IReadOnlyList<JailBans> state)
    {
        var bans = 0;
        _transaction = _connection!.BeginTransaction();
        foreach (var (jail, ip) in _unconfirmedDeletes)
        {
            foreach (var table in new[] { "bans", "bips" })
            {
                Execute(ip is null ? $"DELETE FROM {table} WHERE jail=$j" : $"DELETE FROM {table} WHERE jail=$j AND ip=$ip", ("$j", jail), ("$ip", ip));
            }
        }

        Execute("UPDATE jails SET enabled=0");
        foreach (var jail in state)
        {
            Execute("INSERT INTO jails(name, enabled) VALUES ($j, 1) ON CONFLICT(name) DO UPDATE SET enabled=1", ("$j", jail.Jail));
            foreach (var ticket in jail.Bans)
            {
                var row = BanRow(jail.Jail, ticket, jail.BanTime);
                Execute("INSERT INTO bans(jail, ip, timeofban, bantime, bancount, data) SELECT $j, $ip, $t, $bt, $c, $d WHERE NOT EXISTS(SELECT 1 FROM bans WHERE jail=$j AND ip=$ip AND timeofban=$t)", row);
                Execute("""
                    INSERT INTO bips(ip, jail, timeofban, bantime, bancount, data) VALUES ($ip, $j, $t, $bt, $c, $d)
                      ON CONFLICT(ip, jail) DO UPDATE SET timeofban=excluded.timeofban, bantime=excluded.bantime, bancount=excluded.bancount, data=excluded.data
                      WHERE excluded.timeofban > bips.timeofban
                    """, row);
                bans++;
            }
        }

        CommitPending();
        _unconfirmedDeletes.Clear();
        return bans;
    }

    /// <summary>Closes the connection; without <paramref name="checkpoint"/> its WAL is not written into the file.</summary>
    private void Close(bool checkpoint)
    {
        if (_connection is null)
        {
            return;
        }

        RollbackPending();
        if (!checkpoint)
        {
            _ = SQLitePCL.raw.sqlite3_db_config(_connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
        }

        try
        {
            _connection.Dispose();
        }
        catch (SqliteException)
        {
            // deliberate: closing a connection to a file that is gone or full cannot fail any further
        }

        _connection = null;
    }

    private static void DeleteFileSet(string file)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(file + suffix);
        }
    }
}

using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SharpBan.Storage;

/// <summary>Opening the file: schema, fail2ban's upgrades of older versions, an unreadable file set aside.</summary>
internal sealed partial class BanDatabase
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS fail2banDb(version INTEGER);
        CREATE TABLE IF NOT EXISTS jails(name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1);
        CREATE INDEX IF NOT EXISTS jails_name ON jails(name);
        CREATE TABLE IF NOT EXISTS logs(jail TEXT NOT NULL, path TEXT, firstlinemd5 TEXT, lastfilepos INTEGER DEFAULT 0,
          FOREIGN KEY(jail) REFERENCES jails(name) ON DELETE CASCADE, UNIQUE(jail, path), UNIQUE(jail, path, firstlinemd5));
        CREATE INDEX IF NOT EXISTS logs_path ON logs(path);
        CREATE INDEX IF NOT EXISTS logs_jail_path ON logs(jail, path);
        CREATE TABLE IF NOT EXISTS bans(jail TEXT NOT NULL, ip TEXT, timeofban INTEGER NOT NULL, bantime INTEGER NOT NULL,
          bancount INTEGER NOT NULL default 1, data JSON, FOREIGN KEY(jail) REFERENCES jails(name));
        CREATE INDEX IF NOT EXISTS bans_jail_timeofban_ip ON bans(jail, timeofban);
        CREATE INDEX IF NOT EXISTS bans_jail_ip ON bans(jail, ip);
        CREATE INDEX IF NOT EXISTS bans_ip ON bans(ip);
        CREATE TABLE IF NOT EXISTS bips(ip TEXT NOT NULL, jail TEXT NOT NULL, timeofban INTEGER NOT NULL, bantime INTEGER NOT NULL,
          bancount INTEGER NOT NULL default 1, data JSON, PRIMARY KEY(ip, jail), FOREIGN KEY(jail) REFERENCES jails(name));
        CREATE INDEX IF NOT EXISTS bips_timeofban ON bips(timeofban);
        CREATE INDEX IF NOT EXISTS bips_ip ON bips(ip);
        """;

    /// <summary>The file's name with the time of this open, for a backup before an upgrade or an unreadable file set aside.</summary>
    private string Stamped() => $"{Path}.{_time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Opens the file (creating it and its directory) and makes it fail2ban's version 4 in WAL mode; true when the
    /// database is new (no file, an empty one, or an unreadable one set aside). At start
    /// (<paramref name="atStart"/>) every jail is marked disabled, as fail2ban does; jails are added again as they start.
    /// When the file reads but cannot be written (a full disk), the connection stays open for reading and
    /// <see cref="Trouble"/> says why; any other failure throws and leaves no connection.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file has a newer schema than this version understands.</exception>
    /// <exception cref="SqliteException">The file cannot be opened or read.</exception>
    /// <exception cref="IOException">The directory cannot be created, or an unreadable file cannot be set aside.</exception>
    /// <exception cref="UnauthorizedAccessException">As <see cref="IOException"/>.</exception>
    private bool Connect(bool atStart)
    {
        if (Path != ":memory:")
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }
        }

        var stamp = Stamped();
        _connection = Open(Path);
        var read = false;
        long? version;
        try
        {
            try
            {
                Execute("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
                version = ReadVersion();
            }
            catch (SqliteException e) when (Path != ":memory:" && File.Exists(Path) && e.SqliteErrorCode is SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT)
            {
                // as fail2ban: an unreadable file (not a database, corrupt) is set aside and a new one created, so that
                // the daemon still starts and bans
                _connection.Dispose();
                _connection = null;
                var aside = SetAside(stamp);
                _notice?.Invoke($"Error opening fail2ban persistent database '{Path}': {Describe(e)}; it was moved to '{aside}' and a new one created");
                _connection = Open(Path);
                Execute("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
                version = null;
            }

            if (version > Version)
            {
                throw new InvalidOperationException($"Database '{Path}' has version {version}, newer than {Version}: it was written by a newer fail2ban or SharpBan");
            }

            if (version < Version)
            {
                Upgrade(version.Value, stamp);
            }

            read = true;
        }
        finally
        {
            if (!read)
            {
                RollbackPending();
                _connection?.Dispose();
                _connection = null;
            }
        }

        try
        {
            Execute("PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            _transaction = _connection!.BeginTransaction();
            Execute(Schema);
            var created = false;
            if (Scalar("SELECT COUNT(*) FROM fail2banDb") is 0L)
            {
                Execute($"INSERT INTO fail2banDb(version) VALUES ({Version})");
                created = true;
            }

            if (atStart)
            {
                Execute("UPDATE jails SET enabled=0");
            }

            CommitPending();
            if (created)
            {
                _notice?.Invoke($"New database created. Version '{Version}'"); // fail2ban's words
            }
        }
        catch (SqliteException e)
        {
            // readable but not writable (a full disk, a read-only file): the bans in it can still be restored
            RollbackPending();
            Fail(e);
        }

        _stamp = StampOf(Path);
        return version is null;
    }

    /// <summary>An error's message for the log, without the full stop SQLite's end with.</summary>
    private static string Describe(Exception e) => OsError.Describe(e);

    /// <summary>Moves the file (and its WAL) aside as <c>FILE.YYYYmmdd-HHMMSS</c>; returns the new name.</summary>
    private string SetAside(string aside)
    {
        File.Move(Path, aside);
        if (File.Exists(Path + "-wal"))
        {
            File.Move(Path + "-wal", aside + "-wal");
        }

        foreach (var side in new[] { "-shm", "-journal" })
        {
            File.Delete(Path + side);
        }

        return aside;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
        }
        catch (SqliteException)
        {
            connection.Dispose();
            throw;
        }

        return connection;
    }

    /// <summary>The file's schema version; null for a new (empty) database.</summary>
    private long? ReadVersion()
    {
        if (Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='fail2banDb'") is 0L)
        {
            return null;
        }

        return Scalar("SELECT version FROM fail2banDb LIMIT 1") is long v ? v : null;
    }

    /// <summary>
    /// fail2ban's upgrade of an older database (a timestamped copy is kept first): version 1 <c>logs</c> rebuilt,
    /// version 2 <c>bans</c> given <c>bantime</c> -2 ("unknown": the jail's bantime at restore) and <c>bancount</c> 1,
    /// then <c>bips</c> filled from <c>bans</c>. Also repairs a version 3 file that got an empty <c>bips</c> table
    /// without the upgrade (which fail2ban refuses to open).
    /// </summary>
    private void Upgrade(long version, string backup)
    {
        if (Path != ":memory:")
        {
            if (!File.Exists(backup))
            {
                File.Copy(Path, backup);
            }
        }

        bool Exists(string table) => Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=$t", ("$t", table)) is not 0L;
        using (var transaction = _connection!.BeginTransaction())
        {
            _transaction = transaction;
            try
            {
                if (version < 2 && Exists("logs"))
                {
                    Execute("""
                        CREATE TEMPORARY TABLE logs_temp AS SELECT jail, path, firstlinemd5, lastfilepos FROM logs;
                        DROP TABLE logs;
                        CREATE TABLE logs(jail TEXT NOT NULL, path TEXT, firstlinemd5 TEXT, lastfilepos INTEGER DEFAULT 0,
                          FOREIGN KEY(jail) REFERENCES jails(name) ON DELETE CASCADE, UNIQUE(jail, path), UNIQUE(jail, path, firstlinemd5));
                        INSERT INTO logs SELECT * FROM logs_temp;
                        DROP TABLE logs_temp;
                        """);
                }

                if (version < 3 && Exists("bans"))
                {
                    Execute("""
                        CREATE TEMPORARY TABLE bans_temp AS SELECT jail, ip, timeofban, -2 AS bantime, 1 AS bancount, data FROM bans;
                        DROP TABLE bans;
                        CREATE TABLE bans(jail TEXT NOT NULL, ip TEXT, timeofban INTEGER NOT NULL, bantime INTEGER NOT NULL,
                          bancount INTEGER NOT NULL default 1, data JSON, FOREIGN KEY(jail) REFERENCES jails(name));
                        INSERT INTO bans SELECT * FROM bans_temp;
                        DROP TABLE bans_temp;
                        """);
                }

                if (!Exists("bips") || Scalar("SELECT COUNT(*) FROM bips") is 0L)
                {
                    Execute("""
                        CREATE TABLE IF NOT EXISTS bips(ip TEXT NOT NULL, jail TEXT NOT NULL, timeofban INTEGER NOT NULL, bantime INTEGER NOT NULL,
                          bancount INTEGER NOT NULL default 1, data JSON, PRIMARY KEY(ip, jail), FOREIGN KEY(jail) REFERENCES jails(name));
                        """);
                    if (Exists("bans"))
                    {
                        Execute("INSERT OR REPLACE INTO bips(ip, jail, timeofban, bantime, bancount, data) SELECT ip, jail, timeofban, bantime, bancount, data FROM bans ORDER BY timeofban");
                    }
                }

                Execute($"UPDATE fail2banDb SET version = {Version}");
                transaction.Commit();
            }
            finally
            {
                _transaction = null;
            }
        }

        _notice?.Invoke($"Database updated from '{version}' to '{Version}'"); // fail2ban's words
    }
}

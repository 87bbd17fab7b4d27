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
/// Not thread-safe: the server calls it under its gate. Split: <c>BanDatabase.Logs.cs</c>.
/// </summary>
internal sealed partial class BanDatabase : IBanHistory, IDisposable
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

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;

    /// <summary>The schema version written and understood (fail2ban 1.0.2's).</summary>
    public const long Version = 4;

    /// <param name="notice">Told what was done to an existing file (upgraded, or set aside because it was unreadable).</param>
    /// <exception cref="InvalidOperationException">The file has a newer schema than this version understands.</exception>
    public BanDatabase(string path, Action<string>? notice = null, TimeProvider? time = null)
    {
        Path = path;
        var stamp = (time ?? TimeProvider.System).GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        if (path != ":memory:")
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }
        }

        _connection = Open(path);
        long? version;
        try
        {
            Execute("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
            version = ReadVersion();
        }
        catch (SqliteException e) when (path != ":memory:" && File.Exists(path))
        {
            // as fail2ban: an unreadable file (not a database, corrupt) is set aside and a new one created, so that
            // the daemon still starts and bans
            _connection.Dispose();
            var aside = $"{path}.{stamp}";
            File.Move(path, aside);
            foreach (var side in new[] { "-wal", "-shm", "-journal" })
            {
                File.Delete(path + side);
            }

            notice?.Invoke($"Error opening fail2ban persistent database '{path}': {e.Message}; it was moved to '{aside}' and a new one created");
            _connection = Open(path);
            Execute("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
            version = null;
        }

        if (version > Version)
        {
            _connection.Dispose();
            throw new InvalidOperationException($"Database '{path}' has version {version}, newer than {Version}: it was written by a newer fail2ban or SharpBan");
        }

        if (version < Version)
        {
            Upgrade(version.Value, $"{path}.{stamp}", notice);
        }

        Execute("PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        _transaction = _connection.BeginTransaction();
        Execute(Schema);
        if (Scalar("SELECT COUNT(*) FROM fail2banDb") is 0L)
        {
            Execute($"INSERT INTO fail2banDb(version) VALUES ({Version})");
        }

        Execute("UPDATE jails SET enabled=0");
        Commit();
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
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
    private void Upgrade(long version, string backup, Action<string>? notice)
    {
        if (Path != ":memory:")
        {
            if (!File.Exists(backup))
            {
                File.Copy(Path, backup);
            }
        }

        bool Exists(string table) => Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=$t", ("$t", table)) is not 0L;
        using (var transaction = _connection.BeginTransaction())
        {
            _transaction = transaction;
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
            _transaction = null;
        }

        notice?.Invoke($"Database '{Path}' updated from '{version}' to '{Version}'");
    }

    public string Path { get; }

    public int MaxMatches { get; set; } = 10;

    public double PurgeAge { get; set; } = 86400;

    /// <summary>Whether writes are waiting for <see cref="Commit"/>.</summary>
    public bool HasPendingWrites => _transaction is not null;

    /// <summary>Commits the writes since the last commit (no-op when there were none).</summary>
    public void Commit()
    {
        if (_transaction is null)
        {
            return;
        }

        using var transaction = _transaction;
        _transaction = null;
        transaction.Commit();
    }

    public void Dispose()
    {
        Commit();
        _connection.Dispose();
    }

    public void AddJail(string jail) =>
        Write("INSERT INTO jails(name, enabled) VALUES ($j, 1) ON CONFLICT(name) DO UPDATE SET enabled=1", ("$j", jail));

    public void DisableJail(string jail) => Write("UPDATE jails SET enabled=0 WHERE name=$j", ("$j", jail));

    /// <summary>Records a ban in <c>bans</c> (history) and <c>bips</c> (latest per address and jail).</summary>
    public void AddBan(string jail, BanTicket ticket, long jailBanTime)
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
                IEnumerable<string> list => "['" + string.Join("', '", list) + "']",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
        }

        var args = new (string, object?)[]
        {
            ("$j", jail), ("$ip", ticket.Id), ("$t", (long)Math.Round(ticket.Time)), ("$bt", ticket.EffectiveBanTime(jailBanTime)),
            ("$c", ticket.BanCount), ("$d", System.Text.Encoding.UTF8.GetBytes(data.ToJsonString(RelaxedJson))),
        };
        Write("INSERT INTO bans(jail, ip, timeofban, bantime, bancount, data) VALUES ($j, $ip, $t, $bt, $c, $d)", args);
        Write("INSERT OR REPLACE INTO bips(ip, jail, timeofban, bantime, bancount, data) VALUES ($ip, $j, $t, $bt, $c, $d)", args);
    }

    /// <summary>Deletes the history of <paramref name="ip"/> (or of every address when null) in a jail.</summary>
    public void DeleteBans(string jail, string? ip)
    {
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

    public PreviousBan? GetLastBan(string ip, string jail, bool overallJails)
    {
        using var cmd = Command(overallJails
            ? "SELECT SUM(bancount), MAX(timeofban), SUM(bantime) FROM bips WHERE ip=$ip HAVING COUNT(*) > 0"
            : "SELECT bancount, timeofban, bantime FROM bips WHERE ip=$ip AND jail=$j", ("$ip", ip), ("$j", jail));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new PreviousBan(r.GetInt32(0), r.GetInt64(1), r.GetInt64(2)) : null;
    }

    public IReadOnlyList<string>? GetMatches(string ip, string? jail)
    {
        using var cmd = Command(jail is null
            ? "SELECT data FROM bans WHERE ip=$ip ORDER BY timeofban DESC"
            : "SELECT data FROM bans WHERE ip=$ip AND jail=$j ORDER BY timeofban DESC", ("$ip", ip), ("$j", jail));
        using var r = cmd.ExecuteReader();
        var lines = new List<string>();
        while (r.Read() && lines.Count < MaxMatches)
        {
            lines.AddRange(ReadData(r, 0).Matches);
        }

        return lines.Take(MaxMatches).ToList();
    }

    /// <summary>
    /// The failures of all bans of <paramref name="ip"/> (in <paramref name="jail"/>, or in every jail when null), as
    /// fail2ban's merged ticket counts them: each ban's stored <c>failures</c>, 1 when it has none.
    /// </summary>
    public int? GetFailures(string ip, string? jail)
    {
        using var cmd = Command(jail is null
            ? "SELECT data FROM bans WHERE ip=$ip"
            : "SELECT data FROM bans WHERE ip=$ip AND jail=$j", ("$ip", ip), ("$j", jail));
        using var r = cmd.ExecuteReader();
        var total = 0;
        while (r.Read())
        {
            total += ReadData(r, 0).Failures ?? 1;
        }

        return total;
    }

    /// <summary>Bans of a jail still running at <paramref name="now"/> (fail2ban's restore query).</summary>
    public List<RestorableBan> GetRestorable(string jail, double now, long jailBanTime, bool increment)
    {
        var sql = "SELECT ip, timeofban, bantime, bancount, data FROM bips WHERE jail=$j AND (timeofban + bantime > $now OR bantime <= -1)";
        if (!increment && jailBanTime >= 0)
        {
            sql += " AND timeofban > $since";
        }

        using var cmd = Command(sql + " ORDER BY timeofban", ("$j", jail), ("$now", (long)now), ("$since", (long)(now - jailBanTime)));
        using var r = cmd.ExecuteReader();
        var result = new List<RestorableBan>();
        while (r.Read())
        {
            var (matches, failures) = ReadData(r, 4);
            result.Add(new RestorableBan(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt32(3), failures ?? 0, matches));
        }

        return result;
    }

    /// <summary>Hourly purge: old history, old bips, forgotten disabled jails; then give free pages back.</summary>
    public void Purge(double now)
    {
        var since = (long)(now - PurgeAge);
        Write("DELETE FROM bans WHERE timeofban < $s", ("$s", since));
        Write("DELETE FROM bips WHERE timeofban < $s AND bantime != -1 AND timeofban + 3*bantime < $s", ("$s", since));
        Write("DELETE FROM jails WHERE enabled = 0 AND NOT EXISTS(SELECT 1 FROM bans WHERE jail=name) AND NOT EXISTS(SELECT 1 FROM bips WHERE jail=name)");
        Commit();
        Execute("PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);");
    }

    /// <summary>A ban's stored data: its match lines and its <c>failures</c> (null when not stored).</summary>
    private static (IReadOnlyList<string> Matches, int? Failures) ReadData(SqliteDataReader r, int column)
    {
        if (r.IsDBNull(column))
        {
            return ([], null);
        }

        var text = r.GetValue(column) switch
        {
            byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
            var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
        };
        try
        {
            if (JsonNode.Parse(text) is not JsonObject o)
            {
                return ([], null);
            }

            var matches = (o["matches"] as JsonArray)?.Select(m => m switch
            {
                JsonArray parts => string.Concat(parts.Select(p => p?.ToString())),
                _ => m?.ToString() ?? "",
            }).ToList() ?? [];
            int? failures = o["failures"] is JsonValue f && f.TryGetValue<int>(out var n) ? n : null;
            return (matches, failures);
        }
        catch (JsonException)
        {
            return ([], null); // invalid JSON → {} as fail2ban
        }
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = _transaction;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    /// <summary>A write inside the pending transaction (opened by the first write after a commit).</summary>
    private void Write(string sql, params (string Name, object? Value)[] parameters)
    {
        _transaction ??= _connection.BeginTransaction();
        Execute(sql, parameters);
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
}

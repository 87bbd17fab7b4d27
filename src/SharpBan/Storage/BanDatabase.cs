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

    public BanDatabase(string path)
    {
        Path = path;
        if (path != ":memory:")
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
        _transaction = _connection.BeginTransaction();
        Execute(Schema);
        if (Scalar("SELECT COUNT(*) FROM fail2banDb") is 0L)
        {
            Execute("INSERT INTO fail2banDb(version) VALUES (4)");
        }

        Execute("UPDATE jails SET enabled=0");
        Commit();
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

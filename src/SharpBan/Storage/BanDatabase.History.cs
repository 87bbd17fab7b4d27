using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SharpBan.Engine.Jails;

namespace SharpBan.Storage;

/// <summary>Reading the bans back: restore at jail start, <c>bantime.increment</c>, the <c>&lt;ip*&gt;</c> action tags.</summary>
internal sealed partial class BanDatabase
{
    public PreviousBan? GetLastBan(string ip, string jail, bool overallJails) => Read<PreviousBan?>(() =>
    {
        using var cmd = Command(overallJails
            ? "SELECT SUM(bancount), MAX(timeofban), SUM(bantime) FROM bips WHERE ip=$ip HAVING COUNT(*) > 0"
            : "SELECT bancount, timeofban, bantime FROM bips WHERE ip=$ip AND jail=$j", ("$ip", ip), ("$j", jail));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new PreviousBan(r.GetInt32(0), r.GetInt64(1), r.GetInt64(2)) : null;
    }, null);

    /// <summary>
    /// The lines of all bans of <paramref name="ip"/> (in <paramref name="jail"/>, or in every jail when null), as
    /// fail2ban's merged ticket has them: from the newest ban back, each ban's lines go before the ones taken so far
    /// while there is room for <see cref="MaxMatches"/>, an older ban giving its last lines when not all fit; so the
    /// result is in time order and ends with the newest ban's lines. Null without a ban.
    /// </summary>
    public IReadOnlyList<string>? GetMatches(string ip, string? jail) => Read<IReadOnlyList<string>?>(() =>
    {
        using var cmd = Command(jail is null
            ? "SELECT data FROM bans WHERE ip=$ip ORDER BY timeofban DESC"
            : "SELECT data FROM bans WHERE ip=$ip AND jail=$j ORDER BY timeofban DESC", ("$ip", ip), ("$j", jail));
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null; // no ban: fail2ban falls back to the ticket's own lines
        }

        var lines = new List<string>();
        do
        {
            var matches = ReadData(r, 0).Matches;
            var room = MaxMatches - lines.Count;
            lines.InsertRange(0, matches.Count <= room ? matches : matches.Skip(matches.Count - room));
        }
        while (lines.Count < MaxMatches && r.Read());

        return lines;
    }, null);

    /// <summary>
    /// The failures of all bans of <paramref name="ip"/> (in <paramref name="jail"/>, or in every jail when null), as
    /// fail2ban's merged ticket counts them: each ban's stored <c>failures</c>, 1 when it has none; null without a ban.
    /// </summary>
    public int? GetFailures(string ip, string? jail) => Read<int?>(() =>
    {
        using var cmd = Command(jail is null
            ? "SELECT data FROM bans WHERE ip=$ip"
            : "SELECT data FROM bans WHERE ip=$ip AND jail=$j", ("$ip", ip), ("$j", jail));
        using var r = cmd.ExecuteReader();
        int? total = null; // no ban: fail2ban falls back to the ticket's own count
        while (r.Read())
        {
            total = (total ?? 0) + (ReadData(r, 0).Failures ?? 1);
        }

        return total;
    }, null);

    /// <summary>
    /// Bans of a jail still running at <paramref name="now"/> (fail2ban's restore query, in its order: by address text, so
    /// that the restored bans are listed as fail2ban lists them); none without a readable file.
    /// </summary>
    public List<RestorableBan> GetRestorable(string jail, double now, long jailBanTime, bool increment) => Read<List<RestorableBan>>(() =>
    {
        var sql = "SELECT ip, timeofban, bantime, bancount, data FROM bips WHERE jail=$j AND (timeofban + bantime > $now OR bantime <= -1)";
        if (!increment && jailBanTime >= 0)
        {
            sql += " AND timeofban > $since";
        }

        using var cmd = Command(sql + " ORDER BY ip, timeofban DESC", ("$j", jail), ("$now", (long)now), ("$since", (long)(now - jailBanTime)));
        using var r = cmd.ExecuteReader();
        var result = new List<RestorableBan>();
        while (r.Read())
        {
            if (r.IsDBNull(0) || r.GetString(0).Length == 0)
            {
                continue; // fail2ban skips a row without an address (a banip of an empty word) as unexpected
            }

            var (matches, failures) = ReadData(r, 4);
            result.Add(new RestorableBan(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt32(3), failures ?? 0, matches));
        }

        return result;
    }, []);

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

    /// <summary>A read of the file; <paramref name="unavailable"/> without a connection or when SQLite fails (then a trouble to repair).</summary>
    private T Read<T>(Func<T> read, T unavailable)
    {
        lock (_sync)
        {
            if (_connection is null)
            {
                return unavailable;
            }

            try
            {
                return read();
            }
            catch (SqliteException e)
            {
                Fail(e);
                return unavailable;
            }
        }
    }
}

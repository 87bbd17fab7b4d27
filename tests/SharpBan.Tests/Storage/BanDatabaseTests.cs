using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SharpBan.Storage;

namespace SharpBan.Tests.Storage;

/// <summary>
/// fail2ban's database files as a user switching brings them: older schema versions upgraded as fail2ban upgrades them
/// (and then readable by fail2ban itself), an unreadable file set aside, a newer version refused.
/// </summary>
public sealed class BanDatabaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-db-").FullName;

    private string File1 => Path.Join(_dir, "fail2ban.sqlite3");

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Open_Version2File_UpgradedAndItsBanRestoredWithTheJailsBantime()
    {
        Sql(File1, """
            CREATE TABLE fail2banDb(version INTEGER); INSERT INTO fail2banDb VALUES (2);
            CREATE TABLE jails(name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1); INSERT INTO jails VALUES ('sshd', 1);
            CREATE TABLE logs(jail TEXT NOT NULL, path TEXT, firstlinemd5 TEXT, lastfilepos INTEGER DEFAULT 0, UNIQUE(jail, path));
            INSERT INTO logs VALUES ('sshd', '/var/log/auth.log', 'abc', 42);
            CREATE TABLE bans(jail TEXT NOT NULL, ip TEXT, timeofban INTEGER NOT NULL, data JSON);
            """ + $"INSERT INTO bans VALUES ('sshd', '192.0.2.50', {Now - 100}, '{{\"failures\": 3}}');");
        var notices = new List<string>();

        using (var db = new BanDatabase(File1, notices.Add))
        {
            var row = Assert.Single(db.GetRestorable("sshd", Now, 600, increment: false));
            Assert.Equal(("192.0.2.50", -2L, 3), (row.Ip, row.BanTime, row.Failures));
            Assert.Equal(("abc", 42L), db.GetLogPosition("sshd", "/var/log/auth.log"));
        }

        Assert.Equal(["Database updated from '2' to '4'"], notices);
        Assert.Equal(4L, Scalar(File1, "SELECT version FROM fail2banDb"));
        Assert.Single(Directory.GetFiles(_dir, "fail2ban.sqlite3.2*")); // the backup fail2ban also makes
    }

    /// <summary>
    /// The <c>thresholds</c> windows' failures: saved, read back ordered by newest failure, deleted per id and per jail,
    /// in a table created only by the first save (fail2ban's schema otherwise), across a reopen.
    /// </summary>
    [Fact]
    public void FailureWindows_SavedDeletedAndReadBack_TableOnlyWhenUsed()
    {
        using (var db = new BanDatabase(File1))
        {
            db.SaveFailureWindows("sshd", [("192.0.2.1", null)]); // a deletion needs no table
            db.Commit();
            Assert.Null(Scalar(File1, "SELECT 1 FROM sqlite_master WHERE name='sharpban_failures'"));
            Assert.Empty(db.GetFailureWindows("sshd"));

            db.SaveFailureWindows("sshd", [("192.0.2.1", [(100.25, 1), (200, 2)]), ("192.0.2.2", [(150, 1)])]);
            db.SaveFailureWindows("web", [("192.0.2.3", [(1, 1)])]);
            db.Commit();
        }

        using (var db = new BanDatabase(File1))
        {
            var rows = db.GetFailureWindows("sshd");
            Assert.Equal(["192.0.2.2", "192.0.2.1"], rows.Select(static r => r.Id)); // by newest failure
            Assert.Equal([(100.25, 1), (200.0, 2)], rows[1].Failures);
            db.SaveFailureWindows("sshd", [("192.0.2.2", null)]);
            db.DeleteFailureWindows("web");
            db.Commit();
            Assert.Equal(["192.0.2.1"], db.GetFailureWindows("sshd").Select(static r => r.Id));
            Assert.Empty(db.GetFailureWindows("web"));
        }

        using (var db = new BanDatabase(File1)) // jails are marked stopped at open; web has no bans and is forgotten
        {
            db.AddJail("sshd");
            db.SaveFailureWindows("web", [("192.0.2.3", [(1, 1)])]);
            db.Purge(Now);
            Assert.Empty(db.GetFailureWindows("web"));
            Assert.Single(db.GetFailureWindows("sshd"));
        }

        Sql(File1, "INSERT INTO sharpban_failures VALUES ('sshd', '192.0.2.9', 'not*a number')");
        using (var db = new BanDatabase(File1))
        {
            Assert.Equal(["192.0.2.1"], db.GetFailureWindows("sshd").Select(static r => r.Id)); // a row edited into nonsense is left out
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("1*1 2")]
    [InlineData("1*0")]
    [InlineData("x*1")]
    [InlineData("NaN*1")]
    [InlineData("1*-2")]
    public void ParseFailures_NotTheFormat_Null(string text) =>
        Assert.True(BanDatabase.ParseFailures(text) is null or { Count: 0 });

    [Fact]
    public void FormatFailures_ParsedBack_SameFailuresInTimeOrder() =>
        Assert.Equal([(0.1, 3), (1795737854.5, 1)], BanDatabase.ParseFailures(BanDatabase.FormatFailures([(1795737854.5, 1), (0.1, 3)])));

    /// <summary>
    /// Found by ClientSequenceParityTests: the bans a restart restores come in fail2ban's order, by address text (its
    /// query's <c>ORDER BY ip</c>), so that <c>status</c> lists them as fail2ban does (they came by time of ban), and
    /// without a ban of an empty word (<c>set JAIL banip ''</c>), which fail2ban skips as an unexpected row.
    /// </summary>
    [Fact]
    public void GetRestorable_InTheOrderOfTheAddressText_WithoutAnEmptyOne()
    {
        using (var fresh = new BanDatabase(File1))
        {
        }

        Sql(File1, $$"""
            INSERT INTO jails VALUES ('sshd', 1);
            INSERT INTO bips VALUES ('192.0.2.300', 'sshd', {{Now - 30}}, 600, 1, '{}');
            INSERT INTO bips VALUES ('127.0.0.1', 'sshd', {{Now - 20}}, 600, 1, '{}');
            INSERT INTO bips VALUES ('192.0.2.1', 'sshd', {{Now - 10}}, 600, 1, '{}');
            INSERT INTO bips VALUES ('', 'sshd', {{Now - 10}}, 600, 1, '{}');
            """);

        using var db = new BanDatabase(File1);
        Assert.Equal(["127.0.0.1", "192.0.2.1", "192.0.2.300"], db.GetRestorable("sshd", Now, 600, increment: false).Select(r => r.Ip));
    }

    [Fact]
    public void Open_Version3FileWithAnEmptyBipsTable_IsCompleted()
    {
        using (var fresh = new BanDatabase(File1))
        {
        }

        Sql(File1, $"UPDATE fail2banDb SET version = 3; INSERT INTO jails VALUES ('sshd', 1); INSERT INTO bans VALUES ('sshd', '192.0.2.51', {Now - 10}, 3600, 2, '{{}}');");

        using var db = new BanDatabase(File1);

        Assert.Equal("192.0.2.51", Assert.Single(db.GetRestorable("sshd", Now, 3600, increment: true)).Ip);
        Assert.Equal(4L, Scalar(File1, "SELECT version FROM fail2banDb"));
    }

    [Fact]
    public void Open_FileThatIsNotADatabase_IsSetAsideAndANewOneCreated()
    {
        File.WriteAllBytes(File1, [.. Enumerable.Range(0, 20000).Select(i => (byte)(i * 7919 % 251))]);
        var notices = new List<string>();

        using (var db = new BanDatabase(File1, notices.Add))
        {
            db.AddJail("sshd");
            db.Commit();
        }

        Assert.Contains("was moved to", Assert.Single(notices, n => !n.StartsWith("New database created", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("New database created. Version '4'", notices);
        Assert.Equal(4L, Scalar(File1, "SELECT version FROM fail2banDb"));
        Assert.Equal(2, Directory.GetFiles(_dir, "fail2ban.sqlite3*").Count(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)));
    }

    [Fact]
    public void Open_NewerVersion_IsRefused()
    {
        using (var fresh = new BanDatabase(File1))
        {
        }

        Sql(File1, "UPDATE fail2banDb SET version = 5");

        var e = Assert.Throws<InvalidOperationException>(() => new BanDatabase(File1));
        Assert.Contains("version 5", e.Message, StringComparison.Ordinal);
    }

    /// <summary>What SharpBan upgraded, fail2ban 1.0.2 opens as it is (no upgrade of its own) and restores from.</summary>
    [Fact]
    public void Open_UpgradedFile_Fail2banReadsItsBans()
    {
        if (!Client.ReferenceServer.Available())
        {
            return;
        }

        Sql(File1, """
            CREATE TABLE fail2banDb(version INTEGER); INSERT INTO fail2banDb VALUES (2);
            CREATE TABLE jails(name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1); INSERT INTO jails VALUES ('sshd', 1);
            CREATE TABLE logs(jail TEXT NOT NULL, path TEXT, firstlinemd5 TEXT, lastfilepos INTEGER DEFAULT 0, UNIQUE(jail, path));
            CREATE TABLE bans(jail TEXT NOT NULL, ip TEXT, timeofban INTEGER NOT NULL, data JSON);
            """ + $"INSERT INTO bans VALUES ('sshd', '192.0.2.52', {Now - 100}, '{{}}');");
        using (var db = new BanDatabase(File1))
        {
            db.AddJail("sshd");
            db.AddBan("sshd", new Engine.Jails.BanTicket("198.51.100.52", Now) { BanCount = 1 }, 3600);
            db.Commit();
        }

        var script = """
            import sys, json, logging
            from fail2ban.server.database import Fail2BanDb
            db = Fail2BanDb(sys.argv[1])
            cur = db._db.cursor(); cur.execute("SELECT version FROM fail2banDb"); version = cur.fetchone()[0]
            print(json.dumps({"version": version, "bans": sorted(str(t.getID()) for t in db.getCurrentBans())}))
            """;
        var answer = Fail2BanPython(script, File1);
        Assert.Equal(4, (int)answer["version"]!);
        Assert.Equal(["192.0.2.52", "198.51.100.52"], answer["bans"]!.AsArray().Select(n => (string)n!));
    }

    /// <summary>
    /// <c>&lt;ipmatches&gt;</c>, <c>&lt;ipjailmatches&gt;</c> and their failure counts read as fail2ban's
    /// <c>getBansMerged</c> reads the same file: the newest bans' lines first up to <c>dbmaxmatches</c>, the rest filled
    /// with the last lines of older bans, all in time order; failures summed (1 for a ban without a count); nothing
    /// for an address without a ban (the action then uses its own ticket's).
    /// </summary>
    [Fact]
    public void GetMatchesAndFailures_GeneratedBans_SameAsFail2BansMergedTicket()
    {
        if (!Client.ReferenceServer.Available())
        {
            return;
        }

        var random = new Random(20261128);
        var line = 0;
        using (var db = new BanDatabase(File1))
        {
            db.AddJail("sshd");
            db.AddJail("web");
            foreach (var i in Enumerable.Range(0, 40))
            {
                var ticket = new Engine.Jails.BanTicket(random.Next(2) == 0 ? "192.0.2.1" : "192.0.2.2", Now - 4000 + (i * 60) + random.Next(30))
                {
                    BanCount = 1,
                    Failures = random.Next(4) == 0 ? 0 : random.Next(1, 8),
                    Matches = [.. Enumerable.Range(0, random.Next(0, 14)).Select(_ => "line " + line++)],
                };
                db.AddBan(random.Next(3) == 0 ? "web" : "sshd", ticket, 3600);
            }

            db.Commit();
        }

        var script = """
            import sys, json
            from fail2ban.server.database import Fail2BanDb
            class Jail:
                def __init__(self, name): self.name = name
            db = Fail2BanDb(sys.argv[1])
            out = {}
            for ip in ('192.0.2.1', '192.0.2.2'):
                for jail in (None, 'sshd', 'web'):
                    t = db.getBansMerged(ip=ip, jail=Jail(jail) if jail else None)
                    out[ip + ' ' + str(jail)] = [t.getMatches(), t.getAttempt()]
            print(json.dumps(out))
            """;
        var expected = Fail2BanPython(script, File1).AsObject();
        using var reopened = new BanDatabase(File1);
        foreach (var (key, value) in expected)
        {
            var ip = key.Split(' ')[0];
            var jail = key.Split(' ')[1] is "None" ? null : key.Split(' ')[1];
            Assert.Equal(value![0]!.AsArray().Select(static n => (string)n!), reopened.GetMatches(ip, jail)!);
            Assert.Equal((int)value[1]!, reopened.GetFailures(ip, jail));
        }

        // no ban of the address: getBansMerged has no ticket, and the action's own ticket is used
        Assert.Null(reopened.GetMatches("192.0.2.3", null));
        Assert.Null(reopened.GetFailures("192.0.2.3", "sshd"));
    }

    /// <summary>
    /// A ban's captured groups as fail2ban's JSON stores them: a tuple id (<c>F-TUPLE_*</c>) as an array, the users of
    /// an mlfid session as the text of a Python list (its encoder writes a set with <c>str()</c>), quotes as Python quotes.
    /// </summary>
    [Fact]
    public void AddBan_TupleAndUsers_StoredAsFail2BansJson()
    {
        using (var db = new BanDatabase(File1))
        {
            db.AddJail("sshd");
            var data = new Dictionary<string, object?>
            {
                ["fid"] = new object?[] { "bob", null, "41" },
                ["users"] = new HashSet<string>(StringComparer.Ordinal) { "root", "o'neil" },
            };
            db.AddBan("sshd", new Engine.Jails.BanTicket("('bob', None, '41')", Now) { BanCount = 1, Data = data }, 3600);
            db.Commit();
        }

        var json = JsonNode.Parse(System.Text.Encoding.UTF8.GetString((byte[])Scalar(File1, "SELECT data FROM bans")!))!;
        Assert.Equal("""["bob",null,"41"]""", json["fid"]!.ToJsonString());
        Assert.Equal("""['root', "o'neil"]""", (string)json["users"]!);
    }

    /// <summary>A script run by fail2ban's interpreter on a database file: its one line of JSON output.</summary>
    private static JsonNode Fail2BanPython(string script, string file)
    {
        var info = new ProcessStartInfo("/usr/bin/python3", ["-c", script, file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(info)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, errors);
        return JsonNode.Parse(output.Result)!;
    }

    private static void Sql(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}

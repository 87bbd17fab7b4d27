using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using SharpBan.Engine.Jails;
using SharpBan.Storage;

namespace SharpBan.Tests.Storage;

/// <summary>
/// Real SQLite files changed under an open <see cref="BanDatabase"/>: deleted, moved away, replaced by another database
/// or by garbage, rewritten in place, in a directory that cannot be written. Each time the file at the path ends up with
/// the old content (where still readable) and the daemon's current bans, and no call throws.
/// </summary>
public sealed class BanDatabaseRecoveryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-db-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<string> _notices = [];

    private string File1 => Path.Join(_dir, "fail2ban.sqlite3");

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    public void Dispose()
    {
        SetWritable(_dir, true);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Maintain_FileDeleted_RecreatedWithItsContentAndTheCurrentBans()
    {
        using var db = Open();
        var old = Ban(db, "192.0.2.1", Now - 100);
        db.SetLogPosition("sshd", "/var/log/auth.log", "abc", 42);
        db.Commit();
        File.Delete(File1);
        var memoryOnly = new BanTicket("192.0.2.2", Now) { BanCount = 1, Failures = 3 };

        var repair = db.Maintain(() => [new JailBans("sshd", 600, [old, memoryOnly])], force: true);

        Assert.True(repair!.Succeeded, repair.Error);
        Assert.Equal((DatabaseTrouble.Moved, "deleted or moved away"), (repair.Cause, repair.Change));
        Assert.Equal("recreated with its content and the current state (2 bans in 1 jail)", repair.Outcome);
        Assert.False(repair.RestoreBans);
        Assert.Equal(["192.0.2.1", "192.0.2.2"], Rows(File1, "SELECT ip FROM bips ORDER BY ip"));
        Assert.Equal(["192.0.2.1", "192.0.2.2"], Rows(File1, "SELECT ip FROM bans ORDER BY ip")); // the old row once, not twice
        Assert.Equal(("abc", 42L), db.GetLogPosition("sshd", "/var/log/auth.log"));
        Assert.False(File.Exists(File1 + ".moved"));
    }

    [Fact]
    public void Commit_FileMovedAway_TheBurstReachesBothTheMovedCopyAndTheNewFile()
    {
        using var db = Open();
        Ban(db, "192.0.2.11", Now - 10);
        db.Commit();
        File.Move(File1, File1 + ".1");

        var late = Ban(db, "192.0.2.12", Now);
        db.Commit(); // still into the moved file: its content is carried over
        var repair = db.Maintain(() => [new JailBans("sshd", 600, [late])]);

        Assert.True(repair!.Succeeded, repair.Error);
        Assert.Equal(["192.0.2.11", "192.0.2.12"], Rows(File1, "SELECT ip FROM bips ORDER BY ip"));
        Assert.Equal(["192.0.2.11", "192.0.2.12"], Rows(File1 + ".1", "SELECT ip FROM bips ORDER BY ip"));
    }

    /// <summary>A restore (another database moved over the path): kept, given the current state, its own bans to be restored.</summary>
    [Fact]
    public void Maintain_FileReplacedByAnotherDatabase_CurrentStateAddedAndItsBansOffered()
    {
        var restored = Path.Join(_dir, "backup.sqlite3");
        using (var backup = new BanDatabase(restored, time: _time))
        {
            backup.AddJail("sshd");
            Ban(backup, "198.51.100.1", Now - 50);
            backup.Commit();
        }

        using var db = Open();
        var current = Ban(db, "192.0.2.21", Now - 10);
        db.Commit();
        File.Move(restored, File1, overwrite: true);

        var repair = db.Maintain(() => [new JailBans("sshd", 600, [current])], force: true);

        Assert.True(repair!.Succeeded, repair.Error);
        Assert.Equal("replaced by another file", repair.Change);
        Assert.Equal("the current state (1 ban in 1 jail) and the earlier file's content added to the file found there", repair.Outcome);
        Assert.True(repair.RestoreBans);
        Assert.Equal(["192.0.2.21", "198.51.100.1"], db.GetRestorable("sshd", Now, 600, increment: false).Select(r => r.Ip).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Maintain_FileReplacedByGarbage_GarbageSetAsideAndTheStateWritten()
    {
        using var db = Open();
        var current = Ban(db, "192.0.2.31", Now - 10);
        db.Commit();
        var garbage = Path.Join(_dir, "garbage");
        File.WriteAllBytes(garbage, Garbage());
        File.Move(garbage, File1, overwrite: true);

        var repair = db.Maintain(() => [new JailBans("sshd", 600, [current])], force: true);

        Assert.True(repair!.Succeeded, repair.Error);
        Assert.Equal("recreated with the current state (1 ban in 1 jail) and the earlier file's content", repair.Outcome);
        Assert.Contains("file is not a database", Assert.Single(_notices, n => !n.StartsWith("New database created", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(["192.0.2.31"], Rows(File1, "SELECT ip FROM bips"));
        Assert.Equal(Garbage(), File.ReadAllBytes(Assert.Single(Directory.GetFiles(_dir, "fail2ban.sqlite3.2*"))));
    }

    /// <summary>Garbage written over the file in place: the burst is not mixed into it, and the repair sets it aside.</summary>
    [Fact]
    public void Commit_FileRewrittenInPlace_BurstDroppedAndTheFileRepairedFromMemory()
    {
        using var db = Open();
        var first = Ban(db, "192.0.2.41", Now - 10);
        db.Commit();
        using (var file = new FileStream(File1, FileMode.Open, FileAccess.Write))
        {
            file.Write(Garbage());
        }

        var second = Ban(db, "192.0.2.42", Now);
        db.Commit();
        Assert.Equal(Garbage(), File.ReadAllBytes(File1)[..Garbage().Length]); // not written into
        Assert.NotNull(db.Trouble);
        var repair = db.Maintain(() => [new JailBans("sshd", 600, [first, second])]);

        Assert.True(repair!.Succeeded, repair.Error);
        Assert.Equal((DatabaseTrouble.Rewritten, "rewritten by another program"), (repair.Cause, repair.Change));
        Assert.Equal(["192.0.2.41", "192.0.2.42"], Rows(File1, "SELECT ip FROM bips ORDER BY ip"));
        Assert.Null(db.Trouble);
    }

    /// <summary>
    /// An unban whose deletion never reached a file (the file was rewritten with a copy that still has the ban) is
    /// replayed into the file found there, so the ban is not restored at the next start.
    /// </summary>
    [Fact]
    public void Maintain_DeletionLostWithARewrittenFile_ReplayedIntoTheFileFoundThere()
    {
        using var db = Open();
        Ban(db, "192.0.2.51", Now - 10);
        var kept = Ban(db, "192.0.2.52", Now - 10);
        db.Commit();
        var copy = Path.Join(_dir, "copy.sqlite3");
        Rows(File1, $"VACUUM INTO '{copy}'");
        File.WriteAllBytes(File1, File.ReadAllBytes(copy)); // in place: same file, other content

        db.DeleteBans("sshd", "192.0.2.51");
        db.Commit();
        var repair = db.Maintain(() => [new JailBans("sshd", 600, [kept])]);

        Assert.True(repair!.Succeeded, repair.Error);
        Assert.Equal(["192.0.2.52"], db.GetRestorable("sshd", Now, 600, increment: false).Select(r => r.Ip));
    }

    /// <summary>
    /// A file whose schema reads but whose ban tables are corrupt: the first read that meets the damage answers as
    /// without a database, and the repair sets the file aside and writes the state to a new one.
    /// </summary>
    [Fact]
    public void Maintain_FileCorruptBeyondItsHeader_SetAsideAndTheStateWritten()
    {
        var current = new BanTicket("192.0.2.81", Now) { BanCount = 1 };
        using (var first = Open())
        {
            for (var i = 0; i < 200; i++)
            {
                Ban(first, $"198.51.100.{i % 250}", Now - i);
            }

            first.Commit();
        }

        var bytes = File.ReadAllBytes(File1);
        Array.Fill(bytes, (byte)0x5A, 16 * 4096, bytes.Length - (16 * 4096)); // the pages of bans and bips, not the schema's
        File.WriteAllBytes(File1, bytes);
        using var db = Open();

        Assert.Empty(db.GetRestorable("sshd", Now, 600, increment: false));
        Assert.NotNull(db.Trouble);
        var repair = db.Maintain(() => [new JailBans("sshd", 600, [current])]);

        Assert.True(repair!.Succeeded, repair.Error);
        Assert.Equal(DatabaseTrouble.Corrupt, repair.Cause);
        Assert.Equal(["192.0.2.81"], Rows(File1, "SELECT ip FROM bips"));
        Assert.Contains(_notices, n => n.Contains("is corrupt: it was moved to", StringComparison.Ordinal));
    }

    /// <summary>The process ended between copying a moved-away file and merging the copy: the next start merges it.</summary>
    [Fact]
    public void Open_CopyOfAMovedAwayFileLeftBehind_MergedAtStart()
    {
        using (var moved = new BanDatabase(File1 + ".moved", time: _time))
        {
            moved.AddJail("sshd");
            Ban(moved, "192.0.2.91", Now - 5);
        }

        using var db = Open();

        Assert.Equal(["192.0.2.91"], db.GetRestorable("sshd", Now, 600, increment: false).Select(r => r.Ip));
        Assert.False(File.Exists(File1 + ".moved"));
        Assert.Contains(_notices, n => n.Contains("was merged into it", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_UnreadableCopyLeftBehind_SetAsideAndTheFileUsable()
    {
        File.WriteAllBytes(File1 + ".moved", Garbage());

        using var db = Open();
        Ban(db, "192.0.2.95", Now);
        db.Commit();

        Assert.Null(db.Trouble);
        Assert.Equal(["192.0.2.95"], Rows(File1, "SELECT ip FROM bips"));
        Assert.Single(Directory.GetFiles(_dir, "fail2ban.sqlite3.moved.2*"));
        Assert.Contains(_notices, n => n.Contains("cannot be read", StringComparison.Ordinal));
    }

    /// <summary>A directory that cannot be written: no exception, reads answer as without a database, attempts back off.</summary>
    [Fact]
    public void Open_DirectoryNotWritable_TroubleAndGrowingDelaysUntilItIsWritable()
    {
        var dir = Path.Join(_dir, "lib");
        Directory.CreateDirectory(dir);
        SetWritable(dir, false);
        var file = Path.Join(dir, "fail2ban.sqlite3");

        using var db = new BanDatabase(file, _notices.Add, _time);
        var ban = new BanTicket("192.0.2.61", Now) { BanCount = 1 };
        db.AddJail("sshd");
        db.AddBan("sshd", ban, 600);
        db.Commit();
        Assert.Contains("unable to open database file", db.Trouble, StringComparison.Ordinal);
        Assert.Null(db.GetLastBan("192.0.2.61", "sshd", overallJails: false));
        Assert.Empty(db.GetRestorable("sshd", Now, 600, increment: false));
        JailBans[] state = [new("sshd", 600, [ban])];

        var delays = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            Assert.Null(db.Maintain(() => state)); // not due yet
            _time.Advance(TimeSpan.FromSeconds(delays.LastOrDefault(1)));
            var attempt = db.Maintain(() => state)!;
            Assert.False(attempt.Succeeded);
            delays.Add(attempt.RetrySeconds);
        }

        Assert.Equal([2.0, 4, 8, 16], delays);
        SetWritable(dir, true);
        _time.Advance(TimeSpan.FromSeconds(16));
        var repair = db.Maintain(() => state)!;

        Assert.True(repair.Succeeded, repair.Error);
        Assert.Equal(DatabaseTrouble.Failed, repair.Cause);
        Assert.Equal(["192.0.2.61"], Rows(file, "SELECT ip FROM bips"));
        Assert.Equal(["1"], Rows(file, "SELECT CAST(enabled AS TEXT) FROM jails WHERE name='sshd'"));
    }

    [Fact]
    public void Maintain_FileUnchanged_NothingToDo()
    {
        using var db = Open();
        Ban(db, "192.0.2.71", Now);
        db.Commit();

        _time.Advance(TimeSpan.FromSeconds(BanDatabase.CheckInterval));

        Assert.Null(db.Maintain(() => throw new InvalidOperationException("state asked for without a trouble")));
        Assert.Null(db.Trouble);
    }

    private BanDatabase Open()
    {
        var db = new BanDatabase(File1, _notices.Add, _time);
        db.AddJail("sshd");
        return db;
    }

    private static BanTicket Ban(BanDatabase db, string ip, long time)
    {
        var ticket = new BanTicket(ip, time) { BanCount = 1, Failures = 3, Matches = ["line of " + ip] };
        db.AddBan("sshd", ticket, 600);
        return ticket;
    }

    private static byte[] Garbage() => [.. Enumerable.Range(0, 20000).Select(i => (byte)(i * 7919 % 251))];

    /// <summary>root ignores a directory's mode: the immutable attribute stops it from creating files there.</summary>
    private static void SetWritable(string dir, bool writable)
    {
        if (!Directory.Exists(dir))
        {
            return;
        }

        if (Environment.IsPrivilegedProcess)
        {
            foreach (var d in Directory.GetDirectories(dir).Append(dir))
            {
                using var chattr = System.Diagnostics.Process.Start("chattr", [writable ? "-i" : "+i", d])!;
                chattr.WaitForExit();
            }
        }
        else
        {
            File.SetUnixFileMode(dir, writable ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
    }

    private static List<string> Rows(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<string>();
        while (r.Read())
        {
            rows.Add(r.GetString(0));
        }

        return rows;
    }
}

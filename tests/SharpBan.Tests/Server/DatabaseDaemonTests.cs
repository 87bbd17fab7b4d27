using Microsoft.Data.Sqlite;

namespace SharpBan.Tests.Server;

/// <summary>
/// The database file under a running daemon: deleted, replaced with garbage, in a directory that cannot be written,
/// on a full disk. Bans are always enforced, and every ban is in the file once it can be written again.
/// </summary>
public class DatabaseDaemonTests
{
    private const string Jail = TestDaemon.PollingJail + """

        bantime = 1h
        """;

    [Fact]
    public async Task Server_DatabaseDeletedWhileRunning_EveryBanRestoredAfterAKill()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        await BanAsync(d, "192.0.2.1", "192.0.2.2");
        await BanByLogAsync(d, "192.0.2.3");

        File.Delete(d.Database); // the -wal and -shm files stay, as after an admin's rm of the file alone
        await BanAsync(d, "192.0.2.4");
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains($"Database file '{d.Database}' was deleted", StringComparison.Ordinal), "warning naming the file");
        await BanByLogAsync(d, "192.0.2.5");
        Assert.Contains("WARNING", Line(d.Log(), "was deleted"), StringComparison.Ordinal);
        Assert.Equal(["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"], Query(d.Database, "SELECT ip FROM bips WHERE jail='sshd' ORDER BY ip"));

        await d.KillServerAsync();
        await d.StartServerAsync();

        await WaitBannedAsync(d, "192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5");
    }

    /// <summary>Detected without a write (the daemon checks the file every few seconds), so a clean stop keeps everything.</summary>
    [Fact]
    public async Task Server_DatabaseMovedAwayWhileIdle_RecreatedBeforeTheNextWriteAndKeptByAStop()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        await BanAsync(d, "192.0.2.11", "192.0.2.12");

        File.Move(d.Database, d.Database + ".1"); // logrotate-style
        await TestDaemon.WaitUntilAsync(() => File.Exists(d.Database), "file recreated without any write", 30);
        await d.StopServerAsync();

        Assert.Equal(["192.0.2.11", "192.0.2.12"], Query(d.Database, "SELECT ip FROM bips WHERE jail='sshd' ORDER BY ip"));
        Assert.Equal(["192.0.2.11", "192.0.2.12"], Query(d.Database + ".1", "SELECT ip FROM bips WHERE jail='sshd' ORDER BY ip")); // the moved copy is complete too
        await d.StartServerAsync();
        await WaitBannedAsync(d, "192.0.2.11", "192.0.2.12");
    }

    [Fact]
    public async Task Server_DatabaseOverwrittenWithGarbage_GarbageSetAsideAndEveryBanRestored()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        await BanAsync(d, "192.0.2.21", "192.0.2.22");

        using (var file = new FileStream(d.Database, FileMode.Open, FileAccess.Write)) // in place, as cp over it would
        {
            file.Write([.. Enumerable.Range(0, 40000).Select(i => (byte)(i * 7919 % 251))]);
        }

        await BanAsync(d, "192.0.2.23");
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains($"Database file '{d.Database}' was rewritten", StringComparison.Ordinal), "warning naming the file");
        await d.KillServerAsync();
        await d.StartServerAsync();

        await WaitBannedAsync(d, "192.0.2.21", "192.0.2.22", "192.0.2.23");
        Assert.Single(Directory.GetFiles(d.Dir, "db.sqlite3.2*")); // the garbage, set aside
    }

    /// <summary>
    /// A database directory the daemon cannot write at start: the error names the file, bans are enforced from memory,
    /// and once the directory is writable the file gets every ban (no restart needed).
    /// </summary>
    [Fact]
    public async Task Server_DatabaseDirectoryReadOnlyAtStart_BansEnforcedAndWrittenOnceWritable()
    {
        await using var d = await TestDaemon.StartAsync(Jail, start: false);
        var dir = Path.Join(d.Dir, "lib");
        var db = Path.Join(dir, "fail2ban.sqlite3");
        Directory.CreateDirectory(dir);
        UseDatabase(d, db);
        SetWritable(dir, false);
        try
        {
            await d.StartServerAsync();
            await BanAsync(d, "192.0.2.31");
            await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+192.0.2.31", StringComparison.Ordinal), "ban enforced without a database");
            Assert.Contains($"Database file '{db}' cannot be used", d.Log(), StringComparison.Ordinal);
            Assert.Contains("ERROR", Line(d.Log(), "cannot be used"), StringComparison.Ordinal);
            Assert.False(File.Exists(db));
        }
        finally
        {
            SetWritable(dir, true);
        }

        await BanAsync(d, "192.0.2.32");
        await TestDaemon.WaitUntilAsync(() => Rows(db, "SELECT ip FROM bips") == 2, "both bans written once writable", 90);
        // the daemon says so after writing the file: the line may come a moment after the rows
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains($"Database file '{db}' is usable again", StringComparison.Ordinal), "the file said usable again");
        await d.KillServerAsync();
        await d.StartServerAsync();
        await WaitBannedAsync(d, "192.0.2.31", "192.0.2.32");
    }

    /// <summary>
    /// A file with bans that cannot be opened at start (its directory is read-only, so SQLite cannot create the WAL's
    /// index): its bans are restored once it can be, without a restart.
    /// </summary>
    [Fact]
    public async Task Server_DatabaseUnusableAtStart_ItsBansRestoredOnceUsable()
    {
        await using var d = await TestDaemon.StartAsync(Jail, start: false);
        var dir = Path.Join(d.Dir, "lib");
        var db = Path.Join(dir, "fail2ban.sqlite3");
        UseDatabase(d, db);
        await d.StartServerAsync();
        await BanAsync(d, "192.0.2.35");
        await d.StopServerAsync();

        SetWritable(dir, false);
        try
        {
            await d.StartServerAsync();
            await BanAsync(d, "192.0.2.36");
            Assert.Contains($"Database file '{db}' cannot be used", d.Log(), StringComparison.Ordinal);
            Assert.Equal("0", (await d.ClientAsync("get", "sshd", "banned", "192.0.2.35")).Output);
        }
        finally
        {
            SetWritable(dir, true);
        }

        await WaitBannedAsync(d, "192.0.2.35", "192.0.2.36");
        Assert.Contains("Restore Ban 192.0.2.35", d.Log(), StringComparison.Ordinal);
        Assert.Equal(["192.0.2.35", "192.0.2.36"], Query(db, "SELECT ip FROM bips ORDER BY ip"));
    }

    /// <summary>
    /// A full disk under a running daemon (a 1 MiB tmpfs in the server's own mount namespace): bans go on, the error names
    /// the file, and once space is freed the file gets every ban, and loses the row of an address unbanned meanwhile.
    /// </summary>
    [Network.RootFact]
    public async Task Server_DiskFullAtRunTime_BansEnforcedAndWrittenOnceSpaceIsFree()
    {
        await using var d = await TestDaemon.StartAsync(Jail, start: false);
        var dir = Path.Join(d.Dir, "lib");
        var db = Path.Join(dir, "fail2ban.sqlite3");
        Directory.CreateDirectory(dir);
        UseDatabase(d, db);
        d.Wrapper = ["unshare", "-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$0\" && exec \"$@\"", dir];
        await d.StartServerAsync();
        var inside = $"/proc/{d.Pid}/root{dir}"; // the tmpfs, as the server sees it
        await BanAsync(d, "192.0.2.41");

        var filler = Path.Join(inside, "filler");
        Fill(filler);
        await BanAsync(d, "192.0.2.42", "192.0.2.43");
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains($"Database file '{db}' cannot be used", StringComparison.Ordinal), "error naming the file");
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+192.0.2.43", StringComparison.Ordinal), "bans enforced on a full disk");
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", "192.0.2.41")).Code); // its row must go once written again

        File.Delete(filler);
        await BanAsync(d, "192.0.2.44");
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains($"Database file '{db}' is usable again", StringComparison.Ordinal), "written again", 90);
        Assert.Equal(["192.0.2.42", "192.0.2.43", "192.0.2.44"], Query(CopyOut(inside, d.Dir), "SELECT ip FROM bips ORDER BY ip"));
    }

    private static async Task BanAsync(TestDaemon d, params string[] ips)
    {
        foreach (var ip in ips)
        {
            Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", ip)).Code);
        }
    }

    private static async Task BanByLogAsync(TestDaemon d, string ip)
    {
        d.Append(TestDaemon.FailedPassword(ip), TestDaemon.FailedPassword(ip), TestDaemon.FailedPassword(ip));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+" + ip, StringComparison.Ordinal), "ban of " + ip);
    }

    private static async Task WaitBannedAsync(TestDaemon d, params string[] ips)
    {
        var banned = "";
        try
        {
            await TestDaemon.WaitUntilAsync(() => ips.All((banned = d.ClientAsync("get", "sshd", "banned").GetAwaiter().GetResult().Output).Contains), "bans restored", 30);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; banned: {banned}\n{d.Log()}", e);
        }
    }

    private static void UseDatabase(TestDaemon d, string db) =>
        File.WriteAllText(Path.Join(d.Dir, "fail2ban.local"), File.ReadAllText(Path.Join(d.Dir, "fail2ban.local")).Replace(d.Database, db, StringComparison.Ordinal));

    /// <summary>root ignores a directory's mode: the immutable attribute stops it from creating files there.</summary>
    private static void SetWritable(string dir, bool writable)
    {
        if (Environment.IsPrivilegedProcess)
        {
            using var chattr = System.Diagnostics.Process.Start("chattr", [writable ? "-i" : "+i", dir])!;
            chattr.WaitForExit();
            Assert.Equal(0, chattr.ExitCode);
        }
        else
        {
            File.SetUnixFileMode(dir, writable ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Writes into <paramref name="path"/> until its file system is full (also the log's full-disk test).</summary>
    internal static void Fill(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var chunk = new byte[16384];
        try
        {
            while (true)
            {
                file.Write(chunk);
                file.Flush();
            }
        }
        catch (IOException)
        {
            // the disk is full
        }
    }

    /// <summary>
    /// Copies the server's database out of its mount namespace (SQLite would resolve <c>/proc/PID/root</c> to our
    /// own <c>/</c>); the copy of the file and its WAL is consistent while the server writes nothing.
    /// </summary>
    private static string CopyOut(string inside, string to)
    {
        var copy = Path.Join(to, "copy.sqlite3");
        File.Copy(Path.Join(inside, "fail2ban.sqlite3"), copy);
        File.Copy(Path.Join(inside, "fail2ban.sqlite3-wal"), copy + "-wal");
        return copy;
    }

    private static string Line(string log, string text) => log.Split('\n').First(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>The number of rows, 0 while the file or its tables do not exist yet.</summary>
    private static int Rows(string db, string sql)
    {
        try
        {
            return File.Exists(db) ? Query(db, sql).Count : 0;
        }
        catch (SqliteException)
        {
            return 0; // being created by the server
        }
    }

    internal static List<string> Query(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}

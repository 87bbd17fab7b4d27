using System.Text;

namespace SharpBan.Tests.Server;

/// <summary>
/// The <c>systemd</c> backend against real journal files written by <c>systemd-journal-remote</c>: a real server
/// follows them through journalctl with the sshd filter's journalmatch.
/// </summary>
public class JournalBackendTests
{
    [Fact]
    public async Task Server_JournalFiles_BansFromMatchingEntriesAndResumesAfterTheCursor()
    {
        await using var d = await TestDaemon.StartAsync(Jail("""systemd[journalfiles="$DIR/a.journal, $DIR/b.journal"]"""), start: false);
        var a = Path.Join(d.Dir, "a.journal");
        var b = Path.Join(d.Dir, "b.journal");
        JournalFile.Append(a, JournalFile.Entry("cron.service", "cron", Failure("203.0.113.61")));
        JournalFile.Append(b, JournalFile.Sshd(Failure("203.0.113.61")), JournalFile.Entry("cron.service", "cron", Failure("203.0.113.61")));
        await d.StartServerAsync();
        await d.WaitForFailedAsync(1); // the entry within findtime before start counts, the cron ones do not match

        JournalFile.Append(b, JournalFile.Sshd(Failure("203.0.113.61")));
        await d.WaitForFailedAsync(2);
        Assert.DoesNotContain("+203.0.113.61", d.Dummy(), StringComparison.Ordinal);
        JournalFile.Append(a, JournalFile.Sshd(Failure("203.0.113.61")));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.61", StringComparison.Ordinal), "ban from the journal");
        Assert.Contains("NOTICE  [sshd] Ban 203.0.113.61", d.Log(), StringComparison.Ordinal);

        // entries written while the server is down are read after the stored cursor, older ones not again
        await d.StopServerAsync();
        JournalFile.Append(b, JournalFile.Sshd(Failure("203.0.113.62")), JournalFile.Sshd(Failure("203.0.113.62")));
        await d.StartServerAsync();
        await d.WaitForFailedAsync(2);
        JournalFile.Append(b, JournalFile.Sshd(Failure("203.0.113.62")));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.62", StringComparison.Ordinal), "ban after restart");
        Assert.Equal(3, await d.TotalFailedAsync());
    }

    [Fact]
    public async Task Server_JournalPath_BansFromFilesInTheDirectory()
    {
        await using var d = await TestDaemon.StartAsync(Jail("systemd[journalpath=$DIR/journal]"), start: false);
        var file = Path.Join(d.Dir, "journal", "remote.journal");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        JournalFile.Append(file, JournalFile.Entry("cron.service", "cron", "started"));
        await d.StartServerAsync();
        JournalFile.Append(file, JournalFile.Sshd(Failure("203.0.113.63")), JournalFile.Sshd(Failure("203.0.113.63")));
        await d.WaitForFailedAsync(2);
        Assert.DoesNotContain("+203.0.113.63", d.Dummy(), StringComparison.Ordinal);
        JournalFile.Append(file, JournalFile.Sshd(Failure("203.0.113.63")));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.63", StringComparison.Ordinal), "ban from the journal directory");
    }

    [Fact]
    public async Task Server_UnknownJournalOption_JailDoesNotStartAndSaysWhy()
    {
        await using var d = await TestDaemon.StartAsync(Jail("systemd[journaldir=/nowhere]"));
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("unexpected backend option 'journaldir'", StringComparison.Ordinal), "error logged");
        var (_, status) = await d.ClientAsync("status");
        Assert.DoesNotContain("Jail list:\tsshd", status, StringComparison.Ordinal);
    }

    /// <summary>An entry journalctl prints as bytes (a control character in it) is read like any other; the jail goes on.</summary>
    [Fact]
    public async Task Server_BinaryMessage_CountedAndTheJailKeepsReading()
    {
        await using var d = await TestDaemon.StartAsync(Jail("""systemd[journalfiles="$DIR/a.journal"]"""), start: false);
        var a = Path.Join(d.Dir, "a.journal");
        JournalFile.Append(a, JournalFile.Entry("cron.service", "cron", "started"));
        await d.StartServerAsync();

        JournalFile.Append(a, JournalFile.Sshd("Failed password for ro\u0001ot from 203.0.113.64 port 22 ssh2"));
        JournalFile.Append(a, JournalFile.Sshd(Failure("203.0.113.64")), JournalFile.Sshd(Failure("203.0.113.64")));

        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.64", StringComparison.Ordinal), "ban after the binary entry");
        Assert.Equal(3, await d.TotalFailedAsync());
    }

    /// <summary><c>set JAIL addjournalmatch</c>/<c>deljournalmatch</c> change what a running jail reads, as in fail2ban.</summary>
    [Fact]
    public async Task Server_JournalMatchChangedAtRunTime_TakesEffect()
    {
        // a journal directory (journalctl also follows files journal-remote may rotate in it), one file written to
        await using var d = await TestDaemon.StartAsync(
            Jail("systemd[journalpath=$DIR/journal]") + "\njournalmatch = _SYSTEMD_UNIT=ssh.service\n", start: false);
        var a = Path.Join(d.Dir, "journal", "remote.journal");
        Directory.CreateDirectory(Path.GetDirectoryName(a)!);
        JournalFile.Append(a, JournalFile.Entry("cron.service", "cron", "started"));
        await d.StartServerAsync();
        JournalFile.Append(a, JournalFile.Entry("other.service", "sshd", Failure("203.0.113.65")));
        JournalFile.Append(a, JournalFile.Sshd(Failure("203.0.113.65")));
        await d.WaitForFailedAsync(1);

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "addjournalmatch", "_SYSTEMD_UNIT=other.service")).Code);
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "deljournalmatch", "_SYSTEMD_UNIT=ssh.service")).Code);
        var (code, answer) = await d.ClientAsync("set", "sshd", "deljournalmatch", "_SYSTEMD_UNIT=nosuch.service");
        Assert.Equal((255, "Match ['_SYSTEMD_UNIT=nosuch.service'] not found"), (code, answer.Split('\n')[0]));
        JournalFile.Append(a, JournalFile.Sshd(Failure("203.0.113.65")), JournalFile.Entry("other.service", "sshd", Failure("203.0.113.66")));
        try
        {
            await TestDaemon.WaitUntilAsync(() => d.TotalFailedAsync().GetAwaiter().GetResult() >= 2, "the entry of the added match", 45);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(JournalState(d.Pid, Path.GetDirectoryName(a)!) + e.Message + "\n" + d.Log(), e);
        }

        await Task.Delay(1500);

        Assert.Equal(2, await d.TotalFailedAsync()); // the other.service entry after the change; neither the ssh.service one nor a replay
        Assert.Contains("Found 203.0.113.66", d.Log(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A <c>journalctl</c> that dies (killed, crashed) is started again after the last entry read: the entries written
    /// while none ran are read once, and the jail goes on banning (it used to stop reading for good).
    /// </summary>
    [Fact]
    public async Task Server_JournalctlKilled_FollowsAgainAfterTheLastEntryRead()
    {
        await using var d = await TestDaemon.StartAsync(Jail("""systemd[journalfiles="$DIR/a.journal"]"""), start: false);
        var a = Path.Join(d.Dir, "a.journal");
        JournalFile.Append(a, JournalFile.Entry("cron.service", "cron", "started"));
        await d.StartServerAsync();
        JournalFile.Append(a, JournalFile.Sshd(Failure("203.0.113.67")));
        await d.WaitForFailedAsync(1);

        Assert.Equal(1, KillJournalctl(d.Pid));
        JournalFile.Append(a, JournalFile.Sshd(Failure("203.0.113.67")));
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("[sshd] journalctl ended (exit code 137); following the journal again in 1 s", StringComparison.Ordinal), "the end noticed");
        await d.WaitForFailedAsync(2);

        Assert.Equal(1, KillJournalctl(d.Pid)); // again: the restarted one is followed the same way
        JournalFile.Append(a, JournalFile.Sshd(Failure("203.0.113.67")));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.67", StringComparison.Ordinal), "ban after two restarts");
        Assert.Equal(3, await d.TotalFailedAsync()); // nothing read twice
    }

    /// <summary>For a timeout's message: the journal's entries and the command lines of the daemon's <c>journalctl</c>s.</summary>
    private static string JournalState(int parent, string directory)
    {
        var text = new StringBuilder("--- the journal:\n");
        var psi = new System.Diagnostics.ProcessStartInfo("journalctl", ["-D", directory, "-o", "json", "--output-fields=_SYSTEMD_UNIT,MESSAGE", "--no-pager"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using (var dump = System.Diagnostics.Process.Start(psi)!)
        {
            text.Append(dump.StandardOutput.ReadToEnd());
            dump.WaitForExit();
        }

        text.Append("--- journalctl children of the daemon:\n");
        foreach (var pid in JournalctlChildren(parent))
        {
            try
            {
                text.AppendLine(File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '));
            }
            catch (IOException)
            {
                // ended meanwhile
            }
        }

        return text.ToString();
    }

    /// <summary>Kills (SIGKILL) the <c>journalctl</c> children of <paramref name="parent"/>; how many.</summary>
    private static int KillJournalctl(int parent)
    {
        var killed = 0;
        foreach (var pid in JournalctlChildren(parent))
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit();
            killed++;
        }

        return killed;
    }

    /// <summary>The pids of the <c>journalctl</c> children of <paramref name="parent"/>.</summary>
    private static List<int> JournalctlChildren(int parent)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Join(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // ended meanwhile
            }

            var close = stat.LastIndexOf(')');
            var comm = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close];
            var ppid = int.Parse(stat[(close + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            if (comm == "journalctl" && ppid == parent)
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    private static string Failure(string ip) => $"Failed password for root from {ip} port 22 ssh2";

    private static string Jail(string backend) => $"""
        [sshd]
        enabled = true
        backend = {backend}
        action = dummy[target="$DIR/dummy.out"]
        """;
}

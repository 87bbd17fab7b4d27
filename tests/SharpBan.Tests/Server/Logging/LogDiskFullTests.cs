using System.Diagnostics;
using SharpBan.Tests.Network;

namespace SharpBan.Tests.Server.Logging;

/// <summary>
/// The daemon's log file on a file system that fills up (a small tmpfs of the test's own, as root): banning and the
/// control socket go on while its lines are dropped, and once there is room again the log says how many were lost.
/// It used to stop for good: the failed flush at the end of a burst kept the command gate shut.
/// </summary>
public sealed class LogDiskFullTests
{
    [RootFact]
    public async Task Daemon_LogFileSystemFull_KeepsBanningAndAnsweringThenSaysWhatWasLost()
    {
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            maxretry = 3
            action = dummy[target="$DIR/dummy.out"]
            """, start: false);
        var mount = Path.Join(d.Dir, "full");
        Directory.CreateDirectory(mount);
        Run("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", mount);
        try
        {
            var log = Path.Join(mount, "sharpban.log");
            var local = Path.Join(d.Dir, "fail2ban.local");
            File.WriteAllText(local, File.ReadAllText(local).Replace(d.LogFile, log, StringComparison.Ordinal));
            await d.StartServerAsync();
            var filler = Path.Join(mount, "filler");
            DatabaseDaemonTests.Fill(filler);

            // more lines than fit in the log file's last, partly used page (tmpfs allocates 4 KiB at a time)
            var addresses = Enumerable.Range(1, 40).Select(i => $"192.0.2.{i}").ToArray();
            foreach (var ip in addresses)
            {
                d.Append(TestDaemon.FailedPassword(ip), TestDaemon.FailedPassword(ip), TestDaemon.FailedPassword(ip));
            }

            await TestDaemon.WaitUntilAsync(() => addresses.All(ip => d.Dummy().Contains("+" + ip, StringComparison.Ordinal)), "bans while the log cannot be written");
            var (code, status) = await d.ClientAsync("status", "sshd");
            Assert.Equal(0, code);
            Assert.Contains("Currently banned:\t40", status, StringComparison.Ordinal);

            File.Delete(filler);
            await Task.Delay(TimeSpan.FromSeconds(5.5)); // the daemon tries the log again 5 s after the failure
            d.Append(TestDaemon.FailedPassword("198.51.100.34"));
            await TestDaemon.WaitUntilAsync(() => File.ReadAllText(log).Contains("Found 198.51.100.34", StringComparison.Ordinal), "the log written again");
            var lines = File.ReadAllLines(log);
            var loss = Array.FindIndex(lines, l => l.Contains("WARNING", StringComparison.Ordinal) && l.Contains("log line(s) lost: the log could not be written (No space left on device", StringComparison.Ordinal));
            Assert.True(loss >= 0, "no line about the lost lines:\n" + string.Join('\n', lines));
            Assert.StartsWith("20", lines[loss], StringComparison.Ordinal); // a line of its own, after any half-written one
            Assert.Contains(lines.Skip(loss), l => l.Contains("Found 198.51.100.34", StringComparison.Ordinal));
        }
        finally
        {
            Run("umount", "-l", mount); // the server (killed by the test daemon's disposal) may still hold its log open
        }
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { UseShellExecute = false, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {error}");
    }
}

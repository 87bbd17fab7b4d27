using System.Diagnostics;

namespace SharpBan.Tests.Network;

/// <summary>Waiting on the log files the real services of the network tests write (sshd, nginx, Dovecot, Postfix, vsftpd).</summary>
internal static class LogFileWait
{
    /// <summary>Waits until at least <paramref name="count"/> lines of <paramref name="path"/> satisfy <paramref name="predicate"/>; returns them.</summary>
    public static IReadOnlyList<string> For(string path, Func<string, bool> predicate, int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var lines = File.Exists(path) ? File.ReadAllLines(path).Where(predicate).ToList() : [];
            if (lines.Count >= count)
            {
                return lines;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{Path.GetFileName(path)} has {lines.Count} of {count} expected lines:\n" + Text(path));
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Waits until none of <paramref name="paths"/> has grown for <paramref name="quiet"/> (a server's last lines of a session).</summary>
    public static void Quiet(IReadOnlyList<string> paths, TimeSpan quiet, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var length = -1L;
        var since = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var now = paths.Sum(static p => File.Exists(p) ? new FileInfo(p).Length : 0);
            if (now != length)
            {
                length = now;
                since.Restart();
            }
            else if (since.Elapsed >= quiet)
            {
                return;
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"{Path.GetFileName(paths[0])} did not settle:\n" + Text(paths[0]));
    }

    private static string Text(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no file)";
}

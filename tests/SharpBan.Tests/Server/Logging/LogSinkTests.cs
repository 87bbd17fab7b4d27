using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SharpBan.Server.Logging;

namespace SharpBan.Tests.Server.Logging;

/// <summary>
/// <c>logtarget = SYSTEMD-JOURNAL</c>: entries in the journal's native protocol on its socket (a socket of the test's
/// own here), read back by systemd's own parser (<c>systemd-journal-remote</c> into a journal file, <c>journalctl</c>).
/// </summary>
public sealed class LogSinkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-logsink-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A log file that cannot be written (<c>/dev/full</c>: every write fails with "No space left on device") never
    /// makes a write throw, in a batch or not; the lines are counted as lost, and the target is tried again after 5 s.
    /// </summary>
    [Fact]
    public void Write_LogCannotBeWritten_NeverThrowsAndCountsTheLostLines()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        using var sink = new LogSink(clock);
        sink.SetTarget("/dev/full");
        sink.Write("fail2ban.actions", 25, "[sshd] Ban 192.0.2.1");
        sink.BeginBatch();
        sink.Write("fail2ban.filter", 20, "[sshd] Found 192.0.2.2 - 2026-11-25 10:00:00");
        sink.Write("fail2ban.filter", 20, "[sshd] Found 192.0.2.2 - 2026-11-25 10:00:01");
        sink.EndBatch();
        Assert.Equal(3, sink.LostLines);

        clock.Advance(TimeSpan.FromSeconds(4));
        sink.Write("fail2ban.actions", 25, "[sshd] Ban 192.0.2.2"); // before the retry time: dropped at once
        Assert.Equal(4, sink.LostLines);

        clock.Advance(TimeSpan.FromSeconds(2));
        sink.Write("fail2ban.actions", 25, "[sshd] Ban 192.0.2.3"); // tried again: the loss line and this one fail too
        Assert.Equal(6, sink.LostLines);
        Assert.Equal("rolled over", sink.Reopen());
    }

    [Fact]
    public void SystemdJournal_EntriesAsFail2bansJournalHandlerWritesThem_ReadBackByJournalctl()
    {
        using var journal = Bind(Path.Combine(_dir, "journal.sock"));
        using var sink = new LogSink(TimeProvider.System) { JournalSocket = Path.Combine(_dir, "journal.sock") };
        sink.SetLevel("DEBUG");
        sink.SetTarget("SYSTEMD-JOURNAL");
        sink.Write("fail2ban.actions", 25, "[sshd] Ban 192.0.2.1");
        sink.Write("fail2ban.filter", 40, "two\nlines = é");
        sink.Write("fail2ban.server", 10, "debug");

        var export = new MemoryStream();
        var micros = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        for (var i = 0; i < 3; i++)
        {
            var buffer = new byte[65536];
            journal.ReceiveTimeout = 5000;
            var n = journal.Receive(buffer);
            export.Write(Encoding.ASCII.GetBytes($"__REALTIME_TIMESTAMP={micros + i}\n__MONOTONIC_TIMESTAMP={1000 + i}\n_BOOT_ID=0123456789abcdef0123456789abcdef\n"));
            export.Write(buffer, 0, n);
            export.WriteByte((byte)'\n');
        }

        var file = Path.Combine(_dir, "test.journal");
        JournalFile.Append(file, export.ToArray());
        var entries = Journalctl("--file", file, "-t", "fail2ban", "-o", "json", "--all");
        Assert.Equal(3, entries.Count);
        Assert.Single(Journalctl("--file", file, "-o", "json", "--all", "PRIORITY=5"));
        Assert.Equal(("[sshd] Ban 192.0.2.1", "5", "fail2ban.actions"), Fields(entries[0])); // what recidive's journalmatch reads
        Assert.Equal(("two\nlines = é", "3", "fail2ban.filter"), Fields(entries[1]));
        Assert.Equal(("debug", "7", "fail2ban.server"), Fields(entries[2]));
    }

    [Fact]
    public void SystemdJournal_NoJournalSocket_FallsBackToSyslog()
    {
        using var syslog = Bind(Path.Combine(_dir, "log.sock"));
        using var sink = new LogSink(TimeProvider.System)
        {
            JournalSocket = Path.Combine(_dir, "missing.sock"),
            SyslogSocket = Path.Combine(_dir, "log.sock"),
        };
        Assert.True(sink.TrySetTarget("SYSTEMD-JOURNAL"));
        sink.Write("fail2ban.actions", 25, "[sshd] Ban 192.0.2.1");
        var buffer = new byte[4096];
        syslog.ReceiveTimeout = 5000;
        var text = Encoding.UTF8.GetString(buffer, 0, syslog.Receive(buffer));
        Assert.Equal($"<85>fail2ban.actions[{Environment.ProcessId}]: NOTICE [sshd] Ban 192.0.2.1", text);
    }

    [Fact]
    public void TrySetTarget_SystemdJournalWithNeitherSocket_RefusedAndCurrentTargetKept()
    {
        using var sink = new LogSink(TimeProvider.System)
        {
            JournalSocket = Path.Combine(_dir, "missing.sock"),
            SyslogSocket = Path.Combine(_dir, "missing-too.sock"),
        };
        sink.SetTarget("STDERR");
        Assert.False(sink.TrySetTarget("SYSTEMD-JOURNAL"));
        Assert.Equal("STDERR", sink.Target);
    }

    private static Socket Bind(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static (string? Message, string? Priority, string? Logger) Fields(JsonElement entry)
    {
        Assert.Equal("fail2ban", entry.GetProperty("SYSLOG_IDENTIFIER").GetString());
        return (entry.GetProperty("MESSAGE").GetString(), entry.GetProperty("PRIORITY").GetString(),
            entry.GetProperty("LOGGER").GetString());
    }

    private static List<JsonElement> Journalctl(params string[] args)
    {
        var psi = new ProcessStartInfo("journalctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }
}

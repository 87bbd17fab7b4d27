using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SharpBan.Server.Logging;

/// <summary>
/// Where the daemon's log goes (fail2ban's <c>logtarget</c>: a file, STDOUT, STDERR, SYSLOG, SYSTEMD-JOURNAL) and at
/// which level (fail2ban's numeric levels, NOTICE = 25). Lines are fail2ban's, logger names included, so that a recidive
/// jail reads our log with fail2ban's own filter too: <c>2026-11-25 10:00:00,123 fail2ban.actions        [pid]: NOTICE  [sshd] Ban 1.2.3.4</c>
/// (syslog: <c>fail2ban.actions[pid]: NOTICE [sshd] Ban 1.2.3.4</c>; the systemd journal: <see cref="JournalEntry"/>, with
/// <c>SYSLOG_IDENTIFIER=fail2ban</c> as fail2ban's journal handler, so <c>journalctl -t fail2ban</c> finds it).
/// A line is flushed at once, except inside a batch (the server's gate): then the whole burst is flushed at its end.
/// </summary>
internal sealed partial class LogSink(TimeProvider time) : IDisposable
{
    private static readonly (string Name, int Level)[] Levels =
    [
        ("CRITICAL", 50), ("ERROR", 40), ("WARNING", 30), ("NOTICE", 25), ("INFO", 20), ("MSG", 18), ("DEBUG", 10),
        ("TRACEDEBUG", 7), ("HEAVYDEBUG", 5),
    ];

    /// <summary>Other names Python's logging accepts for a level.</summary>
    private static readonly (string Name, int Level)[] Aliases = [("FATAL", 50), ("WARN", 30), ("NOTSET", 0)];

    private readonly Lock _lock = new();
    private readonly int _pid = Environment.ProcessId;
    private TextWriter? _writer;
    private bool _ownsWriter;
    private Socket? _syslog;
    private bool _journal;
    private int _batch;

    public int Level { get; private set; } = 20;

    public string LevelName => Levels.FirstOrDefault(l => l.Level == Level).Name ?? Level.ToString(CultureInfo.InvariantCulture);

    public string Target { get; private set; } = "STDERR";

    public string SyslogSocket { get; set; } = "auto";

    /// <summary>The systemd journal's native socket (<c>logtarget = SYSTEMD-JOURNAL</c>).</summary>
    public string JournalSocket { get; init; } = "/run/systemd/journal/socket";

    public bool IsEnabled(int level) => level >= Level;

    public bool SetLevel(string value)
    {
        if (!TryParseLevel(value, out var level))
        {
            return false;
        }

        Level = level;
        return true;
    }

    /// <summary>A level by fail2ban's name (<c>WARNING</c>, <c>NOTICE</c>, …, any case) or number.</summary>
    public static bool TryParseLevel(string value, out int level)
    {
        var upper = value.Trim().ToUpperInvariant();
        foreach (var (name, l) in Levels.Concat(Aliases))
        {
            if (name == upper)
            {
                level = l;
                return true;
            }
        }

        return int.TryParse(upper, NumberStyles.Integer, CultureInfo.InvariantCulture, out level);
    }

    /// <summary>The name a message of <paramref name="level"/> is logged under (the nearest named level at or below it).</summary>
    public static string NameOfLevel(int level) => Levels.FirstOrDefault(l => l.Level <= level).Name ?? "DEBUG";

    public void SetTarget(string target)
    {
        lock (_lock)
        {
            CloseLocked();
            Target = target;
            OpenLocked();
        }
    }

    /// <summary>
    /// <c>set logtarget</c> from a client: as fail2ban, a target that cannot be opened (a file in a missing directory,
    /// SYSLOG without a socket) is refused and the current one kept.
    /// </summary>
    public bool TrySetTarget(string target)
    {
        lock (_lock)
        {
            if (target == Target)
            {
                return true; // as fail2ban: the same target again changes nothing (a reload sets it again)
            }

            if (target is not ("STDOUT" or "SYSOUT" or "STDERR" or "SYSLOG" or "SYSTEMD-JOURNAL"))
            {
                try
                {
                    using var probe = new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    return false;
                }
            }
            else if (target is "SYSLOG" or "SYSTEMD-JOURNAL")
            {
                using var probe = Connect(target == "SYSLOG" ? SyslogPath : JournalSocket)
                    ?? (target == "SYSLOG" ? null : Connect(SyslogPath));
                if (probe is null)
                {
                    return false;
                }
            }

            CloseLocked();
            Target = target;
            OpenLocked();
            return true;
        }
    }

    /// <summary><c>flushlogs</c>: re-open a log file (after logrotate); returns fail2ban's answer.</summary>
    public string Reopen()
    {
        lock (_lock)
        {
            if (Target is "STDOUT" or "STDERR" or "SYSLOG" or "SYSTEMD-JOURNAL")
            {
                FlushLocked();
                return "flushed";
            }

            CloseLocked();
            OpenLocked();
            return "rolled over";
        }
    }

    /// <summary>Starts a batch: lines are buffered until the matching <see cref="EndBatch"/>.</summary>
    public void BeginBatch()
    {
        lock (_lock)
        {
            _batch++;
        }
    }

    public void EndBatch()
    {
        lock (_lock)
        {
            if (--_batch == 0)
            {
                FlushLocked();
            }
        }
    }

    public void Write(string logger, int level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var levelName = NameOfLevel(level);
        lock (_lock)
        {
            if (_syslog is not null && _journal)
            {
                Send(JournalEntry(logger, level, message));
                return;
            }

            if (_syslog is not null)
            {
                var severity = level >= 50 ? 2 : level >= 40 ? 3 : level >= 30 ? 4 : level >= 25 ? 5 : level >= 20 ? 6 : 7;
                Send(Encoding.UTF8.GetBytes($"<{(10 * 8) + severity}>{logger}[{_pid}]: {levelName} {message}"));
                return;
            }

            if (_writer is null && !TryRecoverLocked())
            {
                _lost++;
                return;
            }

            try
            {
                WriteLineLocked(logger, levelName, message);
                if (_batch == 0)
                {
                    FlushLocked();
                }
            }
            catch (IOException e)
            {
                FailedLocked(e);
            }
        }
    }

    private void WriteLineLocked(string logger, string levelName, string message)
    {
        var now = TimeZoneInfo.ConvertTime(time.GetUtcNow(), time.LocalTimeZone);
        _writer!.Write(now.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture));
        _writer.Write(' ');
        _writer.Write(logger.PadRight(24));
        _writer.Write('[');
        _writer.Write(_pid.ToString(CultureInfo.InvariantCulture));
        _writer.Write("]: ");
        _writer.Write(levelName.PadRight(7));
        _writer.Write(' ');
        _writer.WriteLine(message);
        _unflushed++;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            CloseLocked();
        }
    }

    private void OpenLocked()
    {
        switch (Target)
        {
            case "STDOUT" or "SYSOUT":
                _writer = Console.Out;
                break;
            case "STDERR":
                _writer = Console.Error;
                break;
            case "SYSTEMD-JOURNAL" when Connect(JournalSocket) is { } journal:
                _syslog = journal;
                _journal = true;
                break;
            case "SYSLOG" or "SYSTEMD-JOURNAL":
                // no journal here (or SYSLOG asked for): syslog, else stderr rather than losing messages
                _syslog = Connect(SyslogPath);
                _writer = _syslog is null ? Console.Error : null;
                break;
            default:
                var dir = Path.GetDirectoryName(Path.GetFullPath(Target));
                if (dir is not null)
                {
                    Directory.CreateDirectory(dir);
                }

                _writer = new StreamWriter(new FileStream(Target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), new UTF8Encoding(false));
                _ownsWriter = true;
                break;
        }
    }

    private void CloseLocked()
    {
        DropWriterLocked();
        _syslog?.Dispose();
        _syslog = null;
        _journal = false;
    }

    /// <summary>
    /// One entry in the journal's native protocol: <c>KEY=value</c> lines, or for a value holding a line break the key,
    /// a line break, the value's length (64-bit little endian), the value and a line break. NOTICE (bans, unbans) is
    /// priority 5, syslog's notice, which the recidive filter's <c>journalmatch</c> asks for (python-systemd's handler,
    /// fail2ban's, maps it to 4).
    /// </summary>
    internal static byte[] JournalEntry(string logger, int level, string message)
    {
        var priority = level <= 10 ? 7 : level <= 20 ? 6 : level <= 25 ? 5 : level <= 30 ? 4 : level <= 40 ? 3 : level <= 50 ? 2 : 1;
        using var entry = new MemoryStream();
        AppendField(entry, "MESSAGE", message);
        AppendField(entry, "PRIORITY", priority.ToString(CultureInfo.InvariantCulture));
        AppendField(entry, "SYSLOG_IDENTIFIER", "fail2ban");
        AppendField(entry, "LOGGER", logger);
        return entry.ToArray();
    }

    private static void AppendField(MemoryStream entry, string key, string value)
    {
        entry.Write(Encoding.ASCII.GetBytes(key));
        var bytes = Encoding.UTF8.GetBytes(value);
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            entry.WriteByte((byte)'\n');
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)bytes.Length);
            entry.Write(length);
        }
        else
        {
            entry.WriteByte((byte)'=');
        }

        entry.Write(bytes);
        entry.WriteByte((byte)'\n');
    }

    private string SyslogPath => SyslogSocket is "auto" or "" ? "/dev/log" : SyslogSocket;

    private static Socket? Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    private void Send(byte[] payload)
    {
        try
        {
            _syslog!.Send(payload);
        }
        catch (SocketException)
        {
            // deliberate: a vanished syslog or journal socket must not stop the daemon; nothing else to log to
        }
    }
}

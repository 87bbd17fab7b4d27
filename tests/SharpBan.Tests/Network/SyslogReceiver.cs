using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace SharpBan.Tests.Network;

/// <summary>
/// A tiny syslog daemon: a Unix datagram socket that writes each message it receives to a file in
/// /var/log/auth.log form (<c>Mon dd HH:MM:SS host prog[PID]: message</c>), keeping the sender's own pid. Mounted
/// on <c>/dev/log</c> in a private mount namespace (see <see cref="SshServer"/>), it gives every sshd connection
/// its own pid in the log, as on a real host.
/// </summary>
internal sealed partial class SyslogReceiver : IDisposable
{
    private readonly Socket _socket;
    private readonly Task _loop;
    private readonly string _logPath;

    public SyslogReceiver(string socketPath, string logPath)
    {
        _logPath = logPath;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        File.SetUnixFileMode(socketPath, (UnixFileMode)0x1B6); // rw for everyone, as /dev/log
        _loop = Task.Run(ReceiveAsync);
    }

    /// <summary>
    /// Starts <paramref name="command"/> (shell text) in <paramref name="ns"/> inside a private mount namespace whose
    /// <c>/dev</c> is a small tmpfs with the few devices a daemon needs and a <c>/dev/log</c> bound to
    /// <paramref name="socket"/> (a <see cref="SyslogReceiver"/>'s), as on a real host but without touching its /dev/log.
    /// </summary>
    public static Process StartWithPrivateDevLog(NetworkLab lab, string ns, string directory, string socket, string command)
    {
        var oldDev = Directory.CreateDirectory(Path.Combine(directory, "olddev")).FullName;
        var script = $"""
            set -e
            mount --rbind /dev '{oldDev}'
            mount -t tmpfs -o mode=755 sharpban-dev /dev
            for n in null zero full random urandom tty; do touch /dev/$n; mount --bind '{oldDev}'/$n /dev/$n; done
            touch /dev/log
            mount --bind '{socket}' /dev/log
            {command}
            """;
        return lab.StartIn(ns, "unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script);
    }

    public void Dispose()
    {
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the receive loop ends with the closed socket
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[8192];
        await using var log = new StreamWriter(_logPath, append: true) { AutoFlush = true };
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // disposed
            }

            var match = Message().Match(Encoding.UTF8.GetString(buffer, 0, n).TrimEnd('\n', '\0'));
            if (match.Success)
            {
                var stamp = DateTime.Now.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
                await log.WriteLineAsync($"{stamp} sharpban-test {match.Groups["tag"].Value}: {match.Groups["msg"].Value}").ConfigureAwait(false);
            }
        }
    }

    // glibc's syslog(3): "<PRI>Mmm dd hh:mm:ss TAG[PID]: MESSAGE", or "TAG: MESSAGE" without LOG_PID (Dovecot)
    [GeneratedRegex(@"^<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d (?<tag>[^:\s\[]+(?:\[\d+\])?): (?<msg>.*)$", RegexOptions.Singleline)]
    private static partial Regex Message();
}

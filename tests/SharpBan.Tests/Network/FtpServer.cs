using System.Diagnostics;
using System.Security.Cryptography;

namespace SharpBan.Tests.Network;

/// <summary>
/// The real vsftpd (Debian vsftpd 3.0.3) in a namespace, confined to a temporary directory: <c>vsftpd CONF</c> in the
/// foreground (<c>listen=YES</c>, <c>background=NO</c>) on one address, Debian's defaults otherwise (anonymous off,
/// local users through its PAM service <c>vsftpd</c>: /etc/ftpusers, pam_unix, pam_shells), and one local user created
/// with a random password and deleted on dispose. vsftpd writes <see cref="LogPath"/> (<c>vsftpd_log_file</c>,
/// <c>dual_log_enable=YES</c>, <c>syslog_enable=NO</c>); PAM's messages go through syslog(3) to a private
/// <c>/dev/log</c> (a <see cref="SyslogReceiver"/>, as <see cref="SshServer"/>) and land in <see cref="AuthLogPath"/>.
/// vsftpd reports a configuration error (<c>500 OOPS: …</c>) on fd 0, its inetd control connection: fd 0 is a file here.
/// </summary>
internal sealed class FtpServer : IDisposable
{
    private readonly string _directory;
    private readonly Process? _process;
    private readonly SyslogReceiver? _syslog;
    private readonly string _errors;
    private readonly bool _userCreated;

    /// <param name="logProtocol">vsftpd's <c>log_ftp_protocol</c>: every command and answer is logged too, with the
    /// client's text after vsftpd's own <c>Client "ADDR", </c>.</param>
    public FtpServer(NetworkLab lab, string ns, string listenAddress, bool logProtocol)
    {
        _directory = Directory.CreateTempSubdirectory("sharpban-ftp-").FullName;
        User = "sbf" + lab.Id;
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        LogPath = Path.Combine(_directory, "vsftpd.log");
        AuthLogPath = Path.Combine(_directory, "auth.log");
        _errors = Path.Combine(_directory, "vsftpd.fd0");
        try
        {
            File.SetUnixFileMode(_directory, (UnixFileMode)0x1ED); // 0755: the user's session reaches its home below it
            var home = Directory.CreateDirectory(Path.Combine(_directory, "home")).FullName;
            var empty = Directory.CreateDirectory(Path.Combine(_directory, "empty")).FullName; // secure_chroot_dir: root's, not writable
            // pam_shells wants a shell from /etc/shells; rbash is the least a leaked password could do with one.
            Shell.Check("useradd", "--no-create-home", "--home-dir", home, "--shell", "/bin/rbash", User);
            _userCreated = true;
            Shell.Run("chpasswd", [], stdin: $"{User}:{Password}\n");
            var conf = Path.Combine(_directory, "vsftpd.conf");
            File.WriteAllText(conf, $"""
                listen=YES
                listen_ipv6=NO
                background=NO
                listen_address={listenAddress}
                anonymous_enable=NO
                local_enable=YES
                dirmessage_enable=YES
                use_localtime=YES
                connect_from_port_20=YES
                secure_chroot_dir={empty}
                pam_service_name=vsftpd
                ssl_enable=NO
                xferlog_enable=YES
                dual_log_enable=YES
                xferlog_file={Path.Combine(_directory, "xferlog")}
                vsftpd_log_file={LogPath}
                syslog_enable=NO
                log_ftp_protocol={(logProtocol ? "YES" : "NO")}

                """);
            File.WriteAllText(LogPath, "");
            File.WriteAllText(AuthLogPath, "");
            File.WriteAllText(_errors, "");
            var socket = Path.Combine(_directory, "log.sock");
            _syslog = new SyslogReceiver(socket, AuthLogPath);
            _process = SyslogReceiver.StartWithPrivateDevLog(lab, ns, _directory, socket, $"exec /usr/sbin/vsftpd '{conf}' 0<>'{_errors}'");
            WaitListening(ns, listenAddress, TimeSpan.FromSeconds(20));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The local user vsftpd logs in through PAM.</summary>
    public string User { get; }

    public string Password { get; }

    /// <summary>vsftpd's own log (<c>vsftpd_log_file</c>, Debian's /var/log/vsftpd.log).</summary>
    public string LogPath { get; }

    /// <summary>What PAM wrote through syslog, /var/log/auth.log form.</summary>
    public string AuthLogPath { get; }

    /// <summary>Waits until the logs have not grown for <paramref name="quiet"/> (PAM delays a failure by about 2 s).</summary>
    public void WaitQuiet(TimeSpan quiet, TimeSpan timeout) => LogFileWait.Quiet([LogPath, AuthLogPath], quiet, timeout);

    public void Dispose()
    {
        // The process is vsftpd itself (ip netns exec, unshare and sh all exec); its tree holds the sessions.
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _syslog?.Dispose();
        if (_userCreated)
        {
            Shell.Run("userdel", [User]);
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Polls the listening sockets (a probe connection would be logged as a client).</summary>
    private void WaitListening(string ns, string address, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!NetworkLab.Exec(ns, "ss", "-Hltn").Out.Contains($"{address}:21 ", StringComparison.Ordinal))
        {
            if (_process!.HasExited || clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"vsftpd is not listening on {address}:21: {File.ReadAllText(_errors).Trim()}");
            }

            Thread.Sleep(50);
        }
    }
}

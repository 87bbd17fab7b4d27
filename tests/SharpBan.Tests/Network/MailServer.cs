using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace SharpBan.Tests.Network;

/// <summary>
/// A real Dovecot (Debian dovecot-imapd/-pop3d: IMAP on 143, POP3 on 110) and, optionally, a real Postfix smtpd (port
/// 25, SMTP AUTH through Dovecot's auth service) in a namespace, confined to a temporary directory: Dovecot with its
/// own <c>base_dir</c>/<c>state_dir</c> and a passwd-file passdb holding one mailbox (<see cref="User"/>), Postfix with
/// its own <c>config_directory</c>, queue and data directory, listening only on the given addresses (IPv4 and IPv6); no
/// system user is created. Both log through syslog(3) into one <see cref="LogPath"/> in /var/log/mail.log form (a private
/// mount namespace whose <c>/dev/log</c> is a <see cref="SyslogReceiver"/>, as <see cref="SshServer"/>). Dovecot's auth
/// penalty (4 to 15 s before each login after a failed one from the same address, plus 2 s before each failure) is
/// real: callers run attempts in parallel. Postfix waits at most 10 s for Dovecot's answer, then logs "Connection lost
/// to authentication server" instead of the failure.
/// </summary>
internal sealed class MailServer : IDisposable
{
    private readonly string _directory;
    private readonly Process? _process;
    private readonly SyslogReceiver? _syslog;

    /// <param name="authVerbose">Dovecot's <c>auth_verbose</c>: the auth service logs each failed lookup as well
    /// (a failed login then writes two lines).</param>
    public MailServer(NetworkLab lab, string ns, string[] listenAddresses, bool postfix, bool authVerbose)
    {
        _directory = Directory.CreateTempSubdirectory("sharpban-mail-").FullName;
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        LogPath = Path.Combine(_directory, "mail.log");
        Postfix = postfix;
        try
        {
            // Dovecot's login processes (dovenull) and Postfix's smtpd (postfix) reach their files below it.
            File.SetUnixFileMode(_directory, (UnixFileMode)0x1ED); // 0755
            var dovecotConf = WriteDovecotConfig(listenAddresses, authVerbose);
            var postfixDir = postfix ? WritePostfixConfig(listenAddresses) : null;
            File.WriteAllText(LogPath, "");
            var socket = Path.Combine(_directory, "log.sock");
            _syslog = new SyslogReceiver(socket, LogPath);
            var start = postfixDir is null
                ? $"exec /usr/sbin/dovecot -F -c '{dovecotConf}'"
                : $"""
                  /usr/sbin/dovecot -F -c '{dovecotConf}' &
                  /usr/sbin/postfix -c '{postfixDir}' check
                  /usr/sbin/postfix -c '{postfixDir}' start-fg
                  """;
            _process = SyslogReceiver.StartWithPrivateDevLog(lab, ns, _directory, socket, start);
            // Both masters log their start once they listen (no probe connection: it would be logged as a client).
            WaitFor(l => l.Contains("dovecot: master: Dovecot v", StringComparison.Ordinal), 1, TimeSpan.FromSeconds(20));
            if (postfix)
            {
                WaitFor(l => l.Contains("postfix/master", StringComparison.Ordinal) && l.Contains("daemon started", StringComparison.Ordinal), 1, TimeSpan.FromSeconds(30));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The one mailbox in Dovecot's passwd-file (no system user).</summary>
    public string User => "alice";

    public string Password { get; }

    public bool Postfix { get; }

    /// <summary>Dovecot's and Postfix's syslog messages, one line each, /var/log/mail.log form.</summary>
    public string LogPath { get; }

    /// <summary>Waits until at least <paramref name="count"/> log lines satisfy <paramref name="predicate"/>.</summary>
    public IReadOnlyList<string> WaitFor(Func<string, bool> predicate, int count, TimeSpan timeout) =>
        LogFileWait.For(LogPath, predicate, count, timeout);

    /// <summary>Waits until the log has not grown for <paramref name="quiet"/> (the servers' last lines of a session).</summary>
    public void WaitQuiet(TimeSpan quiet, TimeSpan timeout) => LogFileWait.Quiet([LogPath], quiet, timeout);

    public void Dispose()
    {
        // Stop both masters by their pid files (they stop their children), then whatever is left of the tree.
        if (_process is { HasExited: false })
        {
            foreach (var pidFile in new[] { Path.Combine(_directory, "postfix", "spool", "pid", "master.pid"), Path.Combine(_directory, "dovecot", "master.pid") })
            {
                // Postfix holds a lock on its pid file that .NET's File.ReadAllText refuses to share: read it with cat.
                if (File.Exists(pidFile) && int.TryParse(Shell.Run("cat", [pidFile]).Out.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    Shell.Run("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
                }
            }

            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }

        _syslog?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string WriteDovecotConfig(string[] listenAddresses, bool authVerbose)
    {
        var passwd = Path.Combine(_directory, "passwd");
        File.WriteAllText(passwd, $"{User}:{{PLAIN}}{Password}\n");
        var home = Directory.CreateDirectory(Path.Combine(_directory, "home")).FullName;
        var conf = Path.Combine(_directory, "dovecot.conf");
        File.WriteAllText(conf, $$"""
            base_dir = {{Path.Combine(_directory, "dovecot")}}
            state_dir = {{Directory.CreateDirectory(Path.Combine(_directory, "dovecot-state")).FullName}}
            protocols = imap pop3
            listen = {{string.Join(", ", listenAddresses)}}
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            auth_verbose = {{(authVerbose ? "yes" : "no")}}
            # any character reaches the passdb (and the auth service's log lines)
            auth_username_chars =
            syslog_facility = mail
            passdb {
              driver = passwd-file
              args = scheme=PLAIN {{passwd}}
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home={{home}}/%u
            }
            mail_location = maildir:~/Maildir
            service auth {
              unix_listener auth-postfix {
                mode = 0666
              }
            }

            """);
        return conf;
    }

    private string WritePostfixConfig(string[] listenAddresses)
    {
        var root = Directory.CreateDirectory(Path.Combine(_directory, "postfix")).FullName;
        var etc = Directory.CreateDirectory(Path.Combine(root, "etc")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        Shell.Check("chown", "postfix", data);
        var recipients = "inline:{ {" + User + "=" + User + "} }";
        File.WriteAllText(Path.Combine(etc, "main.cf"), $$"""
            compatibility_level = 3.6
            queue_directory = {{Directory.CreateDirectory(Path.Combine(root, "spool")).FullName}}
            data_directory = {{data}}
            myhostname = mail.example.test
            mydomain = example.test
            myorigin = example.test
            mydestination = example.test
            inet_interfaces = {{string.Join(", ", listenAddresses)}}
            inet_protocols = {{(listenAddresses.Any(a => a.Contains(':', StringComparison.Ordinal)) ? "all" : "ipv4")}}
            mynetworks = 127.0.0.0/8
            alias_maps =
            alias_database =
            local_recipient_maps = {{recipients}}
            smtpd_sasl_auth_enable = yes
            smtpd_sasl_type = dovecot
            smtpd_sasl_path = {{Path.Combine(_directory, "dovecot", "auth-postfix")}}
            smtpd_tls_security_level = none
            smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
            smtpd_error_sleep_time = 0
            smtpd_soft_error_limit = 3
            smtpd_hard_error_limit = 6
            disable_dns_lookups = yes
            maillog_file =

            """);
        // Nothing chrooted (the daemons log through /dev/log and reach Dovecot's socket by absolute path); only what
        // the SMTP server needs.
        File.WriteAllText(Path.Combine(etc, "master.cf"), """
            smtp      inet  n       -       n       -       -       smtpd
            pickup    unix  n       -       n       60      1       pickup
            cleanup   unix  n       -       n       -       0       cleanup
            qmgr      unix  n       -       n       300     1       qmgr
            rewrite   unix  -       -       n       -       -       trivial-rewrite
            bounce    unix  -       -       n       -       0       bounce
            defer     unix  -       -       n       -       0       bounce
            trace     unix  -       -       n       -       0       bounce
            verify    unix  -       -       n       -       1       verify
            proxymap  unix  -       -       n       -       -       proxymap
            error     unix  -       -       n       -       -       error
            retry     unix  -       -       n       -       -       error
            discard   unix  -       -       n       -       -       discard
            anvil     unix  -       -       n       -       1       anvil
            scache    unix  -       -       n       -       1       scache

            """);
        return etc;
    }
}

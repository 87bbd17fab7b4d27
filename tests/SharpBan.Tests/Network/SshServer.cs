using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace SharpBan.Tests.Network;

/// <summary>
/// The real OpenSSH <c>sshd</c> (Debian openssh-server) in a namespace, with a temporary host key, password
/// authentication, and a test user created with a random password (deleted on dispose). sshd logs through
/// syslog(3) as on a real host: it runs in a private mount namespace whose <c>/dev</c> is a small tmpfs
/// holding the few devices it needs and a <c>/dev/log</c> bound to a <see cref="SyslogReceiver"/>, which writes
/// <see cref="LogPath"/> in /var/log/auth.log form with each connection's own pid (<c>sshd[PID]</c>); nothing
/// of this is visible outside the namespace.
/// </summary>
internal sealed class SshServer : IDisposable
{
    private readonly string _directory;
    private readonly Process _sshd;
    private readonly SyslogReceiver? _syslog;
    private readonly string _user;

    public SshServer(NetworkLab lab, string ns, params string[] listenAddresses)
    {
        _directory = Directory.CreateTempSubdirectory("sharpban-sshd-").FullName;
        _user = "sbt" + lab.Id;
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        LogPath = Path.Combine(_directory, "auth.log");
        try
        {
            Shell.Check("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", _user);
            Shell.Run("chpasswd", [], stdin: $"{_user}:{Password}\n");
            Directory.CreateDirectory("/run/sshd");
            var hostKey = Path.Combine(_directory, "host_ed25519");
            Shell.Check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey);
            var config = Path.Combine(_directory, "sshd_config");
            File.WriteAllText(config, string.Join('\n', [
                "Port 22",
                .. listenAddresses.Select(a => "ListenAddress " + a),
                "HostKey " + hostKey,
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "MaxAuthTries 6",
                "PidFile " + Path.Combine(_directory, "sshd.pid"),
                "",
            ]));
            File.WriteAllText(LogPath, "");
            var socket = Path.Combine(_directory, "log.sock");
            _syslog = new SyslogReceiver(socket, LogPath);
            _sshd = SyslogReceiver.StartWithPrivateDevLog(lab, ns, _directory, socket, $"exec /usr/sbin/sshd -D -f '{config}'");
            WaitFor(l => l.Contains("Server listening on", StringComparison.Ordinal), 1, TimeSpan.FromSeconds(20));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string User => _user;

    public string Password { get; }

    /// <summary>sshd's log in syslog form, one line per message.</summary>
    public string LogPath { get; }

    /// <summary>
    /// Tries to log in once from <paramref name="ns"/> with <paramref name="password"/> (one password prompt,
    /// so one "Failed password" line per wrong attempt); returns ssh's exit code (0 = logged in and ran true).
    /// </summary>
    public int TryLogin(string ns, string address, string password) =>
        NetworkLab.Exec(ns, "sshpass", "-p", password, "ssh",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no",
            "-o", "NumberOfPasswordPrompts=1", "-o", "ConnectTimeout=5",
            $"{_user}@{address}", "true").Exit;

    /// <summary>Waits until at least <paramref name="count"/> log lines satisfy <paramref name="predicate"/>.</summary>
    public IReadOnlyList<string> WaitFor(Func<string, bool> predicate, int count, TimeSpan timeout) =>
        LogFileWait.For(LogPath, predicate, count, timeout);

    public void Dispose()
    {
        if (_sshd is { HasExited: false })
        {
            _sshd.Kill(entireProcessTree: true);
            _sshd.WaitForExit(5000);
        }

        _syslog?.Dispose();
        Shell.Run("userdel", [_user]);
        Directory.Delete(_directory, recursive: true);
    }
}

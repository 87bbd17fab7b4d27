using SharpBan.Tests.RegexTool;
using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// What real clients make a real sshd (Debian's OpenSSH, logging through syslog) write, read by the shipped sshd
/// filter: wrong passwords, unknown users, port scanners that never greet, HTTP requests to port 22, clients that
/// offer no usable algorithm or give up before authenticating. The same log is read by fail2ban's own sshd filter
/// through fail2ban-regex, and both must find the same failures in every mode; and a jail in ddos mode bans a
/// scanner that only ever opens and closes connections.
/// </summary>
public sealed class SshdScannerTests(ITestOutputHelper output) : IDisposable
{
    private const string Fail2BanRegex = "/usr/bin/fail2ban-regex";
    private static readonly string ShippedConfig = Path.Join(AppContext.BaseDirectory, "config");
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootFact]
    public void ShippedSshdFilter_RealClientsLog_SameFailuresAsFail2BanInEveryMode()
    {
        if (!File.Exists(Fail2BanRegex))
        {
            Assert.False(Environment.GetEnvironmentVariable("SHARPBAN_REQUIRE_ORACLE") == "1", "fail2ban-regex is required");
            output.WriteLine("skipped: fail2ban is not installed");
            return;
        }

        using var sshd = new SshServer(_lab.Lab, _lab.Server, FirewallLab.Server1V4, FirewallLab.Server2V4, "2001:db8:2::1");
        var ns = _lab.Attacker1;
        var server = FirewallLab.Server1V4;
        string[] ssh = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5"];
        Assert.NotEqual(0, sshd.TryLogin(ns, server, "wrong-1"));
        NetworkLab.Exec(ns, "sshpass", ["-p", "x", "ssh", .. ssh, "-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=1", $"no-such-user@{server}", "true"]);
        NetworkLab.Exec(ns, "nc", "-z", "-w", "2", server, "22");
        NetworkLab.Exec(ns, "sh", "-c", $"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {server} 22");
        NetworkLab.Exec(ns, "ssh", [.. ssh, "-o", "KexAlgorithms=diffie-hellman-group1-sha1", $"{sshd.User}@{server}", "true"]);
        NetworkLab.Exec(ns, "ssh", [.. ssh, "-o", "HostKeyAlgorithms=ssh-dss", $"{sshd.User}@{server}", "true"]);
        NetworkLab.Exec(ns, "ssh", [.. ssh, "-o", "BatchMode=yes", "-o", "PreferredAuthentications=none", $"{sshd.User}@{server}", "true"]);
        NetworkLab.Exec(ns, "ssh", [.. ssh, "-o", "BatchMode=yes", "-o", "PreferredAuthentications=publickey", $"nobody-here@{server}", "true"]);
        sshd.WaitFor(l => l.Contains("[preauth]", StringComparison.Ordinal) || l.Contains("Connection closed by", StringComparison.Ordinal), 7, TimeSpan.FromSeconds(20));
        Thread.Sleep(500); // the last connection's closing lines
        var log = File.ReadAllText(sshd.LogPath);
        output.WriteLine(log);

        foreach (var mode in new[] { "normal", "ddos", "extra", "aggressive" })
        {
            var theirs = Fail2BanFailures(sshd.LogPath, mode);
            var (exit, ours) = RegexCli.Run("-c", ShippedConfig, "-o", "msg", sshd.LogPath, $"sshd[mode={mode}]");
            Assert.Equal(0, exit);
            Assert.True(theirs.Count > 0, $"fail2ban found no failure in mode {mode}");
            Assert.Equal(theirs, Sorted(ours));
        }
    }

    [RootFact]
    public async Task SshdJail_DdosMode_ScannerThatNeverGreetsIsBanned()
    {
        using var sshd = new SshServer(_lab.Lab, _lab.Server, FirewallLab.Server1V4, FirewallLab.Server2V4, "2001:db8:2::1");
        await using var d = await TestDaemon.StartAsync($"""
            [sshd]
            enabled = true
            mode = ddos
            logpath = {sshd.LogPath}
            """, start: false); // maxretry 3 from the shipped jail.conf
        d.NetworkNamespace = _lab.Server;
        try
        {
            await d.StartServerAsync();
            Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, 22), "first probe connects");
            Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, 22), "second probe connects");
            await d.WaitForFailedAsync(2);
            Assert.True(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, 22), "another address is not affected");
            Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, 22), "third probe still connects");
            await TestDaemon.WaitUntilAsync(() => !NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, 22), "the scanner is banned", 20);
            Assert.True(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, 22), "the other address still connects");
            var banned = await d.ClientAsync("get", "sshd", "banned");
            Assert.Contains(FirewallLab.Attacker1V4, banned.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(FirewallLab.Attacker2V4, banned.Output, StringComparison.Ordinal);
            await d.StopServerAsync();
        }
        finally
        {
            output.WriteLine(File.ReadAllText(sshd.LogPath));
            output.WriteLine(d.Log());
        }
    }

    private static List<string> Fail2BanFailures(string log, string mode) =>
        Sorted(Shell.Check(Fail2BanRegex, "-o", "msg", log, $"sshd[mode={mode}]"));

    private static List<string> Sorted(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
}

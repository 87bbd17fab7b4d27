using System.Text.Json;
using SharpBan.RegexTool;

namespace SharpBan.Tests.Network;

/// <summary>The sshd scenario's building blocks: a real sshd, real clients, our shipped sshd filter.</summary>
public sealed class SshServerTests : IDisposable
{
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootFact]
    public void TryLogin_ThreeWrongPasswords_ThreeFailuresOurSshdFilterMatches()
    {
        using var sshd = new SshServer(_lab.Lab, _lab.Server, FirewallLab.Server1V4, FirewallLab.Server1V6);
        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(0, sshd.TryLogin(_lab.Attacker1, FirewallLab.Server1V4, "WRONG"));
        }

        var failures = sshd.WaitFor(l => l.Contains("Failed password for", StringComparison.Ordinal), 3, TimeSpan.FromSeconds(10));
        // every connection logs with its own pid, as through syslog on a real host
        Assert.Equal(3, failures.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4]).Distinct().Count());

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var rc = RegexCommand.Run(new RegexToolOptions
        {
            Log = sshd.LogPath,
            Filter = "sshd",
            ConfigDirectory = ConfigDirectory.Shipped(),
            Json = true,
        }, stdout, stderr);
        Assert.True(rc == 0, stderr.ToString());
        var hosts = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Host: e.GetProperty("host").GetString(), User: e.TryGetProperty("user", out var u) ? u.GetString() : null))
            .ToList();
        var context = File.ReadAllText(sshd.LogPath) + "\n---\n" + stdout;
        Assert.True(hosts.Count(h => h.Host == FirewallLab.Attacker1V4) == 3, context);
        Assert.Equal(3, hosts.Count);
        Assert.All(hosts, h => Assert.Equal(sshd.User, h.User));
    }

    [RootFact]
    public void TryLogin_IPv6Attacker_FailureLogged()
    {
        using var sshd = new SshServer(_lab.Lab, _lab.Server, FirewallLab.Server1V6);
        Assert.NotEqual(0, sshd.TryLogin(_lab.Attacker1, FirewallLab.Server1V6, "WRONG"));
        sshd.WaitFor(l => l.Contains($"Failed password for {sshd.User} from {FirewallLab.Attacker1V6} port ",
            StringComparison.Ordinal), 1, TimeSpan.FromSeconds(10));
    }

    [RootFact]
    public void TryLogin_RightPassword_LogsIn()
    {
        using var sshd = new SshServer(_lab.Lab, _lab.Server, FirewallLab.Server2V4);
        // The test user's shell is nologin: authentication succeeds, the command then fails with exit 1.
        Assert.NotEqual(255, sshd.TryLogin(_lab.Attacker2, FirewallLab.Server2V4, sshd.Password));
        sshd.WaitFor(l => l.Contains("Accepted password for " + sshd.User, StringComparison.Ordinal), 1,
            TimeSpan.FromSeconds(10));
    }
}

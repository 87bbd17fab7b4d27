namespace SharpBan.Tests.Server;

/// <summary>
/// <c>maxtracked</c> end to end: a real server flooded with failures of thousands of new IPv6 addresses (an attacker
/// rotating through a /64) tracks at most that many, reports the forgotten ones, and still bans an address that had
/// failed before the flood.
/// </summary>
public class MaxTrackedDaemonTests
{
    private const string Jail = TestDaemon.PollingJail + """

        maxretry = 3
        maxtracked = 200
        """;

    [Fact]
    public async Task Server_FloodOfNewAddresses_StaysUnderMaxTrackedAndBansTheRepeatOffender()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        d.Append(TestDaemon.FailedPassword("203.0.113.9"), TestDaemon.FailedPassword("203.0.113.9"));
        d.Append([.. Enumerable.Range(0, 3000).Select(i => TestDaemon.FailedPassword($"2001:db8:1:2::{i:x}", pid: 1000 + i))]);
        d.Append(TestDaemon.FailedPassword("203.0.113.9"));
        await d.WaitForFailedAsync(3003);

        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+203.0.113.9", StringComparison.Ordinal), "repeat offender banned");
        var status = (await d.ClientAsync("status", "sshd")).Output;
        Assert.Contains("Currently failed:\t199", status, StringComparison.Ordinal); // 200 tracked, the banned one left
        Assert.Contains("Total failed:\t3003", status, StringComparison.Ordinal);
        Assert.Equal(
            ["Status for the jail: sshd", "|- Filter", "|  |- Currently failed:", "|  |- Total failed:", "|  `- File list:", "`- Actions",
             "   |- Currently banned:", "   |- Total banned:", "   `- Banned IP list:"],
            status.Split('\n').Select(l => l.Split('\t')[0])); // fail2ban's status, nothing added
        Assert.Contains("WARNING [sshd] Forgot ", d.Log(), StringComparison.Ordinal);
        Assert.Equal("200", (await d.ClientAsync("get", "sshd", "maxtracked")).Output);
        var metrics = (await d.ClientAsync("metrics")).Output;
        Assert.Equal("sharpban_jail_tracked_evicted_total{jail=\"sshd\"} 2801", metrics.Split('\n').Single(l => l.StartsWith("sharpban_jail_tracked_evicted_total{", StringComparison.Ordinal))); // 3001 addresses, 200 of them tracked at the end
    }

    [Fact]
    public async Task Server_SetMaxTracked_TakesEffectAtTheNextNewAddressAndRefusesNonsense()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        d.Append([.. Enumerable.Range(0, 150).Select(i => TestDaemon.FailedPassword($"2001:db8:3::{i:x}"))]);
        await d.WaitForFailedAsync(150);

        Assert.Equal((0, "20"), await d.ClientAsync("set", "sshd", "maxtracked", "20"));
        d.Append(TestDaemon.FailedPassword("2001:db8:4::1"));
        await d.WaitForFailedAsync(151);

        Assert.Contains("Currently failed:\t20", (await d.ClientAsync("status", "sshd")).Output, StringComparison.Ordinal);
        var (code, output) = await d.ClientAsync("set", "sshd", "maxtracked", "-3");
        Assert.NotEqual(0, code);
        Assert.Contains("Invalid value for maxtracked in jail 'sshd': must be a whole number of addresses, 0 for no limit, not '-3'", output, StringComparison.Ordinal);
        Assert.Equal("20", (await d.ClientAsync("get", "sshd", "maxtracked")).Output);
    }
}

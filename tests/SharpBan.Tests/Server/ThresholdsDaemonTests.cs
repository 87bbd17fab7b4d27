using System.Globalization;

namespace SharpBan.Tests.Server;

/// <summary>
/// <c>thresholds</c> end to end: a real server bans an address whose failures are spread over more than findtime (so
/// that fail2ban's maxretry never counts 3) through the extra pair, with the standard ban line and the dummy action.
/// </summary>
public class ThresholdsDaemonTests
{
    private const string Jail = TestDaemon.PollingJail + """

        maxretry = 3
        findtime = 14
        thresholds = 4/1m 10/1d
        """;

    [Fact]
    public async Task Server_FailuresSpreadBeyondFindTime_BannedByTheExtraPair()
    {
        await using var d = await StartInOperationAsync();
        // 15 s apart: fail2ban's estimate stays at 2 within 14 s; four within one minute reach 4/1m (the server takes a
        // date up to 60 s old as it is)
        d.Append(FailedPasswordAgo("192.0.2.7", 45, 1), FailedPasswordAgo("192.0.2.7", 30, 2), FailedPasswordAgo("192.0.2.7", 15, 3));
        await d.WaitForFailedAsync(4);
        Assert.DoesNotContain("+", d.Dummy(), StringComparison.Ordinal);
        d.Append(FailedPasswordAgo("192.0.2.7", 0, 4));

        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+192.0.2.7", StringComparison.Ordinal), "ban through 4/1m");
        var log = d.Log();
        Assert.Contains("NOTICE  [sshd] Threshold 4/1m reached by 192.0.2.7", log, StringComparison.Ordinal);
        Assert.Contains("NOTICE  [sshd] Ban 192.0.2.7", log, StringComparison.Ordinal); // the line recidive reads, unchanged
        Assert.True(log.IndexOf("Threshold 4/1m", StringComparison.Ordinal) < log.IndexOf("Ban 192.0.2.7", StringComparison.Ordinal));
        Assert.Equal("['192.0.2.7']", (await d.ClientAsync("get", "sshd", "banned")).Output.Trim());
    }

    [Fact]
    public async Task Server_SetGetThresholds_ChangesRefusesNonsenseAndTurnsOff()
    {
        await using var d = await StartInOperationAsync();
        Assert.Equal("4/1m 10/1d", (await d.ClientAsync("get", "sshd", "thresholds")).Output.Trim());
        Assert.Equal((0, "2/1h 30/1w"), await Trimmed(d.ClientAsync("set", "sshd", "thresholds", "2/1h  30/1w")));
        var (code, output) = await d.ClientAsync("set", "sshd", "thresholds", "10/1d 12h");
        Assert.NotEqual(0, code);
        Assert.Contains("Invalid value for thresholds in jail 'sshd': '12h' is not COUNT/TIME (e.g. 10/1d)", output, StringComparison.Ordinal);
        Assert.Equal("2/1h 30/1w", (await d.ClientAsync("get", "sshd", "thresholds")).Output.Trim());

        d.Append(FailedPasswordAgo("198.51.100.3", 40, 1), FailedPasswordAgo("198.51.100.3", 0, 2)); // 40 s apart: 2/1h
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+198.51.100.3", StringComparison.Ordinal), "ban through 2/1h");

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "thresholds", "")).Code);
        Assert.Equal("", (await d.ClientAsync("get", "sshd", "thresholds")).Output.Trim());
        d.Append(FailedPasswordAgo("198.51.100.4", 40, 3), FailedPasswordAgo("198.51.100.4", 0, 4));
        await d.WaitForFailedAsync(5);
        Assert.DoesNotContain("198.51.100.4", d.Dummy(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The windows' failures are in the database with the log positions: after a restart (a clean stop, or SIGKILL with
    /// no shutdown code at all) the address needs only the failure it still lacked, and the lines read before are not
    /// counted again.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Server_Restarted_WindowsKeepTheirFailures(bool kill)
    {
        await using var d = await StartInOperationAsync(Jail.Replace("4/1m", "4/10m", StringComparison.Ordinal));
        d.Append(FailedPasswordAgo("192.0.2.8", 45, 1), FailedPasswordAgo("192.0.2.8", 30, 2), FailedPasswordAgo("192.0.2.8", 15, 3));
        await d.WaitForFailedAsync(4);
        if (kill)
        {
            await d.KillServerAsync();
        }
        else
        {
            await d.StopServerAsync();
        }

        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("[sshd] thresholds: the failures of 2 address(es) restored from the database", StringComparison.Ordinal), "windows restored");
        await Task.Delay(2000); // a log read at start would count the old lines again now
        Assert.Equal(0, await d.TotalFailedAsync());
        Assert.DoesNotContain("+192.0.2.8", d.Dummy(), StringComparison.Ordinal);

        d.Append(FailedPasswordAgo("192.0.2.8", 0, 4));
        await TestDaemon.WaitUntilAsync(() => d.Dummy().Contains("+192.0.2.8", StringComparison.Ordinal), "ban through 4/10m after the restart");
        Assert.Contains("NOTICE  [sshd] Threshold 4/10m reached by 192.0.2.8", d.Log(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A server whose log is in operation: the first lines read with content are a backlog, in which a failure older
    /// than findtime is ignored (fail2ban's rule), so one failure of another address is read first.
    /// </summary>
    private static async Task<TestDaemon> StartInOperationAsync(string jail = Jail)
    {
        var d = await TestDaemon.StartAsync(jail);
        d.Append(FailedPasswordAgo("203.0.113.250", 0, 0));
        await d.WaitForFailedAsync(1);
        return d;
    }

    private static async Task<(int, string)> Trimmed(Task<(int Code, string Output)> answer)
    {
        var (code, output) = await answer;
        return (code, output.Trim());
    }

    /// <summary>An sshd failure dated <paramref name="secondsAgo"/> in the past.</summary>
    private static string FailedPasswordAgo(string ip, int secondsAgo, int pid) =>
        DateTimeOffset.Now.AddSeconds(-secondsAgo).ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture)
        + $" host sshd[{1000 + pid}]: Failed password for root from {ip} port 22 ssh2";
}

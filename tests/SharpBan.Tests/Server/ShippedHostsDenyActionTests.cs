namespace SharpBan.Tests.Server;

/// <summary>Our shipped hostsdeny action under the real daemon, on a hosts.deny file of the test's own.</summary>
public class ShippedHostsDenyActionTests
{
    [Fact]
    public async Task HostsDeny_BanAndUnban_AddsAndRemovesExactlyItsLineIPv6InBrackets()
    {
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = hostsdeny[file="$DIR/hosts.deny", daemon_list="sshd, vsftpd"]
            """, start: false);
        var file = Path.Join(d.Dir, "hosts.deny");
        const string Existing = "# the administrator's own lines stay\nALL: 192.0.2.10\nsshd: 192.0.2.1\n";
        File.WriteAllText(file, Existing);
        await d.StartServerAsync();

        foreach (var address in new[] { "192.0.2.1", "2001:db8::7" })
        {
            Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", address)).Code);
        }

        await TestDaemon.WaitUntilAsync(() => File.ReadAllText(file).Contains("[2001:db8::7]", StringComparison.Ordinal), "IPv6 ban written");
        await TestDaemon.WaitUntilAsync(() => File.ReadAllText(file).Contains("vsftpd: 192.0.2.1\n", StringComparison.Ordinal), "IPv4 ban written");
        Assert.Equal(Existing + "sshd, vsftpd: 192.0.2.1\nsshd, vsftpd: [2001:db8::7]\n", SortedTail(File.ReadAllText(file), Existing));

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", "192.0.2.1")).Code);
        await TestDaemon.WaitUntilAsync(() => !File.ReadAllText(file).Contains("vsftpd: 192.0.2.1", StringComparison.Ordinal), "IPv4 line removed");
        Assert.Equal(Existing + "sshd, vsftpd: [2001:db8::7]\n", File.ReadAllText(file));

        await d.StopServerAsync(); // no actionflush: the daemon unbans one by one
        Assert.Equal(Existing, File.ReadAllText(file));
        Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Every call rewrites the file, so the action runs one call at a time (its <c>concurrency</c> of 1 reaches the
    /// daemon): 20 bans and then 20 unbans at once leave exactly the administrator's lines.
    /// </summary>
    [Fact]
    public async Task HostsDeny_ManyBansAndUnbansAtOnce_NoLineLostOrLeft()
    {
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = hostsdeny[file="$DIR/hosts.deny"]
            """, start: false);
        var file = Path.Join(d.Dir, "hosts.deny");
        const string Existing = "ALL: 192.0.2.10\n";
        File.WriteAllText(file, Existing);
        await d.StartServerAsync();
        Assert.Equal("1", (await d.ClientAsync("get", "sshd", "action", "hostsdeny", "concurrency")).Output.Trim());

        string[] addresses = [.. Enumerable.Range(1, 20).Select(i => $"198.51.100.{i}")];
        Assert.Equal(0, (await d.ClientAsync(["set", "sshd", "banip", .. addresses])).Code);
        await TestDaemon.WaitUntilAsync(() => File.ReadAllLines(file).Length == 21, "20 lines written: " + File.ReadAllText(file));
        Assert.Equal(0, (await d.ClientAsync(["set", "sshd", "unbanip", .. addresses])).Code);
        await TestDaemon.WaitUntilAsync(() => File.ReadAllText(file) == Existing, "every line removed: " + File.ReadAllText(file));
        await Task.Delay(500);
        Assert.Equal(Existing, File.ReadAllText(file));
        Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
    }

    /// <summary>The file with the lines after <paramref name="head"/> sorted (bans of two addresses may run concurrently).</summary>
    private static string SortedTail(string text, string head) =>
        head + string.Concat(text[head.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).Select(l => l + "\n"));
}

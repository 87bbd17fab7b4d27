using System.Net;
using Microsoft.Extensions.Time.Testing;
using SharpBan.Engine.Firewall;
using SharpBan.Firewall;
using SharpBan.Tests.Support;

namespace SharpBan.Tests.Firewall;

public sealed class NativeNftablesBackendTests
{
    private static readonly NativeJailSettings Sshd = NativeJailSettings.Create("sshd", "ssh", "tcp", BanMode.Multiport);
    private static readonly CancellationToken None = CancellationToken.None;

    private static NativeNftablesBackend Create(FakeNftablesRunner runner) =>
        new(runner, new FakeTimeProvider(), TimeSpan.Zero);

    private static BanEntry Ban(string ip, double? seconds = null) =>
        new(IPAddress.Parse(ip), seconds is { } s ? TimeSpan.FromSeconds(s) : null);

    [Fact]
    public async Task StartAsync_PersistedBans_OneTransactionWithEveryElement()
    {
        var runner = new FakeNftablesRunner();
        await using var backend = Create(runner);
        var persisted = Enumerable.Range(0, 20_000)
            .Select(i => Ban($"10.{i / 65536}.{i / 256 % 256}.{i % 256}", 600))
            .Append(Ban("2001:db8::7"))
            .Append(Ban("192.0.2.99", -1));
        var jail = await backend.StartAsync(Sshd, persisted, None);
        var script = Assert.Single(runner.Scripts);
        Assert.StartsWith("add table inet sharpban-native\n", script, StringComparison.Ordinal);
        Assert.Contains("10.0.78.31 timeout 600000ms", script, StringComparison.Ordinal);
        Assert.Contains("add element inet sharpban-native ban6-sshd { 2001:db8::7 }\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.99", script, StringComparison.Ordinal);
        Assert.Equal(20_001, jail.Count);
    }

    [Fact]
    public async Task BanAsync_FamiliesGoToTheirSets()
    {
        var runner = new FakeNftablesRunner();
        await using var backend = Create(runner);
        var jail = await backend.StartAsync(Sshd, [], None);
        await jail.BanAsync([Ban("192.0.2.1", 60), Ban("2001:db8::1"), Ban("::ffff:198.51.100.2", 1.5)], None);
        Assert.Equal(
            "add element inet sharpban-native ban4-sshd { 192.0.2.1 timeout 60000ms, 198.51.100.2 timeout 1500ms }\n" +
            "add element inet sharpban-native ban6-sshd { 2001:db8::1 }\n",
            runner.Scripts.Last());
    }

    [Fact]
    public async Task BanAsync_AlreadyBanned_ReplacesElementForNewTimeout()
    {
        var runner = new FakeNftablesRunner();
        await using var backend = Create(runner);
        var jail = await backend.StartAsync(Sshd, [Ban("192.0.2.1", 60)], None);
        await jail.BanAsync([Ban("192.0.2.1", 600)], None);
        Assert.Equal(
            "add element inet sharpban-native ban4-sshd { 192.0.2.1 }\n" +
            "delete element inet sharpban-native ban4-sshd { 192.0.2.1 }\n" +
            "add element inet sharpban-native ban4-sshd { 192.0.2.1 timeout 600000ms }\n",
            runner.Scripts.Last());
    }

    private static BanEntry Net(string network, double? seconds = null)
    {
        var slash = network.IndexOf('/', StringComparison.Ordinal);
        return new(IPAddress.Parse(network[..slash]), seconds is { } s ? TimeSpan.FromSeconds(s) : null,
            int.Parse(network[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task BanAsync_NetworksOfTwoLengths_EachLengthGetsItsSetAndRuleOnce()
    {
        var runner = new FakeNftablesRunner();
        await using var backend = Create(runner);
        var jail = await backend.StartAsync(Sshd, [Net("192.0.2.0/24", 60)], None);
        Assert.Contains(
            "add set inet sharpban-native net4-sshd-24 { type ipv4_addr; flags interval, timeout; }\n" +
            "flush set inet sharpban-native net4-sshd-24\n" +
            "add rule inet sharpban-native in-sshd meta l4proto { tcp } th dport { ssh } ip saddr @net4-sshd-24 reject\n" +
            "add element inet sharpban-native net4-sshd-24 { 192.0.2.0/24 timeout 60000ms }\n",
            runner.Scripts.Last(), StringComparison.Ordinal);

        // a /16 holding the /24 goes to a set of its own (one interval set refuses overlapping elements)
        await jail.BanAsync([Net("192.0.0.0/16"), Net("198.51.100.0/24")], None);
        Assert.Equal(
            "add set inet sharpban-native net4-sshd-16 { type ipv4_addr; flags interval, timeout; }\n" +
            "flush set inet sharpban-native net4-sshd-16\n" +
            "add rule inet sharpban-native in-sshd meta l4proto { tcp } th dport { ssh } ip saddr @net4-sshd-16 reject\n" +
            "add element inet sharpban-native net4-sshd-16 { 192.0.0.0/16 }\n" +
            "add element inet sharpban-native net4-sshd-24 { 198.51.100.0/24 }\n",
            runner.Scripts.Last());
        Assert.Equal(3, jail.Count);

        await jail.UnbanAsync([new NftTarget(IPAddress.Parse("192.0.0.0"), 16)], None);
        Assert.Equal(
            "add element inet sharpban-native net4-sshd-16 { 192.0.0.0/16 }\n" +
            "delete element inet sharpban-native net4-sshd-16 { 192.0.0.0/16 }\n",
            runner.Scripts.Last());

        await jail.StopAsync(None);
        Assert.Equal("add table inet sharpban-native\ndelete table inet sharpban-native\n", runner.Scripts.Last());
    }

    [Fact]
    public async Task BanAsync_FailedCreationOfANetworkSet_WrittenAgainByTheNextBan()
    {
        var runner = new FakeNftablesRunner();
        await using var backend = Create(runner);
        var jail = await backend.StartAsync(Sshd, [], None);
        runner.Respond = _ => new NftRunResult(1, "Error: out of memory\n");
        await Assert.ThrowsAsync<NftablesException>(() => jail.BanAsync([Net("2001:db8:1::/64")], None));
        runner.Respond = _ => NftRunResult.Success;
        await jail.BanAsync([Net("2001:db8:2::/64")], None);
        Assert.StartsWith("add set inet sharpban-native net6-sshd-64 ", runner.Scripts.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnbanAsync_NetworkOfALengthNeverBanned_NoScriptThatWouldFail()
    {
        var runner = new FakeNftablesRunner();
        await using var backend = Create(runner);
        var jail = await backend.StartAsync(Sshd, [], None);
        var before = runner.Scripts.Count;
        await jail.UnbanAsync([new NftTarget(IPAddress.Parse("10.0.0.0"), 8)], None);
        Assert.Equal(before, runner.Scripts.Count);
    }

    [Fact]
    public async Task StopAsync_NotLastJail_DeletesTheNetworkSetsItMade()
    {
        var runner = new FakeNftablesRunner();
        await using var backend = Create(runner);
        await backend.StartAsync(Sshd, [], None);
        var web = await backend.StartAsync(NativeJailSettings.Create("web", "80", "tcp", BanMode.Multiport),
            [Net("192.0.2.0/24"), Net("2001:db8::/48")], None);
        await web.StopAsync(None);
        Assert.Contains("delete set inet sharpban-native net4-web-24\n", runner.Scripts.Last(), StringComparison.Ordinal);
        Assert.Contains("delete set inet sharpban-native net6-web-48\n", runner.Scripts.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnbanAsync_DeletesRobustlyAndForgets()
    {
        var runner = new FakeNftablesRunner();
        await using var backend = Create(runner);
        var jail = await backend.StartAsync(Sshd, [Ban("2001:db8::5")], None);
        await jail.UnbanAsync([IPAddress.Parse("2001:db8::5")], None);
        Assert.Equal(
            "add element inet sharpban-native ban6-sshd { 2001:db8::5 }\n" +
            "delete element inet sharpban-native ban6-sshd { 2001:db8::5 }\n",
            runner.Scripts.Last());
        Assert.Equal(0, jail.Count);
    }

    [Fact]
    public async Task BanAsync_InvalidAddresses_RejectedBeforeAnyScript()
    {
        var runner = new FakeNftablesRunner();
        await using var backend = Create(runner);
        var v4Only = NativeJailSettings.Create("web", "80,443", "tcp", BanMode.Multiport, NftFamily.IPv4);
        var jail = await backend.StartAsync(v4Only, [], None);
        var before = runner.Scripts.Count;
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => jail.BanAsync([Ban("2001:db8::1")], None));
        Assert.StartsWith("jail 'web' does not handle IPv6 addresses", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => jail.BanAsync([Ban("0.0.0.0")], None));
        await Assert.ThrowsAsync<ArgumentException>(() => jail.BanAsync([Ban("fe80::1%3")], None));
        Assert.Equal(before, runner.Scripts.Count);
    }

    [Fact]
    public async Task StopAsync_LastJail_DeletesTableOtherwiseOnlyTheJail()
    {
        var runner = new FakeNftablesRunner();
        await using var backend = Create(runner);
        var sshd = await backend.StartAsync(Sshd, [], None);
        var web = await backend.StartAsync(NativeJailSettings.Create("web", "80", "tcp", BanMode.Multiport), [], None);
        await web.StopAsync(None);
        Assert.Contains("delete chain inet sharpban-native in-web\n", runner.Scripts.Last(), StringComparison.Ordinal);
        Assert.DoesNotContain("sshd", runner.Scripts.Last(), StringComparison.Ordinal);
        Assert.DoesNotContain("delete table", runner.Scripts.Last(), StringComparison.Ordinal);
        await sshd.StopAsync(None);
        Assert.Equal("add table inet sharpban-native\ndelete table inet sharpban-native\n", runner.Scripts.Last());
    }

    [Fact]
    public async Task StartAsync_NftFails_ThrowsWithStderrAndJailCanBeStartedAgain()
    {
        var runner = new FakeNftablesRunner { Respond = _ => new NftRunResult(1, "Error: Could not process rule\n") };
        await using var backend = Create(runner);
        var ex = await Assert.ThrowsAsync<NftablesException>(() => backend.StartAsync(Sshd, [], None));
        Assert.Equal("nft failed to start jail 'sshd' (exit 1): Error: Could not process rule", ex.Message);
        runner.Respond = _ => NftRunResult.Success;
        await backend.StartAsync(Sshd, [], None);
    }

    [Fact]
    public async Task BanAsync_ConcurrentRequests_CoalescedIntoOneTransaction()
    {
        var runner = new FakeNftablesRunner();
        var time = new SignallingTimeProvider();
        await using var backend = new NativeNftablesBackend(runner, time, TimeSpan.FromMilliseconds(5));
        var startTask = backend.StartAsync(Sshd, [], None);
        await NftBatchQueueTests.WaitForTimerAsync(time);
        time.Advance(TimeSpan.FromMilliseconds(5));
        var jail = await startTask;
        time.Reset();
        var bans = Enumerable.Range(1, 100).Select(i => jail.BanAsync([Ban($"198.51.100.{i}", 60)], None)).ToList();
        await NftBatchQueueTests.WaitForTimerAsync(time);
        time.Advance(TimeSpan.FromMilliseconds(5));
        await Task.WhenAll(bans);
        Assert.Equal(2, runner.Scripts.Count);
        Assert.Equal(100, runner.Scripts.Last().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(2, backend.Transactions);
    }
}

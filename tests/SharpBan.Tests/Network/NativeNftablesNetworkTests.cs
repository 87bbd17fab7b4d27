using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SharpBan.Engine.Firewall;
using SharpBan.Firewall;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>The native nftables backend against the real kernel, proven with real TCP connections.</summary>
public sealed class NativeNftablesNetworkTests(ITestOutputHelper output) : IDisposable
{
    private const int Port = 2222;
    private const int OtherPort = 8080;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    private NativeNftablesBackend Backend() =>
        new(new NftProcessRunner("nft", _lab.Server), TimeProvider.System);

    private static NativeJailSettings Jail(string name, BanMode mode, string port = "2222") =>
        NativeJailSettings.Create(name, port, "tcp", mode);

    private static BanEntry Ban(string ip, double? seconds = 600) =>
        new(IPAddress.Parse(ip), seconds is { } s ? TimeSpan.FromSeconds(s) : null);

    [RootFact]
    public async Task Ban_IPv4_BannedCannotConnectOtherCanAndUnbanRestores()
    {
        _lab.Lab.StartTcpListeners(_lab.Server, Port);
        await using var backend = Backend();
        var jail = await backend.StartAsync(Jail("sshd", BanMode.Multiport), [], None);
        Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port));

        await jail.BanAsync([Ban(FirewallLab.Attacker1V4)], None);
        Assert.False(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port));
        Assert.True(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, Port));

        await jail.UnbanAsync([IPAddress.Parse(FirewallLab.Attacker1V4)], None);
        Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port));
        await backend.StopAsync(None);
    }

    [RootFact]
    public async Task Ban_IPv6_BlocksOnlyThatAddress()
    {
        _lab.Lab.StartTcpListeners(_lab.Server, Port);
        await using var backend = Backend();
        var jail = await backend.StartAsync(Jail("sshd", BanMode.Multiport), [], None);
        Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V6, Port));

        await jail.BanAsync([Ban(FirewallLab.Attacker1V6, null)], None);
        Assert.False(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V6, Port));
        Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port));

        await jail.UnbanAsync([IPAddress.Parse(FirewallLab.Attacker1V6)], None);
        Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V6, Port));
        await backend.StopAsync(None);
    }

    [RootFact]
    public async Task Ban_MultiportBlocksJailPortsOnly_AllPortsBlocksEveryPort()
    {
        _lab.Lab.StartTcpListeners(_lab.Server, Port, OtherPort);
        await using var backend = Backend();
        var multiport = await backend.StartAsync(Jail("sshd", BanMode.Multiport, "ssh,2000:2300"), [], None);
        var allports = await backend.StartAsync(Jail("recidive", BanMode.AllPorts), [], None);

        await multiport.BanAsync([Ban(FirewallLab.Attacker1V4)], None);
        Assert.False(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port));
        Assert.True(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, OtherPort));

        await allports.BanAsync([Ban(FirewallLab.Attacker2V4)], None);
        Assert.False(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, Port));
        Assert.False(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, OtherPort));
        await backend.StopAsync(None);
    }

    [RootFact]
    public async Task Ban_ShortTimeout_KernelExpiresTheElement()
    {
        _lab.Lab.StartTcpListeners(_lab.Server, Port);
        await using var backend = Backend();
        var jail = await backend.StartAsync(Jail("sshd", BanMode.Multiport), [], None);
        var clock = Stopwatch.StartNew();
        await jail.BanAsync([Ban(FirewallLab.Attacker1V4, 2)], None);
        Assert.False(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port));

        // No unban is sent: only the element timeout can lift the ban.
        while (!NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "the element never expired");
            await Task.Delay(250);
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"expired after {clock.Elapsed}");
        Assert.Empty(Elements("ban4-sshd"));
        await backend.StopAsync(None);
    }

    [RootFact]
    public async Task Stop_RemovesOnlyWhatItCreated()
    {
        NetworkLab.ExecChecked(_lab.Server, "nft", "add", "table", "inet", "someone-else");
        var before = _lab.Ruleset();
        await using var backend = Backend();
        var sshd = await backend.StartAsync(Jail("sshd", BanMode.Multiport), [Ban(FirewallLab.Attacker1V4)], None);
        var web = await backend.StartAsync(Jail("web", BanMode.AllPorts), [Ban(FirewallLab.Attacker1V6)], None);
        Assert.Contains("table inet sharpban-native", _lab.Ruleset(), StringComparison.Ordinal);

        await web.StopAsync(None);
        var afterWeb = _lab.Ruleset();
        Assert.DoesNotContain("-web", afterWeb, StringComparison.Ordinal);
        Assert.Contains("ban4-sshd", afterWeb, StringComparison.Ordinal);

        await sshd.StopAsync(None);
        Assert.Equal(before, _lab.Ruleset());
        Assert.DoesNotContain("sharpban", _lab.Ruleset(), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Start_AfterCrash_ReplacesLeftoversWithPersistedBans()
    {
        _lab.Lab.StartTcpListeners(_lab.Server, Port);
        await using (var crashed = Backend())
        {
            var jail = await crashed.StartAsync(Jail("sshd", BanMode.Multiport), [], None);
            await jail.BanAsync([Ban(FirewallLab.Attacker1V4), Ban(FirewallLab.Attacker2V4)], None);
        }

        await using var backend = Backend();
        await backend.StartAsync(Jail("sshd", BanMode.Multiport), [Ban(FirewallLab.Attacker1V4)], None);
        Assert.Equal([FirewallLab.Attacker1V4], Elements("ban4-sshd"));
        Assert.False(NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, Port));
        Assert.True(NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, Port));
        Assert.Single(_lab.Ruleset().Split('\n'), l => l.Contains("@ban4-sshd", StringComparison.Ordinal));
        await backend.StopAsync(None);
    }

    [RootFact]
    public Task Ban_TenThousand_OneTransactionAllPresent() =>
        TenThousandBansAsync(new NftProcessRunner("nft", _lab.Server), "nft -f");

    [RootFact]
    public async Task Ban_TenThousandThroughLibNftables_OneTransactionAllPresent()
    {
        using var runner = new LibNftablesRunner(_lab.Server);
        await TenThousandBansAsync(runner, "libnftables");
    }

    [RootFact]
    public Task Start_TwentyThousandPersisted_OneTransactionAllPresent() =>
        TwentyThousandStartAsync(new NftProcessRunner("nft", _lab.Server), "nft -f");

    [RootFact]
    public async Task Start_TwentyThousandPersistedThroughLibNftables_OneTransactionAllPresent()
    {
        using var runner = new LibNftablesRunner(_lab.Server);
        await TwentyThousandStartAsync(runner, "libnftables");
    }

    [RootFact]
    public async Task Ban_SequentialSingleBans_PerTransactionCostReported()
    {
        using var lib = new LibNftablesRunner(_lab.Server);
        foreach (var (runner, label) in new (INftablesRunner, string)[]
                 { (new NftProcessRunner("nft", _lab.Server), "nft -f"), (lib, "libnftables") })
        {
            await using var backend = new NativeNftablesBackend(runner, TimeProvider.System, TimeSpan.Zero);
            var jail = await backend.StartAsync(Jail("sshd", BanMode.Multiport), [], None);
            var clock = Stopwatch.StartNew();
            foreach (var address in BenchmarkAddresses(100))
            {
                await jail.BanAsync([new BanEntry(address, TimeSpan.FromHours(1))], None);
            }

            clock.Stop();
            Assert.Equal(100, Elements("ban4-sshd").Count);
            output.WriteLine($"BENCH native {label}: one ban per transaction, mean of 100: {clock.Elapsed.TotalMilliseconds / 100:F2} ms");
            await backend.StopAsync(None);
        }
    }

    private async Task TenThousandBansAsync(INftablesRunner runner, string label)
    {
        await using var backend = new NativeNftablesBackend(runner, TimeProvider.System);
        var jail = await backend.StartAsync(Jail("sshd", BanMode.Multiport), [], None);
        var transactions = backend.Transactions;
        var bans = BenchmarkAddresses(10_000).Select(a => new BanEntry(a, TimeSpan.FromHours(1))).ToList();

        var clock = Stopwatch.StartNew();
        await jail.BanAsync(bans, None);
        clock.Stop();

        Assert.Equal(transactions + 1, backend.Transactions);
        Assert.Equal(10_000, Elements("ban4-sshd").Count);
        output.WriteLine($"BENCH native {label}: 10000 bans in one transaction: {clock.Elapsed.TotalMilliseconds:F0} ms");
        await backend.StopAsync(None);
        Assert.DoesNotContain("sharpban", _lab.Ruleset(), StringComparison.Ordinal);
    }

    private async Task TwentyThousandStartAsync(INftablesRunner runner, string label)
    {
        await using var backend = new NativeNftablesBackend(runner, TimeProvider.System);
        var persisted = BenchmarkAddresses(20_000).Select(a => new BanEntry(a, TimeSpan.FromHours(1))).ToList();

        var clock = Stopwatch.StartNew();
        await backend.StartAsync(Jail("sshd", BanMode.Multiport), persisted, None);
        clock.Stop();

        Assert.Equal(1, backend.Transactions);
        Assert.Equal(20_000, Elements("ban4-sshd").Count);
        output.WriteLine($"BENCH native {label}: start with 20000 persisted bans: {clock.Elapsed.TotalMilliseconds:F0} ms");
        await backend.StopAsync(None);
    }

    [RootFact]
    public async Task Ban_ManySmallRequests_CoalescedIntoFewTransactions()
    {
        await using var backend = Backend();
        var jail = await backend.StartAsync(Jail("sshd", BanMode.Multiport), [], None);
        var transactions = backend.Transactions;
        var tasks = BenchmarkAddresses(1000).Select(a => jail.BanAsync([new BanEntry(a, null)], None)).ToList();
        await Task.WhenAll(tasks);
        output.WriteLine($"1000 single-address requests → {backend.Transactions - transactions} transaction(s)");
        Assert.True(backend.Transactions - transactions <= 3);
        Assert.Equal(1000, Elements("ban4-sshd").Count);
        await backend.StopAsync(None);
    }

    /// <summary>Distinct IPv4 addresses from 198.18.0.0/15 (RFC 2544, reserved for benchmarks).</summary>
    internal static IEnumerable<IPAddress> BenchmarkAddresses(int count) =>
        Enumerable.Range(0, count).Select(i => new IPAddress([198, (byte)(18 + (i >> 16)), (byte)(i >> 8), (byte)i]));

    /// <summary>The addresses in one of our sets (from <c>nft -j list set</c>).</summary>
    private List<string> Elements(string set)
    {
        var json = NetworkLab.ExecChecked(_lab.Server, "nft", "-j", "list", "set", "inet", NftScript.DefaultTable, set);
        var result = new List<string>();
        foreach (var item in JsonDocument.Parse(json).RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("set", out var s) && s.TryGetProperty("elem", out var elements))
            {
                foreach (var e in elements.EnumerateArray())
                {
                    result.Add(e.ValueKind == JsonValueKind.String
                        ? e.GetString()!
                        : e.GetProperty("elem").GetProperty("val").GetString()!);
                }
            }
        }

        return result;
    }
}

using System.Diagnostics;
using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// <c>usedns</c> against a name server of the test's (<see cref="FakeDnsServer"/>) in a namespace. A host name in a
/// log line is the attacker's to choose, and so is the name server that answers for it: one that never replies must
/// not hold up the daemon for the resolver's timeout (here 30 s per lookup), while names that do resolve, at once or
/// late, are still counted and banned.
/// </summary>
public sealed class SlowDnsNetworkTests(ITestOutputHelper output) : IAsyncLifetime, IAsyncDisposable
{
    private readonly NetworkLab _lab = new();
    private readonly string _logDir = Directory.CreateTempSubdirectory("sharpban-slowdns-").FullName;
    private TestDaemon? _daemon;
    private FakeDnsServer? _dns;

    public Task InitializeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>xunit 2 calls this (not <see cref="IAsyncDisposable"/>) after each test.</summary>
    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            output.WriteLine(_daemon.Log());
            await _daemon.DisposeAsync(); // before its namespace goes
        }

        _dns?.Dispose();
        _lab.Dispose();
        Directory.Delete(_logDir, recursive: true);
    }

    [RootFact]
    public async Task UseDns_NameServerNeverAnswers_DaemonGoesOnAndCountsNamesWhenTheyResolve()
    {
        var (d, dns) = await StartAsync("names", "usedns = yes\nmaxretry = 3", new Dictionary<string, object>
        {
            ["slow.example.test"] = "timeout",
            ["fast.example.test"] = new Dictionary<string, object> { ["a"] = "192.0.2.50" },
            ["late.example.test"] = new Dictionary<string, object> { ["a"] = "192.0.2.60", ["delay"] = 3 },
        });
        Append("names.log", "slow.example.test", 3);
        await TestDaemon.WaitUntilAsync(() => dns.Questions.Contains("slow.example.test"), "the daemon asks for the silent name");

        // another jail's line and a command while the lookup waits for its 30 s timeout
        var sw = Stopwatch.StartNew();
        await OtherJailBansAsync(() => Banned(d, "t").Contains("192.0.2.77", StringComparison.Ordinal), 12);
        var (_, metrics) = await d.ClientAsync("metrics");
        Assert.Contains("\nsharpban_failures_waiting 3\n", metrics, StringComparison.Ordinal); // the silent name's three lines

        // the same jail goes on too: a name that resolves at once, then one whose answer comes 3 s late
        Append("names.log", "fast.example.test", 3);
        await TestDaemon.WaitUntilAsync(() => Banned(d, "names").Contains("192.0.2.50", StringComparison.Ordinal), "the resolving name is banned", 12);
        Append("names.log", "late.example.test", 3);
        await TestDaemon.WaitUntilAsync(() => Banned(d, "names").Contains("192.0.2.60", StringComparison.Ordinal), "the late name is banned when its answer comes", 15);
        output.WriteLine($"both names banned after {sw.Elapsed}");
        var log = d.Log();
        var late = TestDaemon.LogTime(log, "[names] Ban 192.0.2.60") - TestDaemon.LogTime(log, "DNS lookup of slow.example.test still unanswered after 1 s");
        Assert.True(late < TimeSpan.FromSeconds(25), $"{late}: the daemon waited for the silent name server"); // its own clock: a stalled test host stretches its own

        Assert.Contains("WARNING DNS lookup of slow.example.test still unanswered after 1 s", log, StringComparison.Ordinal);
        Assert.Contains("Found 192.0.2.60", log, StringComparison.Ordinal);
        Assert.Equal(3, log.Split('\n').Count(static l => l.Contains("[names] Found 192.0.2.60", StringComparison.Ordinal)));
        Assert.DoesNotContain("slow.example.test = ", log, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task IgnoreIp_NameAnsweredLate_OtherJailsGoOnAndTheFailureIsCheckedWhenItResolves()
    {
        var (d, dns) = await StartAsync("guarded", "ignoreip = office.example.test\nmaxretry = 1", new Dictionary<string, object>
        {
            ["office.example.test"] = new Dictionary<string, object> { ["a"] = "192.0.2.60", ["delay"] = 6 }, // A, then AAAA: 12 s in all
        });
        Append("guarded.log", "192.0.2.60", 1);
        Append("guarded.log", "192.0.2.61", 1);
        await TestDaemon.WaitUntilAsync(() => dns.Questions.Contains("office.example.test"), "the daemon asks for the ignoreip name");

        // the name's answer is 12 s away: another jail's line is banned meanwhile
        if (await OtherJailBansAsync(() => d.Log().Contains("[t] Ban 192.0.2.77", StringComparison.Ordinal), 6) < TimeSpan.FromSeconds(5))
        {
            Assert.DoesNotContain("[guarded] Ban", d.Log(), StringComparison.Ordinal); // nothing decided before the answer
        }

        // when the answer comes: the name's address is ignored, the other one banned
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("[guarded] Ban 192.0.2.61", StringComparison.Ordinal), "the address not named is banned", 30);
        Assert.Contains("[guarded] Ignore 192.0.2.60 by dns", d.Log(), StringComparison.Ordinal);
        var banned = Banned(d, "guarded");
        Assert.Contains("192.0.2.61", banned, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.60", banned, StringComparison.Ordinal);

        // the answer is kept: the next failure of the named address is ignored without another lookup
        var asked = dns.Questions.Count;
        Append("guarded.log", "192.0.2.60", 1);
        await TestDaemon.WaitUntilAsync(() => d.Log().Split('\n').Count(static l => l.Contains("Ignore 192.0.2.60 by dns", StringComparison.Ordinal)) == 2, "the second failure is ignored", 6);
        Assert.Equal(asked, dns.Questions.Count);
    }

    [RootFact]
    public async Task IgnoreCache_KeyWithTheReverseName_SlowAnswerHoldsUpNothing()
    {
        var (d, dns) = await StartAsync("cached", "ignorecache = key=\"<ip-host>\"\nmaxretry = 1", new Dictionary<string, object>
        {
            // the failing address's reverse name: no name, said 8 s late (the attacker's own name server can do that)
            ["70.2.0.192.in-addr.arpa"] = new Dictionary<string, object> { ["a"] = "192.0.2.1", ["delay"] = 8 },
        });
        Append("cached.log", "192.0.2.70", 1);
        await TestDaemon.WaitUntilAsync(() => dns.Questions.Contains("70.2.0.192.in-addr.arpa"), "the daemon asks for the reverse name");

        await OtherJailBansAsync(() => d.Log().Contains("[t] Ban 192.0.2.77", StringComparison.Ordinal), 5);

        // the key is made when the answer comes ("None": no name), and the failure counted then
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("[cached] Ban 192.0.2.70", StringComparison.Ordinal), "the failure is counted when its key is made", 30);
        Assert.Contains("[cached] ignorecache key (<ip-host>) still being looked up after 1 s", d.Log(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Fails 192.0.2.77 once in the jail "t" and waits up to <paramref name="seconds"/> until <paramref name="banned"/>
    /// says it is banned; how long that took (also written to the test's output).
    /// </summary>
    private async Task<TimeSpan> OtherJailBansAsync(Func<bool> banned, double seconds)
    {
        var sw = Stopwatch.StartNew();
        Append("t.log", "192.0.2.77", 1);
        await TestDaemon.WaitUntilAsync(banned, "the other jail bans meanwhile", seconds);
        output.WriteLine($"other jail banned after {sw.Elapsed}");
        return sw.Elapsed;
    }

    private static string Banned(TestDaemon d, string jail) => d.ClientAsync("status", jail).GetAwaiter().GetResult().Output;

    private void Append(string file, string host, int times) =>
        File.AppendAllLines(Path.Join(_logDir, file), Enumerable.Repeat($"{DateTime.Now:yyyy-MM-dd HH:mm:ss} fail {host}", times));

    /// <summary>
    /// A name server of the test's answering <paramref name="answers"/> (timeout 30 s, one try) in a namespace, and a
    /// daemon there with the jail <paramref name="name"/> and the jail "t" (<see cref="JailLocal"/>); the daemon's log
    /// is written out at the end of the test.
    /// </summary>
    private async Task<(TestDaemon Daemon, FakeDnsServer Dns)> StartAsync(string name, string options, Dictionary<string, object> answers)
    {
        var ns = _lab.AddNamespace("srv");
        _dns = new FakeDnsServer(_lab, ns, answers, resolverOptions: "timeout:30 attempts:1");
        File.WriteAllText(Path.Join(_logDir, name + ".log"), "");
        File.WriteAllText(Path.Join(_logDir, "t.log"), "");
        _daemon = await TestDaemon.StartAsync(JailLocal(name, options), start: false);
        _daemon.NetworkNamespace = ns;
        await _daemon.StartServerAsync();
        return (_daemon, _dns);
    }

    /// <summary>The jail <paramref name="name"/> reading NAME.log with <paramref name="options"/>, and the jail "t" reading t.log.</summary>
    private string JailLocal(string name, string options) => $"""
        [sshd]
        enabled = false

        [{name}]
        enabled = true
        filter =
        failregex = ^\s*fail <HOST>$
        {options}
        logpath = {Path.Join(_logDir, name + ".log")}
        backend = polling
        action =

        [t]
        enabled = true
        filter =
        failregex = ^\s*fail <HOST>$
        usedns = no
        maxretry = 1
        logpath = {Path.Join(_logDir, "t.log")}
        backend = polling
        action =
        """;
}

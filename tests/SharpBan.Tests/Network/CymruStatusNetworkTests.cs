using System.Diagnostics;
using SharpBan.Tests.Client;
using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// <c>status JAIL cymru</c> against a DNS server of the test's (<see cref="FakeDnsServer"/>) in a namespace: the same
/// lists as fail2ban 1.0.2 (with python3-dnspython) gives for the same bans and answers, and the lookups never hold up
/// the daemon.
/// </summary>
public sealed class CymruStatusNetworkTests(ITestOutputHelper output) : IDisposable
{
    private const string Record5 = "64496 | 192.0.2.0/24 | ZZ | arin | 2005-01-01";

    private readonly NetworkLab _lab = new();
    private readonly string _logDir = Directory.CreateTempSubdirectory("sharpban-cymru-").FullName;

    public void Dispose()
    {
        _lab.Dispose();
        Directory.Delete(_logDir, recursive: true);
    }

    /// <summary>
    /// One record, two records (sorted and joined), blank fields, a record of two strings, a name that does not exist,
    /// an IPv6 address, an address banned as a network.
    /// </summary>
    [RootFact]
    public async Task StatusCymru_EveryKindOfAnswer_ListsAsFail2ban()
    {
        var answers = new Dictionary<string, object>
        {
            ["5.2.0.192.origin.asn.cymru.com"] = new[] { Record5 },
            ["6.2.0.192.origin.asn.cymru.com"] = new[] { "64497 | 192.0.2.0/24 | XB | ripencc | 2005-01-01", "64496 | 192.0.2.0/23 | XA | arin | 2005-01-01" },
            ["7.2.0.192.origin.asn.cymru.com"] = new[] { "64498 | 192.0.2.0/24 |  | | 2005-01-01" },
            ["8.2.0.192.origin.asn.cymru.com"] = new[] { new[] { "64499 | 192.0.2.0/24 ", "| XC | lacnic | 2005-01-01" } },
            [string.Join('.', "20010db8000000000000000000000005".Reverse()) + ".origin6.asn.cymru.com"] = new[] { "64500 | 2001:db8::/32 | XD | apnic | 2005-01-01" },
        };
        var (ours, theirs) = await BothStatusAsync(answers, ["192.0.2.5", "192.0.2.6", "2001:db8::5", "192.0.2.7", "192.0.2.9", "192.0.2.8"]);
        Assert.Contains("|- Banned ASN list:\t64496 64496, 64497 64500 64498 nxdomain 64499\n", ours, StringComparison.Ordinal);
        Assert.Contains("|- Banned Country list:\tZZ XA, XB XD unknown nxdomain XC\n", ours, StringComparison.Ordinal);
        Assert.Contains("`- Banned RIR list:\tarin arin, ripencc apnic unknown nxdomain lacnic", ours, StringComparison.Ordinal);
        Assert.Equal(theirs, ours);
    }

    /// <summary>A server failure, or a name without a TXT record, ends the lists at the address before it (fail2ban logs
    /// the error and stops asking).</summary>
    [RootTheory]
    [InlineData("servfail")]
    [InlineData("noanswer")]
    public async Task StatusCymru_FailedQuery_ListsEndBeforeIt(string failure)
    {
        var answers = new Dictionary<string, object>
        {
            ["5.2.0.192.origin.asn.cymru.com"] = new[] { Record5 },
            ["6.2.0.192.origin.asn.cymru.com"] = failure,
            ["7.2.0.192.origin.asn.cymru.com"] = new[] { "64498 | 192.0.2.0/24 | XB | arin | 2005-01-01" },
        };
        var (ours, theirs) = await BothStatusAsync(answers, ["192.0.2.5", "192.0.2.6", "192.0.2.7"]);
        Assert.Contains("|- Banned ASN list:\t64496\n", ours, StringComparison.Ordinal);
        Assert.EndsWith("`- Banned RIR list:\tarin", ours, StringComparison.Ordinal);
        Assert.Equal(theirs, ours);
    }

    /// <summary>A resolver that never answers makes only the cymru status wait; other commands and bans go on.</summary>
    [RootFact]
    public async Task StatusCymru_ResolverSilent_DaemonKeepsWorking()
    {
        var ns = _lab.AddNamespace("srv");
        using var dns = new FakeDnsServer(_lab, ns, new Dictionary<string, object> { ["5.2.0.192.origin.asn.cymru.com"] = "timeout" });
        await using var d = await TestDaemon.StartAsync(JailLocal(), start: false);
        d.NetworkNamespace = ns;
        try
        {
            await d.StartServerAsync();
            Assert.Equal(0, (await d.ClientAsync("set", "t", "banip", "192.0.2.5")).Code);
            var sw = Stopwatch.StartNew();
            var cymru = d.ClientAsync("status", "t", "cymru");
            await TestDaemon.WaitUntilAsync(() => dns.Questions.Count > 0, "the daemon asks the resolver");
            File.AppendAllLines(Path.Join(_logDir, "t.log"), [$"{DateTime.Now:yyyy-MM-dd HH:mm:ss} fail 192.0.2.77"]);
            await TestDaemon.WaitUntilAsync(() => d.ClientAsync("status", "t").GetAwaiter().GetResult().Output.Contains("192.0.2.77", StringComparison.Ordinal),
                "a log line is read and banned meanwhile", 8);
            Assert.False(cymru.IsCompleted, "the lookup is still waiting for the resolver");
            var (code, text) = await cymru;
            output.WriteLine($"{sw.Elapsed}: {text}");
            Assert.Equal(0, code);
            Assert.Contains("|- Banned ASN list:\t\n", text, StringComparison.Ordinal);
            Assert.Contains("DNSException", d.Log(), StringComparison.Ordinal);
            Assert.Contains("5.2.0.192.origin.asn.cymru.com", d.Log(), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(d.Log());
        }
    }

    private string JailLocal() => $"""
        [sshd]
        enabled = false

        [t]
        enabled = true
        filter =
        failregex = ^\s*fail <HOST>$
        maxretry = 1
        logpath = {Path.Join(_logDir, "t.log")}
        backend = polling
        action =
        """;

    /// <summary>Both daemons in one namespace with the DNS server; the same bans; both clients' <c>status t cymru</c>.</summary>
    private async Task<(string Ours, string Theirs)> BothStatusAsync(Dictionary<string, object> answers, string[] bans)
    {
        Assert.True(ReferenceServer.Available());
        var ns = _lab.AddNamespace("srv");
        using var dns = new FakeDnsServer(_lab, ns, answers);
        File.WriteAllText(Path.Join(_logDir, "t.log"), "");
        await using var d = await TestDaemon.StartAsync(JailLocal(), start: false, configSource: "/etc/fail2ban");
        d.NetworkNamespace = ns;
        await using var fail2ban = await ReferenceServer.StartAsync(JailLocal(), networkNamespace: ns);
        try
        {
            await d.StartServerAsync();
            Assert.Equal(0, (await d.ClientAsync(["set", "t", "banip", .. bans])).Code);
            Assert.Equal(0, (await fail2ban.ClientAsync(["set", "t", "banip", .. bans])).Code);
            var (code, ours, _) = await d.ClientSplitAsync("status", "t", "cymru");
            Assert.Equal(0, code);
            var (theirCode, theirs) = await fail2ban.ClientAsync(["status", "t", "cymru"]);
            Assert.Equal(0, theirCode);
            output.WriteLine(ours);
            output.WriteLine(string.Join('\n', dns.Questions));
            return (ours.TrimEnd('\n'), theirs.TrimEnd('\n'));
        }
        finally
        {
            output.WriteLine(d.Log());
        }
    }
}

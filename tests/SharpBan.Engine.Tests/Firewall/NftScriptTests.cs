using System.Text;
using SharpBan.Engine.Firewall;

namespace SharpBan.Engine.Tests.Firewall;

public sealed class NftScriptTests
{
    [Fact]
    public void AppendStartJail_MultiportBothFamilies_ExactScript()
    {
        var sb = new StringBuilder();
        NftScript.AppendStartJail(sb, "sharpban-native",
            NativeJailSettings.Create("sshd", "ssh,2222:2223", "tcp", BanMode.Multiport));
        Assert.Equal(
            """
            add table inet sharpban-native
            add chain inet sharpban-native in-sshd
            flush chain inet sharpban-native in-sshd
            delete chain inet sharpban-native in-sshd
            add set inet sharpban-native ban4-sshd { type ipv4_addr; flags timeout; }
            delete set inet sharpban-native ban4-sshd
            add set inet sharpban-native ban6-sshd { type ipv6_addr; flags timeout; }
            delete set inet sharpban-native ban6-sshd
            add set inet sharpban-native ban4-sshd { type ipv4_addr; flags timeout; }
            add set inet sharpban-native ban6-sshd { type ipv6_addr; flags timeout; }
            add chain inet sharpban-native in-sshd { type filter hook input priority -1; policy accept; }
            add rule inet sharpban-native in-sshd meta l4proto { tcp } th dport { ssh, 2222-2223 } ip saddr @ban4-sshd reject
            add rule inet sharpban-native in-sshd meta l4proto { tcp } th dport { ssh, 2222-2223 } ip6 saddr @ban6-sshd reject

            """, sb.ToString());
    }

    [Fact]
    public void AppendStartJail_AllPortsIPv4Drop_NoPortMatchNoV6Rule()
    {
        var sb = new StringBuilder();
        NftScript.AppendStartJail(sb, "t",
            NativeJailSettings.Create("recidive", null, "tcp,udp", BanMode.AllPorts, NftFamily.IPv4, "drop"));
        var text = sb.ToString();
        Assert.Contains("add rule inet t in-recidive meta l4proto { tcp, udp } ip saddr @ban4-recidive drop\n", text,
            StringComparison.Ordinal);
        Assert.DoesNotContain("dport", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ip6 saddr", text, StringComparison.Ordinal);
        Assert.DoesNotContain("add set inet t ban6-recidive { type ipv6_addr; flags timeout; }\nadd chain", text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void AppendStopJail_RemovesOnlyTheJailsObjects()
    {
        var sb = new StringBuilder();
        NftScript.AppendStopJail(sb, "t", NativeJailSettings.Create("sshd", "22", "tcp", BanMode.Multiport), false,
            [(NftFamily.IPv4, 24), (NftFamily.IPv6, 64)]);
        Assert.Equal(
            """
            add table inet t
            add chain inet t in-sshd
            flush chain inet t in-sshd
            delete chain inet t in-sshd
            add set inet t ban4-sshd { type ipv4_addr; flags timeout; }
            delete set inet t ban4-sshd
            add set inet t ban6-sshd { type ipv6_addr; flags timeout; }
            delete set inet t ban6-sshd
            add set inet t net4-sshd-24 { type ipv4_addr; flags interval, timeout; }
            delete set inet t net4-sshd-24
            add set inet t net6-sshd-64 { type ipv6_addr; flags interval, timeout; }
            delete set inet t net6-sshd-64

            """, sb.ToString());
    }

    [Fact]
    public void AppendStopJail_WholeTable_DeletesTable()
    {
        var sb = new StringBuilder();
        NftScript.AppendStopJail(sb, "t", NativeJailSettings.Create("sshd", "22", "tcp", BanMode.Multiport), true,
            [(NftFamily.IPv4, 24)]);
        Assert.Equal("add table inet t\ndelete table inet t\n", sb.ToString());
    }

    [Fact]
    public void AppendStartNetSet_EmptiesALeftOverSetAndAddsItsRule()
    {
        var sb = new StringBuilder();
        NftScript.AppendStartNetSet(sb, "t", NativeJailSettings.Create("sshd", "22", "tcp", BanMode.Multiport),
            NftFamily.IPv6, 64);
        Assert.Equal(
            """
            add set inet t net6-sshd-64 { type ipv6_addr; flags interval, timeout; }
            flush set inet t net6-sshd-64
            add rule inet t in-sshd meta l4proto { tcp } th dport { 22 } ip6 saddr @net6-sshd-64 reject

            """, sb.ToString());
    }

    [Fact]
    public void NetSetName_DifferentJailsOrLengths_NeverCollide()
    {
        string[] jails = ["a", "a-1", "a-12", "a-1-2", "a1", "1"];
        int[] lengths = [1, 2, 12, 21, 112];
        var names = (from j in jails from l in lengths select NftScript.NetSetName(j, NftFamily.IPv4, l)).ToList();
        Assert.Equal(jails.Length * lengths.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(names, n => jails.Any(j => n == NftScript.SetName(j, NftFamily.IPv4)));
    }

    [Theory]
    [InlineData(null, "192.0.2.1")]
    [InlineData(3600.0, "192.0.2.1 timeout 3600000ms")]
    [InlineData(0.0004, "192.0.2.1 timeout 1ms")]
    [InlineData(1e10, "192.0.2.1")]
    public void Element_Timeouts(double? seconds, string expected) =>
        Assert.Equal(expected, NftScript.Element("192.0.2.1", seconds is { } s ? TimeSpan.FromSeconds(s) : null));

    [Fact]
    public void AppendAddElements_ManyElements_SplitIntoStatements()
    {
        var sb = new StringBuilder();
        var elements = Enumerable.Range(0, 5000).Select(i => $"10.0.{i / 256}.{i % 256}").ToList();
        NftScript.AppendAddElements(sb, "t", "ban4-x", elements);
        var lines = sb.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("add element inet t ban4-x { ", l, StringComparison.Ordinal));
        Assert.Equal(5000, lines.Sum(l => l.Split(',').Length));
    }

    [Fact]
    public void AppendDeleteElements_AddsFirstSoMissingElementsDoNotFail()
    {
        var sb = new StringBuilder();
        NftScript.AppendDeleteElements(sb, "t", "ban6-x", ["2001:db8::1"]);
        Assert.Equal("add element inet t ban6-x { 2001:db8::1 }\ndelete element inet t ban6-x { 2001:db8::1 }\n",
            sb.ToString());
    }
}

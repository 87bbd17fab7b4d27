using System.Net;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Tests.Jails;

public class IgnoreRulesTests
{
    private sealed class FakeDns(Dictionary<string, string[]> names) : IDnsResolver
    {
        public IReadOnlyList<string> Resolve(string host) => names.GetValueOrDefault(host) ?? [];
    }

    private static IgnoreRules Rules(params string[] entries)
    {
        var rules = new IgnoreRules(new FakeDns(new() { ["good.example"] = ["192.0.2.7"] }), new FixedSelfAddresses(IPAddress.Parse("198.51.100.1")), TimeProvider.System);
        foreach (var e in entries)
        {
            rules.Add(e);
        }

        return rules;
    }

    [Theory]
    [InlineData("10.1.2.3", "ip")]
    [InlineData("192.168.1.77", "ip")]
    [InlineData("2001:db8::5", "ip")]
    [InlineData("192.0.2.7", "dns")]
    [InlineData("198.51.100.1", "ignoreself rule")]
    [InlineData("203.0.113.9", null)]
    public async Task CheckAsync_Entries_IgnoreByRule(string ip, string? reason)
    {
        var rules = Rules("10.0.0.0/8", "192.168.1.0/255.255.255.0", "2001:db8::/32", "good.example");
        Assert.Equal(reason, await rules.CheckAsync(ip, null, default));
    }

    [Theory]
    [InlineData("203.0.113.0/24", false)]
    [InlineData("10.9.0.0/16", true)] // inside the ignored 10.0.0.0/8
    [InlineData("0.0.0.0/1", true)] // holds the ignored 10.0.0.0/8
    [InlineData("192.168.0.0/16", true)] // holds the single 192.168.5.5
    [InlineData("192.0.2.0/24", true)] // holds what good.example resolves to
    [InlineData("198.51.100.0/24", true)] // holds the host's own address (ignoreself)
    [InlineData("2001:db8:1::/64", false)]
    [InlineData("2001:db8:5::/48", true)] // holds the single 2001:db8:5::9
    public void TouchesNetwork_IgnoredAddressOrOverlap_IsTrue(string network, bool expected)
    {
        var rules = Rules("10.0.0.0/8", "192.168.5.5", "2001:db8:5::9", "good.example");
        Assert.Equal(expected, rules.TouchesNetwork(IpEntry.Parse(network)));
    }

    [Fact]
    public void TouchesNetwork_IgnoreSelfOff_OwnAddressDoesNotCount()
    {
        var rules = Rules();
        rules.IgnoreSelf = false;
        Assert.False(rules.TouchesNetwork(IpEntry.Parse("198.51.100.0/24")));
    }

    [Fact]
    public async Task CheckAsync_CommandSaysIgnore_IsCommand()
    {
        var rules = Rules();
        rules.Command = "true";
        Assert.Equal("command", await rules.CheckAsync("203.0.113.9", _ => Task.FromResult(true), default));
        Assert.Null(await rules.CheckAsync("203.0.113.9", _ => Task.FromResult(false), default));
    }

    [Fact]
    public void Add_Duplicate_IsSkipped()
    {
        var rules = Rules("1.2.3.4");
        Assert.False(rules.Add("1.2.3.4"));
        Assert.False(rules.Add("1.2.3.4/32"));
        rules.Remove("1.2.3.4");
        Assert.Empty(rules.Entries);
    }

    [Fact]
    public void Entries_AreNormalisedValues_NetworksAndNamesFirst()
    {
        var rules = Rules("192.0.2.5/32", "192.0.2.0/255.255.255.128", "::ffff:203.0.113.100", "2001:db8:1::0001", "good.example", "2001:db8::/ffff:ffff::", "10.1.2.3/8", "0.0.0.0/0");
        Assert.Equal(["192.0.2.0/25", "good.example", "2001:db8::/32", "10.0.0.0/8", "0.0.0.0", "192.0.2.5", "203.0.113.100", "2001:db8:1::1"], rules.Entries);
    }

    [Fact]
    public void Remove_ByValue_OrFailsAsFail2Ban()
    {
        var rules = Rules("192.0.2.9/32", "::ffff:192.0.2.8", "203.0.113.0/28", "good.example");
        rules.Remove("192.0.2.9");
        rules.Remove("192.0.2.8");
        rules.Remove("203.0.113.0/255.255.255.240");
        var absent = Assert.Throws<FormatException>(() => rules.Remove("198.51.100.1"));
        Assert.Equal("list.remove(x): x not in list", absent.Message);
        Assert.Equal(["good.example"], rules.Entries);
    }

    /// <summary>
    /// Found by ClientSequenceParityTests: fail2ban reads a text to remove as an address only when it compares it with a
    /// network or name of the list; with single addresses only, a bad prefix is simply "not in list".
    /// </summary>
    [Fact]
    public void Remove_BadPrefix_IsNotInListWithoutNetworks_ElsePythonsError()
    {
        var rules = Rules("192.0.2.9");
        Assert.Equal("list.remove(x): x not in list", Assert.Throws<FormatException>(() => rules.Remove("192.0.2.0/abc")).Message);
        rules.Add("203.0.113.0/28");
        Assert.Equal("invalid literal for int() with base 10: 'abc'", Assert.Throws<FormatException>(() => rules.Remove("192.0.2.0/abc")).Message);
    }

    [Theory]
    [InlineData("203.0.113.0/24/1", "invalid literal for int() with base 10: '24/1'")]
    [InlineData("192.0.2.0/abc", "invalid literal for int() with base 10: 'abc'")]
    [InlineData("192.0.2.0/255.0.255.0", "invalid mask '255.0.255.0', no plen representation")]
    public void Add_BadPrefix_FailsWithPythonsMessage(string entry, string message)
    {
        var rules = Rules();
        Assert.Equal(message, Assert.Throws<FormatException>(() => rules.Add(entry)).Message);
        Assert.Empty(rules.Entries);
    }

    [Theory]
    [InlineData("tok1")]
    [InlineData("good.example")]
    [InlineData("192.0.2.070")]
    public async Task CheckAsync_IdThatIsNoAddress_NeverIgnoredByEntries(string id)
    {
        var rules = Rules(id, "good.example", "0.0.0.0/0", "::/0");
        Assert.Null(await rules.CheckAsync(id, null, default));
    }

    [Theory]
    [InlineData("192.0.2.77", "ip")]
    [InlineData("::ffff:192.0.2.77", "ip")]
    [InlineData("192.0.3.1", null)]
    public async Task CheckAsync_NetworkEntries_MatchByPrefix(string id, string? reason)
    {
        var rules = Rules("192.0.2.0/24");
        Assert.Equal(reason, await rules.CheckAsync(IpText.Normalize(id, IpText.Unspecified), null, default));
    }

    // fail2ban's isInNet: a network id (a <SUBNET> failure, a restored network ban) is ignored when its address lies in
    // an ignored network, by that network's prefix; it never equals a single address or one a name resolves to
    [Theory]
    [InlineData("10.9.0.0/16", "ip")]
    [InlineData("0.0.0.0/1", "ip")] // its address, 0.0.0.0, lies in the ignored 0.0.0.0/8
    [InlineData("192.168.1.0/28", "ip")]
    [InlineData("2001:db8:5::/48", "ip")]
    [InlineData("192.0.2.7/32", "dns")] // /32 is the single address
    [InlineData("192.0.2.0/24", null)]
    [InlineData("203.0.113.0/24", null)]
    public async Task CheckAsync_NetworkId_InIgnoredNetwork(string id, string? reason)
    {
        var rules = Rules("10.0.0.0/8", "0.0.0.0/8", "192.168.1.0/255.255.255.0", "2001:db8::/32", "good.example");
        Assert.Equal(reason, await rules.CheckAsync(id, null, default));
    }
}

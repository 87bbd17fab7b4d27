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
        var rules = new IgnoreRules(new FakeDns(new() { ["good.example"] = ["192.0.2.7"] }), new FixedSelfAddresses(IPAddress.Parse("198.51.100.1")));
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
        Assert.True(rules.Remove("1.2.3.4"));
        Assert.Empty(rules.Entries);
    }
}

using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Tests.Matching.Regex;

public sealed class TagExpanderTests
{
    [Theory]
    [InlineData("from <HOST>$", "from 192.0.2.1", "ip4", "192.0.2.1")]
    [InlineData("from <HOST>$", "from ::ffff:192.0.2.1", "ip4", "192.0.2.1")]
    [InlineData("from <HOST>$", "from 2001:db8::1", "ip6", "2001:db8::1")]
    [InlineData("from <HOST>$", "from example.com", "dns", "example.com")]
    [InlineData("from <ADDR>$", "from [2001:db8::2]", "ip6", "2001:db8::2")]
    [InlineData("net <SUBNET>$", "net 192.0.2.0/24", "cidr", "24")]
    [InlineData("id <F-ID/>", "id abc", "fid", "abc")]
    [InlineData("port <F-PORT/>", "port 22", "fport", "22")]
    [InlineData("user <F-USER>\\S+</F-USER>", "user bob", "user", "bob")]
    [InlineData("x <F-ALT_USER_1>\\S+</F-ALT_USER_1>", "x eve", "alt_user_1", "eve")]
    public void Expand_Tag_CapturesExpectedGroup(string regex, string line, string group, string value)
    {
        var r = new PyRegex(TagExpander.Expand(regex, UseDns.Warn));
        var m = r.Search(line);
        Assert.NotNull(m);
        Assert.Equal(value, r.GroupDict(m)[group]);
    }

    [Fact]
    public void Expand_UseDnsNo_HostHasNoDnsGroup()
    {
        Assert.DoesNotContain("?P<dns>", TagExpander.Expand("<HOST>", UseDns.No), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<NOSRV>")]
    [InlineData("<F-user>x</F-user>")]
    [InlineData("</F-USER>")]
    public void Expand_UnknownOrInvalidTag_KeptLiterally(string regex)
    {
        Assert.Equal(regex, TagExpander.Expand(regex, UseDns.Warn));
    }

    [Fact]
    public void Expand_SkipLines_NumberedPerOccurrence()
    {
        var e = TagExpander.Expand("a<SKIPLINES>b<SKIPLINES>", UseDns.Warn);
        Assert.Contains("skiplines0", e, StringComparison.Ordinal);
        Assert.Contains("skiplines1", e, StringComparison.Ordinal);
    }
}

using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Tests.Matching;

public sealed class IpTextTests
{
    [Theory]
    [InlineData("192.0.2.7", "inet4", "7.2.0.192.")]
    [InlineData("2001:db8::7", "inet6", "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.")]
    [InlineData("::ffff:192.0.2.7", "inet4", "7.2.0.192.")]
    [InlineData("192.030.0.6", null, "")]
    [InlineData("host-1.example", null, "")]
    [InlineData("1234", null, "")]
    [InlineData("::ffff:1.2.3.04", null, "")]
    [InlineData("fe80::1%eth0", null, "")]
    public void FamilyAndReverseName_AsFail2ban(string id, string? family, string reverse)
    {
        Assert.Equal(family, IpText.Family(id));
        Assert.Equal(reverse, IpText.ReverseName(id));
    }

    // fail2ban 1.0.2's IPAddr/ActionInfo, asked as a black box: a network has the family of its address, <ip-rev> reverses an
    // IPv4 network's text and an IPv6 network's address nibbles
    [Theory]
    [InlineData("192.0.2.0/24", "inet4", "0/24.2.0.192.")]
    [InlineData("10.0.0.0/8", "inet4", "0/8.0.0.10.")]
    [InlineData("2001:db8:1::/64", "inet6", "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.")]
    [InlineData("::ffff:192.0.2.0/120", "inet6", "0.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.")]
    [InlineData("192.0.2.0/33", null, "")]
    [InlineData("host/24", null, "")]
    public void FamilyAndReverseName_Network_AsFail2ban(string id, string? family, string reverse)
    {
        Assert.Equal(family, IpText.Family(id));
        Assert.Equal(reverse, IpText.ReverseName(id));
        Assert.Equal(family is not null, IpText.IsNetwork(id));
    }

    // what fail2ban's IPAddr normalises a CIDR id to (banip): host bits cleared, /32 and /128 are single addresses
    [Theory]
    [InlineData("192.0.2.7/24", "192.0.2.0/24")]
    [InlineData("2001:db8:1::5/64", "2001:db8:1::/64")]
    [InlineData("192.0.2.7/32", "192.0.2.7")]
    [InlineData("2001:db8::1/128", "2001:db8::1")]
    [InlineData("192.0.2.7/255.255.255.0", "192.0.2.0/24")]
    [InlineData("255.255.0.202/255.252.0.0", "255.252.0.0/14")]
    [InlineData("147.0.152.0/03.0.0.93", "0.0.0.0")] // a mask that is no address counts as 0
    [InlineData("192.030.0.6/24", "192.030.0.6")] // no address: the id is the text before the slash
    [InlineData("192.0.2.7/x", "192.0.2.7/x")] // fail2ban raises here; the text stays the id
    public void Normalize_Cidr_AsFail2ban(string text, string expected) =>
        Assert.Equal(expected, IpText.Normalize(text, IpText.Unspecified));

    // fail2ban prints IPv6 ids with glibc's inet_ntop: a dotted quad only after 96 zero bits or ::ffff (.NET also
    // writes one after ::ffff:0 and reads brackets, which inet_pton does not)
    [Theory]
    [InlineData("::ffff:0:102:304", IpText.FamilyV6, "::ffff:0:102:304")]
    [InlineData("::ffff:0.0.0.0/112", IpText.Unspecified, "::ffff:0.0.0.0/112")]
    [InlineData("::102:304", IpText.FamilyV6, "::1.2.3.4")]
    [InlineData("::a:b", IpText.FamilyV6, "::0.10.0.11")]
    [InlineData("::1", IpText.FamilyV6, "::1")]
    [InlineData("0:0:0:0:0:0:0:0", IpText.FamilyV6, "::")]
    [InlineData("1:0:0:2:0:0:0:3", IpText.FamilyV6, "1:0:0:2::3")]
    [InlineData("2001:DB8:0:0:1:0:0:01", IpText.FamilyV6, "2001:db8::1:0:0:1")]
    [InlineData("::ffff:102:304", IpText.FamilyV6, "1.2.3.4")]
    [InlineData("[2001:db8::1]", IpText.FamilyV6, "[2001:db8::1]")]
    [InlineData("[2001:db8::1]", IpText.Unspecified, "2001:db8::1")]
    [InlineData("::ffff:1.2.3.04", IpText.Unspecified, "::ffff:1.2.3.04")] // inet_pton refuses a leading zero in the quad; .NET does not
    [InlineData("::1.2.3.04", IpText.FamilyV6, "::1.2.3.04")]
    [InlineData("2001:db8::1.2.3.4", IpText.Unspecified, "2001:db8::102:304")]
    public void Normalize_IPv6_AsFail2ban(string text, int cidr, string expected) =>
        Assert.Equal(expected, IpText.Normalize(text, cidr));

    [Fact]
    public void Normalize_CanonicalIPv6_SameStringBack()
    {
        var text = "2001:db8::7";
        Assert.Same(text, IpText.Normalize(text, IpText.FamilyV6));
    }
}

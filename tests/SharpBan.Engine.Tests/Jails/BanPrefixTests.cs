using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public class BanPrefixTests
{
    [Theory]
    [InlineData("2001:db8:1:2::5", 64, 32, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", 64, 32, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::5", 48, 32, "2001:db8:1::/48")]
    [InlineData("2001:db8:1:2::5", 128, 24, null)] // IPv6 off
    [InlineData("192.0.2.77", 64, 24, "192.0.2.0/24")]
    [InlineData("192.0.2.77", 64, 32, null)] // IPv4 off
    [InlineData("192.0.2.77", 64, 1, "128.0.0.0/1")]
    public void NetworkOf_Address_IsItsNetworkInFail2bansNotation(string address, int inet6, int inet4, string? expected)
    {
        var prefix = new BanPrefix(inet4, inet6);
        Assert.Equal(expected, prefix.NetworkOf(IpEntry.Parse(address))?.ToString());
    }

    [Fact]
    public void NetworkOf_NetworkOrName_IsNull()
    {
        var prefix = new BanPrefix(24, 64);
        Assert.Null(prefix.NetworkOf(IpEntry.Parse("192.0.2.0/25")));
        Assert.Null(prefix.NetworkOf(IpEntry.Parse("host.example")));
    }

    [Fact]
    public void Default_IsOff()
    {
        Assert.False(BanPrefix.Off.Enabled);
        Assert.Equal(32, BanPrefix.Off.Get("banprefix.inet4"));
        Assert.Equal(128, BanPrefix.Off.Get("banprefix.inet6"));
        Assert.True(BanPrefix.Off.With("banprefix.inet6", "64").Enabled);
        Assert.False(BanPrefix.Off.With("banprefix.inet6", "128").Enabled);
    }

    [Theory]
    [InlineData("banprefix.inet6", "64", 64)]
    [InlineData("banprefix.inet6", " 128 ", 128)]
    [InlineData("banprefix.inet4", "1", 1)]
    [InlineData("banprefix.inet4", "32", 32)]
    public void Parse_InRange_IsTheLength(string option, string text, int expected) =>
        Assert.Equal(expected, BanPrefix.Parse(option, text));

    [Theory]
    [InlineData("banprefix.inet6", "129", "must be a prefix length from 1 to 128, not '129'")]
    [InlineData("banprefix.inet6", "0", "must be a prefix length from 1 to 128, not '0'")]
    [InlineData("banprefix.inet4", "33", "must be a prefix length from 1 to 32, not '33'")]
    [InlineData("banprefix.inet4", "-1", "must be a prefix length from 1 to 32, not '-1'")]
    [InlineData("banprefix.inet4", "24a", "must be a prefix length from 1 to 32, not '24a'")]
    public void Parse_OutOfRange_FailsWithTheRange(string option, string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => BanPrefix.Parse(option, text)).Message);
}

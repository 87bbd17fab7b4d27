using System.Net;
using SharpBan.Engine.Firewall;

namespace SharpBan.Engine.Tests.Firewall;

public sealed class NftAddressTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7", 4)]
    [InlineData("::ffff:198.51.100.1", "198.51.100.1", 4)]
    [InlineData("2001:DB8:0:0::1", "2001:db8::1", 6)]
    public void TryFormat_Valid_Normalised(string input, string expected, int family)
    {
        Assert.True(NftAddress.TryFormat(IPAddress.Parse(input), out var f, out var text));
        Assert.Equal(expected, text);
        Assert.Equal(family == 4 ? NftFamily.IPv4 : NftFamily.IPv6, f);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("fe80::1%2")]
    public void TryFormat_UnspecifiedOrScoped_Refused(string input) =>
        Assert.False(NftAddress.TryFormat(IPAddress.Parse(input), out _, out _));
}

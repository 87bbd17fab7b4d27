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

    [Theory]
    [InlineData("192.0.2.0", 24, "192.0.2.0/24", 4, true)]
    [InlineData("2001:db8:1::", 64, "2001:db8:1::/64", 6, true)]
    [InlineData("::ffff:192.0.2.0", 120, "192.0.2.0/24", 4, true)]
    [InlineData("192.0.2.7", 32, "192.0.2.7", 4, false)]
    [InlineData("2001:db8::7", 128, "2001:db8::7", 6, false)]
    [InlineData("2001:db8::7", null, "2001:db8::7", 6, false)]
    public void TryFormat_Target_NetworkOrAddress(string address, int? prefix, string expected, int family, bool network)
    {
        Assert.True(NftAddress.TryFormat(new NftTarget(IPAddress.Parse(address), prefix), out var f, out var text, out var isNetwork));
        Assert.Equal(expected, text);
        Assert.Equal(family == 4 ? NftFamily.IPv4 : NftFamily.IPv6, f);
        Assert.Equal(network, isNetwork);
    }

    [Theory]
    [InlineData("192.0.2.7", 24)] // host bits set
    [InlineData("0.0.0.0", 0)] // a whole family
    [InlineData("192.0.2.0", 33)]
    [InlineData("::ffff:192.0.0.0", 80)] // shorter than the mapped range
    [InlineData("fe80::%2", 64)]
    public void TryFormat_BadNetwork_Refused(string address, int prefix) =>
        Assert.False(NftAddress.TryFormat(new NftTarget(IPAddress.Parse(address), prefix), out _, out _, out _));
}

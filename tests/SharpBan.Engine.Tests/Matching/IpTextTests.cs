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
    public void FamilyAndReverseName_AsFail2ban(string id, string? family, string reverse)
    {
        Assert.Equal(family, IpText.Family(id));
        Assert.Equal(reverse, IpText.ReverseName(id));
    }
}

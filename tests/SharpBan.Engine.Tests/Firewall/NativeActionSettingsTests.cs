using SharpBan.Engine.Firewall;

namespace SharpBan.Engine.Tests.Firewall;

public sealed class NativeActionSettingsTests
{
    [Fact]
    public void Create_ShippedDefaults_MultiportSsh()
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["native"] = "nftables", ["mode"] = "multiport", ["name"] = "sshd", ["port"] = "ssh",
            ["protocol"] = "tcp", ["chain"] = "input", ["blocktype"] = "reject",
        };
        Assert.True(NativeActionSettings.IsNative(props));
        var settings = NativeActionSettings.Create(props, "sshd");
        Assert.Equal(("sshd", BanMode.Multiport, "ssh", NftFamily.Both), (settings.Name, settings.Mode,
            string.Join(',', settings.Ports), settings.Families));
    }

    [Fact]
    public void Create_AllPortsNoIPv6_FromProperties()
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal) { ["mode"] = "allports", ["protocol"] = "tcp,udp" };
        Assert.False(NativeActionSettings.IsNative(props));
        var settings = NativeActionSettings.Create(props, "recidive", allowIPv6: false);
        Assert.Equal(("recidive", BanMode.AllPorts, NftFamily.IPv4), (settings.Name, settings.Mode, settings.Families));
    }

    [Fact]
    public void Create_UnknownMode_Throws()
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal) { ["mode"] = "oneport" };
        var ex = Assert.Throws<ArgumentException>(() => NativeActionSettings.Create(props, "x"));
        Assert.Equal("mode 'oneport' is not supported (use multiport or allports) (Parameter 'properties')", ex.Message);
    }
}

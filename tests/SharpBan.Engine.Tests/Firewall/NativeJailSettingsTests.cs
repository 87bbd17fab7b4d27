using SharpBan.Engine.Firewall;

namespace SharpBan.Engine.Tests.Firewall;

public sealed class NativeJailSettingsTests
{
    [Theory]
    [InlineData("ssh", "ssh")]
    [InlineData("22,80", "22|80")]
    [InlineData("1000:2000", "1000-2000")]
    [InlineData("1000-2000, https", "1000-2000|https")]
    [InlineData("http-alt", "\"http-alt\"")]
    [InlineData("0:65535", "0-65535")]
    [InlineData("25:25", "25")]
    public void Create_Multiport_PortsInNftSyntax(string port, string expected)
    {
        var settings = NativeJailSettings.Create("sshd", port, "tcp", BanMode.Multiport);
        Assert.Equal(expected, string.Join('|', settings.Ports));
    }

    [Theory]
    [InlineData("22; drop", "port '22;' is neither a number, a range nor a service name (Parameter 'port')")]
    [InlineData("70000", "port '70000' is neither a number, a range nor a service name (Parameter 'port')")]
    [InlineData("200:100", "port range '200:100' is not 'first:last' with 0 <= first <= last <= 65535 (Parameter 'port')")]
    [InlineData("$(reboot)", "port '$(reboot)' is neither a number, a range nor a service name (Parameter 'port')")]
    [InlineData("", "port is empty (multiport mode needs at least one port) (Parameter 'port')")]
    public void Create_BadPort_ThrowsWithMessage(string port, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => NativeJailSettings.Create("sshd", port, "tcp", BanMode.Multiport));
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("ssh d")]
    [InlineData("x;y")]
    [InlineData("")]
    [InlineData("a}b")]
    public void Create_BadName_Throws(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => NativeJailSettings.Create(name, "22", "tcp", BanMode.Multiport));
        Assert.StartsWith($"jail name '{name}' cannot name an nftables set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equals_SameValuesInOtherLists_EqualAndAnyDifferenceNot()
    {
        var a = NativeJailSettings.Create("sshd", "ssh,2222", "tcp", BanMode.Multiport);
        Assert.Equal(a, NativeJailSettings.Create("sshd", "ssh, 2222", "tcp", BanMode.Multiport));
        Assert.Equal(a.GetHashCode(), NativeJailSettings.Create("sshd", "ssh,2222", "tcp", BanMode.Multiport).GetHashCode());
        Assert.NotEqual(a, NativeJailSettings.Create("sshd", "ssh,2223", "tcp", BanMode.Multiport));
        Assert.NotEqual(a, NativeJailSettings.Create("sshd", "ssh,2222", "tcp,udp", BanMode.Multiport));
        Assert.NotEqual(a, NativeJailSettings.Create("sshd2", "ssh,2222", "tcp", BanMode.Multiport));
        Assert.NotEqual(a, NativeJailSettings.Create("sshd", "ssh,2222", "tcp", BanMode.Multiport, NftFamily.IPv4));
        Assert.NotEqual(a, NativeJailSettings.Create("sshd", "ssh,2222", "tcp", BanMode.Multiport, blockType: "drop"));
    }

    [Fact]
    public void Create_AllPorts_IgnoresPort()
    {
        var settings = NativeJailSettings.Create("recidive", "not a port", "tcp,udp", BanMode.AllPorts);
        Assert.Empty(settings.Ports);
        Assert.Equal(["tcp", "udp"], settings.Protocols);
    }

    [Theory]
    [InlineData("icmp", "protocol 'icmp' is not supported (use tcp, udp, sctp, dccp, udplite) (Parameter 'protocol')")]
    [InlineData("", "protocol is empty (Parameter 'protocol')")]
    public void Create_BadProtocol_Throws(string protocol, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => NativeJailSettings.Create("sshd", "22", protocol, BanMode.Multiport));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Create_BadBlockTypeOrHook_Throws()
    {
        Assert.Throws<ArgumentException>(() => NativeJailSettings.Create("a", "22", "tcp", BanMode.Multiport, blockType: "accept"));
        Assert.Throws<ArgumentException>(() => NativeJailSettings.Create("a", "22", "tcp", BanMode.Multiport, hook: "output"));
        Assert.Throws<ArgumentException>(() => NativeJailSettings.Create("a", "22", "tcp", BanMode.Multiport, NftFamily.None));
    }
}

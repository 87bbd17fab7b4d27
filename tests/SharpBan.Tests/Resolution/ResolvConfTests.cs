using System.Net;
using SharpBan.Resolution;

namespace SharpBan.Tests.Resolution;

public sealed class ResolvConfTests : IDisposable
{
    private readonly string _path = Path.Join(Path.GetTempPath(), $"sharpban-resolv-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void NameServers_FirstThreeNameserverLines_Port53()
    {
        File.WriteAllText(_path, """
            # comment nameserver 192.0.2.99
            search example.org
            nameserver 127.0.0.53
            nameserver	2001:db8::53
            options edns0 trust-ad
            nameserver not-an-address
            nameserver 192.0.2.53 trailing words
            nameserver 198.51.100.53
            """);
        Assert.Equal(
            [new IPEndPoint(IPAddress.Parse("127.0.0.53"), 53), new IPEndPoint(IPAddress.Parse("2001:db8::53"), 53), new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53)],
            ResolvConf.NameServers(_path));
    }

    [Fact]
    public void NameServers_NoFile_Empty() => Assert.Empty(ResolvConf.NameServers(_path));
}

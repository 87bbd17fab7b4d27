using System.Net;
using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Engine.Config.Stream;
using SharpBan.Engine.Tests.Support;

namespace SharpBan.Engine.Tests.Config.Resolution;

public sealed class MetricsAddressTests : IDisposable
{
    private readonly TempConfigDirectory _dir = new();

    public MetricsAddressTests()
    {
        _dir.Write("jail.conf", "[DEFAULT]\n");
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("127.0.0.1:9191", "127.0.0.1:9191")]
    [InlineData(" 0.0.0.0:80 ", "0.0.0.0:80")]
    [InlineData("[::1]:9191", "[::1]:9191")]
    [InlineData("[::]:65535", "[::]:65535")]
    [InlineData("[2001:db8::1]:1", "[2001:db8::1]:1")]
    public void Parse_AddressAndPort_IsTheEndpoint(string text, string expected) =>
        Assert.Equal(expected, MetricsAddress.Parse(text)!.ToString());

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("off")]
    [InlineData("None")]
    [InlineData("no")]
    [InlineData("FALSE")]
    public void Parse_OffValues_AreNull(string text) => Assert.Null(MetricsAddress.Parse(text));

    [Theory]
    [InlineData("9191")]
    [InlineData(":9191")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:+80")]
    [InlineData("127.0.0.1: 80")]
    [InlineData("127.1:9191")]
    [InlineData("0x7f000001:9191")]
    [InlineData("127.000.000.001:9191")]
    [InlineData("localhost:9191")]
    [InlineData("::1:9191")]
    [InlineData("[::1]")]
    [InlineData("[127.0.0.1]:9191")]
    [InlineData("[fe80::1%eth0]:9191")]
    [InlineData("http://127.0.0.1:9191/metrics")]
    [InlineData("yes")]
    public void Parse_Malformed_IsRefusedWithTheValue(string text)
    {
        var e = Assert.Throws<FormatException>(() => MetricsAddress.Parse(text));
        Assert.StartsWith("must be ADDRESS:PORT (127.0.0.1:9191, [::1]:9191) or off, not '", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MetricsOption_IsInGlobalSettingsAndNotInTheStream()
    {
        _dir.Write("fail2ban.conf", "[Definition]\nloglevel = INFO\n");
        var without = ConfigResolver.Resolve(_dir.Path);
        _dir.Write("fail2ban.local", "[Definition]\nmetrics = [::1]:9191\n");
        var with = ConfigResolver.Resolve(_dir.Path);

        Assert.Null(without.Global!.Metrics);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 9191), with.Global!.Metrics);
        Assert.Equal(without.Stream.Select(ConfigStreamJson.ToJson), with.Stream.Select(ConfigStreamJson.ToJson));
        Assert.Empty(with.Diagnostics);
    }

    [Fact]
    public void Resolve_MetricsWithInterpolation_IsResolved()
    {
        _dir.Write("fail2ban.conf", "[Definition]\nport = 9191\nmetrics = 127.0.0.1:%(port)s\n");
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9191), ConfigResolver.Resolve(_dir.Path).Global!.Metrics);
    }

    [Fact]
    public void Resolve_BadMetricsValue_IsAnErrorAtItsLineAndTheListenerIsOff()
    {
        _dir.Write("fail2ban.conf", "[Definition]\nloglevel = INFO\n");
        var local = _dir.Write("fail2ban.local", "[Definition]\n\nmetrics = localhost:9191\n");

        var resolution = ConfigResolver.Resolve(_dir.Path);

        Assert.Null(resolution.Global!.Metrics);
        var error = Assert.Single(resolution.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal($"{local}:3: error: [Definition] metrics: must be ADDRESS:PORT (127.0.0.1:9191, [::1]:9191) or off, not 'localhost:9191'", error.ToString());
        Assert.True(resolution.HasErrors);
        Assert.False(resolution.HasSyntaxErrors); // the server still starts, without the listener
    }
}

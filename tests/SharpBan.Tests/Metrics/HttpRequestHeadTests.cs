using System.Text;
using FsCheck;
using FsCheck.Fluent;
using SharpBan.Metrics;

namespace SharpBan.Tests.Metrics;

public class HttpRequestHeadTests
{
    [Theory]
    [InlineData("", -1)]
    [InlineData("GET /metrics HTTP/1.1\r\n", -1)]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n", -1)]
    [InlineData("GET /metrics HTTP/1.1\r\n\r\n", 25)]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nbody", 34)]
    [InlineData("GET /metrics HTTP/1.1\n\n", 23)]
    [InlineData("GET /metrics HTTP/1.1\nHost: x\n\n", 31)]
    [InlineData("\r\n\r\n", 4)]
    [InlineData("\n\r\r\n", -1)]
    public void EndOf_Data_IsTheLengthOfTheHeadOrMinusOne(string data, int expected) =>
        Assert.Equal(expected, HttpRequestHead.EndOf(Encoding.ASCII.GetBytes(data)));

    [Theory]
    [InlineData("GET /metrics HTTP/1.1", 200, false)]
    [InlineData("GET /metrics HTTP/1.0", 200, false)]
    [InlineData("GET /metrics?name[]=x HTTP/1.1", 200, false)]
    [InlineData("HEAD /metrics HTTP/1.1", 200, true)]
    [InlineData("GET / HTTP/1.1", 404, false)]
    [InlineData("GET /metrics/ HTTP/1.1", 404, false)]
    [InlineData("GET /Metrics HTTP/1.1", 404, false)]
    [InlineData("GET /metrics%00 HTTP/1.1", 404, false)]
    [InlineData("GET /../metrics HTTP/1.1", 404, false)]
    [InlineData("POST /metrics HTTP/1.1", 405, false)]
    [InlineData("DELETE /x HTTP/1.1", 405, false)]
    [InlineData("PRI * HTTP/2.0", 400, false)]
    [InlineData("get /metrics HTTP/1.1", 405, false)]
    [InlineData("GET /metrics HTTP/2", 400, false)]
    [InlineData("GET /metrics http/1.1", 400, false)]
    [InlineData("GET http://localhost/metrics HTTP/1.1", 400, false)]
    [InlineData("GET  /metrics HTTP/1.1", 400, false)]
    [InlineData("GET /metrics  HTTP/1.1", 400, false)]
    [InlineData("GET /metrics", 400, false)]
    [InlineData("GET", 400, false)]
    [InlineData("", 400, false)]
    [InlineData(" GET /metrics HTTP/1.1", 400, false)]
    [InlineData("GET /met\u00e9rics HTTP/1.1", 400, false)]
    [InlineData("GET /metrics\t HTTP/1.1", 400, false)]
    [InlineData("G(T /metrics HTTP/1.1", 400, false)]
    public void Route_RequestLine_IsTheStatus(string requestLine, int status, bool headOnly)
    {
        Assert.Equal(status, HttpRequestHead.Route(Encoding.UTF8.GetBytes(requestLine + "\r\nHost: x\r\n\r\n"), out var head));
        Assert.Equal(headOnly, head);
    }

    [Fact]
    public void Route_BareLineFeeds_AreAccepted() =>
        Assert.Equal(200, HttpRequestHead.Route("GET /metrics HTTP/1.1\nHost: x\n\n"u8, out _));

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property EndOfAndRoute_AnyBytes_NeverThrowAndKeepInBounds() =>
        Prop.ForAll(
            Gen.Elements<byte>((byte)'G', (byte)'E', (byte)'T', (byte)' ', (byte)'/', (byte)'m', (byte)'\r', (byte)'\n', (byte)'H', (byte)'1', (byte)'.', 0, 0xff, (byte)'?')
                .ArrayOf().ToArbitrary(),
            bytes =>
            {
                var end = HttpRequestHead.EndOf(bytes);
                var status = HttpRequestHead.Route(bytes, out _);
                return end >= -1 && end <= bytes.Length && status is 200 or 400 or 404 or 405;
            });
}

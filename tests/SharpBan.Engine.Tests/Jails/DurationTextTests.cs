using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData(86400L * 390, "1y 3w 4d")]
    [InlineData(86400L * 368, "1y 3d")]
    [InlineData(86400L * 2 + 3600 * 7 + 60 * 15, "2d 7h 15m")]
    [InlineData(86400L * 2 + 3599, "2d 1h")]
    [InlineData(3600L - 5, "1h")]
    [InlineData(3600L - 10, "59m 50s")]
    [InlineData(59L, "59s")]
    [InlineData(600L, "10m")]
    [InlineData(604801L, "1w")]
    [InlineData(0L, "0")]
    public void Of_AsFail2banWritesBanTimes(long seconds, string expected) => Assert.Equal(expected, DurationText.Of(seconds));
}

using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public class TimeValueTests
{
    [Theory]
    [InlineData("600", 600)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d12h", 129600)]
    [InlineData("1w 2d", 777600)]
    [InlineData("1y-6mo", 15778800)]
    [InlineData("1.5h", 5400)]
    [InlineData("2*60", 120)]
    [InlineData("-1", -1)]
    [InlineData("1hour+30min", 5400)]
    public void TryParse_Fail2banExamples_GiveSeconds(string text, double expected)
    {
        Assert.True(TimeValue.TryParse(text, out var seconds));
        Assert.Equal(expected, seconds, 3);
    }

    [Theory]
    [InlineData("__import__('os').system('id')")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("nan")] // a ban time of no number would never end (or end at once)
    [InlineData("inf")]
    [InlineData("-Infinity")]
    [InlineData("1e5")] // str2seconds splits it into "1e 5"
    public void TryParse_NotATime_IsFalse(string text) => Assert.False(TimeValue.TryParse(text, out _));
}

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
    [InlineData("007")] // Python 3 refuses an integer with a leading zero
    [InlineData("1h 007m")]
    [InlineData("1__000")]
    public void TryParse_NotATime_IsFalse(string text) => Assert.False(TimeValue.TryParse(text, out _));

    // what Python's eval gives, value and type (an int prints as "600", a float as "600.0")
    [Theory]
    [InlineData("00", 0, false)]
    [InlineData("007.5", 7.5, true)]
    [InlineData("1_000", 1000, false)]
    [InlineData("0x_1_000seconds", 4096, false)]
    [InlineData("10m//7", 85, false)] // an int floor division stays an int
    [InlineData("-7//2", -4, false)]
    [InlineData("10m/5", 120, true)]
    [InlineData("2**-1", 0.5, true)]
    [InlineData("1mo", 2629800, true)]
    [InlineData("1.5hour%5.007sS-1minute", -57.54599999999965, true)] // CPython's float modulo, to the last bit
    public void TryParse_ValueAndType_AsPython(string text, double expected, bool isFloat)
    {
        Assert.True(TimeValue.TryParse(text, out var seconds, out var gotFloat));
        Assert.Equal(expected, seconds);
        Assert.Equal(isFloat, gotFloat);
    }

    [Theory]
    [InlineData("-0")]
    [InlineData("-0d")]
    public void TryParse_MinusZeroInt_IsZero(string text)
    {
        Assert.True(TimeValue.TryParse(text, out var seconds, out _));
        Assert.False(double.IsNegative(seconds));
    }
}

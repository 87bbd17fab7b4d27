using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public class ThresholdsTests
{
    [Fact]
    public void Parse_Pairs_CountsSecondsAndTextInOrder()
    {
        var t = Thresholds.Parse("  10/1d\n30/1w   5/90 ");
        Assert.Equal([(10, 86400.0, "10/1d"), (30, 604800.0, "30/1w"), (5, 90.0, "5/90")], t.Pairs.Select(p => (p.Count, p.Seconds, p.Text)));
        Assert.Equal((30, 604800.0), (t.LargestCount, t.LongestWindow));
        Assert.Equal("10/1d 30/1w 5/90", t.ToString());
        Assert.True(t.Enabled);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n ")]
    public void Parse_Empty_IsOff(string text)
    {
        Assert.Same(Thresholds.Off, Thresholds.Parse(text));
        Assert.False(Thresholds.Off.Enabled);
        Assert.Equal("", Thresholds.Off.ToString());
    }

    [Theory]
    [InlineData("3/1h30m", 5400.0)]
    [InlineData("3/2*60", 120.0)]
    [InlineData("1/0.5", 0.5)]
    [InlineData("1000/1mo", 2629800.0)]
    public void Parse_TimeAbbreviations_AsFindTime(string text, double seconds) =>
        Assert.Equal(seconds, Threshold.Parse(text).Seconds);

    [Theory]
    [InlineData("10", "'10' is not COUNT/TIME (e.g. 10/1d)")]
    [InlineData("12h", "'12h' is not COUNT/TIME (e.g. 10/1d)")]
    [InlineData("/1d", "'/1d': the count must be a whole number from 1 to 1000")]
    [InlineData("0/1d", "'0/1d': the count must be a whole number from 1 to 1000")]
    [InlineData("1001/1d", "'1001/1d': the count must be a whole number from 1 to 1000")]
    [InlineData("+5/1d", "'+5/1d': the count must be a whole number from 1 to 1000")]
    [InlineData("5/", "'5/': the time must be a positive time value (e.g. 600, 10m, 1d12h)")]
    [InlineData("5/0", "'5/0': the time must be a positive time value (e.g. 600, 10m, 1d12h)")]
    [InlineData("5/-1d", "'5/-1d': the time must be a positive time value (e.g. 600, 10m, 1d12h)")]
    [InlineData("5/1q", "'5/1q': the time must be a positive time value (e.g. 600, 10m, 1d12h)")]
    public void Parse_NotAPair_SaysWhichWordAndWhy(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => Thresholds.Parse("3/1h " + text)).Message);
}

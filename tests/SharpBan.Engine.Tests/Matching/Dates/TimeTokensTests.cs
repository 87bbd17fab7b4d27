using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Engine.Tests.Matching.Dates;

public sealed class TimeTokensTests
{
    /// <summary>The <c>%ExY</c> regex written as fail2ban writes it (the text shows in <c>--VD</c>), computed with its own code.</summary>
    [Theory]
    [InlineData(2026, @"(?P<Y>20[012]\d)")]
    [InlineData(2031, @"(?P<Y>20[0123]\d)")]
    [InlineData(2098, @"(?P<Y>2(?:00|01|02|03|04|05|06|07|08|09|10)\d)")]
    [InlineData(2001, @"(?P<Y>200\d)")]
    public void ExYear_CurrentYear_Fail2bansText(int year, string expected)
    {
        Assert.Equal(expected, TimeTokens.ExYear(year));
    }

    [Theory]
    [InlineData(2026, "2019", true)]
    [InlineData(2026, "2029", true)]
    [InlineData(2026, "2030", false)]
    [InlineData(2026, "1999", false)]
    [InlineData(2098, "2101", true)]
    public void ExYear_Regex_MatchesTheYearsOfItsWindow(int year, string text, bool matches)
    {
        var regex = new SharpBan.Engine.Matching.Regex.PyRegex("^" + TimeTokens.ExYear(year) + "$");
        Assert.Equal(matches, regex.Search(text) is not null);
    }
}

using DotNetRegex = System.Text.RegularExpressions.Regex;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Engine.Tests.Matching.Dates;

public sealed class DateTemplateCacheTests
{
    [Fact]
    public void All_ShippedDefaults_RunWithoutMatchTimeout()
    {
        var cache = new DateTemplateCache(2026);

        Assert.Equal(31, cache.All.Count);
        Assert.All(cache.All, t =>
        {
            Assert.True(t.BuiltIn, t.Name);
            Assert.Equal(DotNetRegex.InfiniteMatchTimeout, t.Regex.Regex.MatchTimeout);
        });
    }

    [Theory]
    [InlineData("%d/%m/%Y %H:%M:%S")]
    [InlineData("^(?:a+)+%H:%M")]
    [InlineData("{^LN-BEG}EPOCH-{EPOCH}")]
    public void Get_UserPattern_KeepsTheMatchTimeout(string pattern)
    {
        var template = new DateTemplateCache(2026).Get(pattern);

        Assert.False(template.BuiltIn);
        Assert.NotEqual(DotNetRegex.InfiniteMatchTimeout, template.Regex.Regex.MatchTimeout);
    }

    [Fact]
    public void WithPreMatch_UserTextAroundADefault_KeepsTheMatchTimeout()
    {
        var cache = new DateTemplateCache(2026);

        var template = cache.WithPreMatch(cache.Originals[1], @"^\S+ {DATE} x");

        Assert.NotEqual(DotNetRegex.InfiniteMatchTimeout, template.Regex.Regex.MatchTimeout);
    }
}

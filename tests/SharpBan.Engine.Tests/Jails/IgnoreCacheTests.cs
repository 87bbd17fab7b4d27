using Microsoft.Extensions.Time.Testing;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public sealed class IgnoreCacheTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    [Fact]
    public void Parse_Empty_IsNoCache() => Assert.Null(IgnoreCache.Parse("  ", _time));

    [Fact]
    public void Parse_DefaultsAreFail2bans()
    {
        var cache = IgnoreCache.Parse("key=\"<ip>\"", _time)!;
        Assert.Equal("<ip>", cache.Key);
        Assert.Equal(100, cache.Entries.MaxCount);
        Assert.Equal(300, cache.Entries.MaxSeconds);
    }

    [Fact]
    public void Parse_CountAndTime()
    {
        var cache = IgnoreCache.Parse("key=\"<ip>:<F-USER>\", max-count=7, max-time=2h", _time)!;
        Assert.Equal("<ip>:<F-USER>", cache.Key);
        Assert.Equal(7, cache.Entries.MaxCount);
        Assert.Equal(7200, cache.Entries.MaxSeconds);
    }

    [Theory]
    [InlineData("max-count=5")]
    [InlineData("key=\"<ip>\", max-count=many")]
    [InlineData("key=\"<ip>\", max-time=soon")]
    public void Parse_Invalid_Throws(string value) => Assert.Throws<ArgumentException>(() => IgnoreCache.Parse(value, _time));

    [Fact]
    public void KeyFor_ReplacesKnownTagsAndKeepsUnknownOnes()
    {
        var cache = IgnoreCache.Parse("key=\"<ip>/<F-USER>/<nosuchtag>\"", _time)!;
        var ticket = new BanTicket("192.0.2.7", 1_700_000_000) { Data = new Dictionary<string, object?> { ["user"] = "root" } };
        Assert.Equal("192.0.2.7/root/<nosuchtag>", cache.KeyFor(new TicketTagValues("sshd", ticket, "", 1_700_000_000, 600)));
    }

    [Fact]
    public void Entries_ExpireAfterMaxTime()
    {
        var cache = IgnoreCache.Parse("key=\"<ip>\", max-time=10", _time)!;
        cache.Entries.Set("192.0.2.7", true);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(cache.Entries.TryGet("192.0.2.7", out var ignored) && ignored);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(cache.Entries.TryGet("192.0.2.7", out _));
    }

    [Fact]
    public void Entries_WhenFull_EvictTheOldestFirst()
    {
        var cache = IgnoreCache.Parse("key=\"<ip>\", max-count=2", _time)!;
        cache.Entries.Set("a", true);
        cache.Entries.Set("b", false);
        cache.Entries.Set("c", true);
        Assert.False(cache.Entries.TryGet("a", out _));
        Assert.True(cache.Entries.TryGet("b", out var b) && !b);
        Assert.True(cache.Entries.TryGet("c", out _));
    }
}

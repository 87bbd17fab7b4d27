using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Tests.Matching;

public sealed class ExpiringCacheTests
{
    [Fact]
    public void TryGet_BeforeAndAtExpiry_ValueThenGone()
    {
        var cache = new ExpiringCache<int>(new FixedTime(0), maxCount: 10, maxSeconds: 5);
        cache.Set("a", 1, now: 100);

        Assert.True(cache.TryGet("a", 104.999, out var value));
        Assert.Equal(1, value);
        Assert.False(cache.TryGet("a", 105, out _));
        Assert.Equal(0, cache.Count); // an expired entry found is removed
    }

    [Fact]
    public void Set_FullCache_DropsOldestFirstUntilOneLiveEntryWentAndThereIsRoom()
    {
        var cache = new ExpiringCache<int>(new FixedTime(0), maxCount: 3, maxSeconds: 10);
        cache.Set("old1", 1, now: 0);
        cache.Set("old2", 2, now: 0);
        cache.Set("live", 3, now: 5);

        cache.Set("new", 4, now: 12); // old1 and old2 expired at 10: both go, then live (not expired) goes and stops it

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("new", 12, out _));
        Assert.False(cache.TryGet("live", 12, out _));
    }

    [Fact]
    public void Set_FullCacheAndKeyPresent_StillDropsTheOldestAsFail2BanDoes()
    {
        var cache = new ExpiringCache<int>(new FixedTime(0), maxCount: 2, maxSeconds: 10);
        cache.Set("a", 1, now: 0);
        cache.Set("b", 2, now: 0);

        cache.Set("b", 3, now: 1);

        Assert.False(cache.TryGet("a", 1, out _));
        Assert.True(cache.TryGet("b", 1, out var b));
        Assert.Equal(3, b);
    }

    [Fact]
    public void Set_KeyPresentAndRoom_KeepsItsPlaceInTheOrder()
    {
        var cache = new ExpiringCache<int>(new FixedTime(0), maxCount: 3, maxSeconds: 10);
        cache.Set("a", 1, now: 0);
        cache.Set("b", 2, now: 0);
        cache.Set("a", 3, now: 1); // "a" stays first in line
        cache.Set("c", 4, now: 1);

        cache.Set("d", 5, now: 2); // full: the first in line goes

        Assert.False(cache.TryGet("a", 2, out _));
        Assert.True(cache.TryGet("b", 2, out _));
        Assert.True(cache.TryGet("c", 2, out _));
        Assert.True(cache.TryGet("d", 2, out _));
    }
}

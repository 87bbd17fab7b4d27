using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public class BanManagerTests
{
    [Fact]
    public void TakeExpired_AfterBanTime_ReturnsTicket()
    {
        var bm = new BanManager { BanTime = 600 };
        Assert.Equal(BanAddResult.Added, bm.Add(new BanTicket("1.2.3.4", 1000), 1000));
        Assert.Empty(bm.TakeExpired(1600));
        Assert.Single(bm.TakeExpired(1600.5));
        Assert.Equal(0, bm.Count);
        Assert.Equal(1, bm.TotalBanned);
    }

    [Fact]
    public void Add_Permanent_NeverExpires()
    {
        var bm = new BanManager { BanTime = BanTicket.Permanent };
        bm.Add(new BanTicket("x", 0), 0);
        Assert.Empty(bm.TakeExpired(1e12));
        Assert.Null(bm.NextEnd());
    }

    [Fact]
    public void Add_EndInThePast_IsExpired()
    {
        var bm = new BanManager { BanTime = 60 };
        Assert.Equal(BanAddResult.Expired, bm.Add(new BanTicket("x", 0), 100));
    }

    [Fact]
    public void Add_AlreadyBannedWithLaterEnd_ProlongsExisting()
    {
        var bm = new BanManager { BanTime = 600 };
        bm.Add(new BanTicket("x", 1000), 1000);
        Assert.Equal(BanAddResult.AlreadyBanned, bm.Add(new BanTicket("x", 1100), 1100));
        Assert.True(bm.TryGet("x", out var t));
        Assert.Equal(1700, t.EndOfBan(600));
    }
}

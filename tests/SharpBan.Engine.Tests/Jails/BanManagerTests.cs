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

    /// <summary>
    /// Found by ClientSequenceParityTests: the bans are listed in the order they were made, as fail2ban's dict lists them;
    /// an address banned again after an unban took the freed slot of the .NET dictionary and was listed first.
    /// </summary>
    [Fact]
    public void Tickets_BannedAgainAfterAnUnban_IsListedLast()
    {
        var bm = new BanManager { BanTime = 600 };
        bm.Add(new BanTicket("192.0.2.1", 1000), 1000);
        bm.Add(new BanTicket("192.0.2.2", 1000), 1000);
        Assert.True(bm.Remove("192.0.2.1", out _));
        bm.Add(new BanTicket("2001:db8::/64", 1001), 1001);
        bm.Add(new BanTicket("192.0.2.1", 1002), 1002);

        Assert.Equal(["192.0.2.2", "2001:db8::/64", "192.0.2.1"], bm.Tickets.Select(t => t.Id));
        Assert.Equal(["192.0.2.2", "2001:db8::/64", "192.0.2.1"], bm.TakeAll().Select(t => t.Id));
        Assert.Empty(bm.Tickets);
    }

    /// <summary>
    /// Found by ClientSequenceParityTests: an address banned again less than a second later is prolonged by the fraction
    /// too, as fail2ban's float ban time, so <c>get JAIL banip</c> orders it after a ban made in between (the fraction was
    /// cut off, and it stayed first).
    /// </summary>
    [Fact]
    public void Add_AlreadyBannedWithinTheSecond_ProlongsByTheFraction()
    {
        var bm = new BanManager { BanTime = 600 };
        bm.Add(new BanTicket("x", 1000), 1000);
        bm.Add(new BanTicket("y", 1000.2), 1000.2);
        Assert.Equal(BanAddResult.AlreadyBanned, bm.Add(new BanTicket("x", 1000.5), 1000.5));

        Assert.Equal(["y", "x"], bm.OrderedByEnd().Select(t => t.Id));
        Assert.True(bm.TryGet("x", out var x));
        Assert.Equal(1600.5, x.EndOfBan(600), 6);
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

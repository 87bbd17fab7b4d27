using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public class FailManagerTests
{
    private static readonly Dictionary<string, object?> NoData = [];

    [Fact]
    public void AddFailure_MaxRetryWithinFindTime_BansOnTheLastAndNotBefore()
    {
        var fm = new FailManager { MaxRetry = 3, FindTime = 600 };
        Assert.Null(fm.AddFailure("1.2.3.4", 1000, ["a"], NoData));
        Assert.Null(fm.AddFailure("1.2.3.4", 1100, ["b"], NoData));
        var ticket = fm.AddFailure("1.2.3.4", 1200, ["c"], NoData);
        Assert.NotNull(ticket);
        Assert.Equal(3, ticket.Failures);
        Assert.Equal(["a", "b", "c"], ticket.Matches);
        Assert.Equal(0, fm.Count);
        Assert.Equal(3, fm.TotalFailed);
    }

    [Fact]
    public void AddFailure_SpreadBeyondFindTime_RetryIsRateScaled()
    {
        var fm = new FailManager { MaxRetry = 3, FindTime = 600 };
        fm.AddFailure("x", 0, [], NoData);
        fm.AddFailure("x", 1000, [], NoData); // retry round(1/1000*600)=1 then +1 = 2
        Assert.True(fm.TryGet("x", out var t));
        Assert.Equal(2, t.Retry);
        Assert.Equal(400, t.FirstTime);
        Assert.Null(fm.AddFailure("x", 2000, [], NoData)); // round(2/1600*600)=1 (banker's) → 2
        Assert.Equal(2, t.Retry);
    }

    [Fact]
    public void AddFailure_MaxMatches_KeepsTheLastOnes()
    {
        var fm = new FailManager { MaxRetry = 10, MaxMatches = 2 };
        fm.AddFailure("x", 1, ["1"], NoData);
        fm.AddFailure("x", 2, ["2"], NoData);
        fm.AddFailure("x", 3, ["3"], NoData);
        Assert.True(fm.TryGet("x", out var t));
        Assert.Equal(["2", "3"], t.Matches);
    }

    [Fact]
    public void Cleanup_LastFailureOlderThanFindTime_Forgets()
    {
        var fm = new FailManager { FindTime = 600 };
        fm.AddFailure("x", 100, [], NoData);
        fm.Cleanup(699, force: true);
        Assert.Equal(1, fm.Count);
        fm.Cleanup(700, force: true);
        Assert.Equal(0, fm.Count);
    }

    [Fact]
    public void AddFailure_CountAboveOne_CountsTowardsMaxRetry()
    {
        var fm = new FailManager { MaxRetry = 3 };
        Assert.NotNull(fm.AddFailure("x", 1, [], NoData, count: 3));
    }

    /// <summary>fail2ban adds later failures of an id to its ticket: counted, lines kept, groups of the first one kept.</summary>
    [Fact]
    public void AddFailure_SameId_KeepsTheFirstFailuresGroups()
    {
        var fm = new FailManager { MaxRetry = 2, FindTime = 600, MaxMatches = 5 };
        Assert.Null(fm.AddFailure("192.0.2.1", 1000, ["a"], new Dictionary<string, object?> { ["user"] = "root" }));

        var ticket = fm.AddFailure("192.0.2.1", 1010, ["b"], new Dictionary<string, object?> { ["user"] = "admin" });

        Assert.NotNull(ticket);
        Assert.Equal("root", ticket.Data["user"]);
        Assert.Equal(["a", "b"], ticket.Matches);
        Assert.Equal(2, ticket.Failures);
    }

    [Fact]
    public void AddFailure_NewTicket_KeepsAllItsLinesDespiteMaxMatches()
    {
        var fm = new FailManager { MaxRetry = 9, MaxMatches = 2 };
        fm.AddFailure("x", 1, ["a", "b", "c", "d", "e"], NoData, count: 5);
        Assert.True(fm.TryGet("x", out var t));
        Assert.Equal(["a", "b", "c", "d", "e"], t.Matches); // fail2ban cuts only when a failure is added to a ticket
        fm.AddFailure("x", 2, ["f"], NoData);
        Assert.Equal(["e", "f"], t.Matches);
    }

    [Fact]
    public void AddObserved_KnownBadAddress_CountsMoreAsOneMoreFailure()
    {
        var fm = new FailManager { MaxRetry = 3, MaxMatches = 5 };
        fm.AddFailure("x", 1, ["a"], NoData);
        Assert.Null(fm.AddObserved("x", 1, [], count: 1));
        Assert.True(fm.TryGet("x", out var t));
        Assert.Equal((2, 2, 2L), (t.Retry, t.Failures, fm.TotalFailed));
        fm.AddFailure("x", 2, ["b"], NoData);
        Assert.Null(fm.AddObserved("y", 2, ["b"], count: 1)); // no ticket (banned meanwhile): nothing counted
        Assert.Equal(3L, fm.TotalFailed);
    }
}

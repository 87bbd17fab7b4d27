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

    [Fact]
    public void MaxTracked_Default_IsAHundredThousand() => Assert.Equal(100_000, new FailManager().MaxTracked);

    [Fact]
    public void AddFailure_MoreNewAddressesThanMaxTracked_ForgetsTheOldestAndCountsThem()
    {
        var fm = new FailManager { MaxRetry = 3, MaxTracked = 3 };
        for (var i = 1; i <= 5; i++)
        {
            fm.AddFailure($"192.0.2.{i}", 100 + i, [], NoData);
        }

        Assert.Equal(3, fm.Count);
        Assert.Equal(2, fm.Evicted);
        Assert.Equal(["192.0.2.3", "192.0.2.4", "192.0.2.5"], Tracked(fm, 5));
        Assert.Equal(5, fm.TotalFailed); // forgotten failures still count in "Total failed"
    }

    /// <summary>
    /// An address rotating attacker (one failure per address) does not push out an address that failed before: those
    /// seen once are forgotten first, so the repeat offender reaches maxretry and is banned.
    /// </summary>
    [Fact]
    public void AddFailure_FloodOfAddressesSeenOnce_ARepeatedAddressIsKeptAndBanned()
    {
        var fm = new FailManager { MaxRetry = 3, MaxTracked = 10 };
        fm.AddFailure("198.51.100.1", 1, [], NoData);
        fm.AddFailure("198.51.100.1", 2, [], NoData);
        for (var i = 0; i < 1000; i++)
        {
            fm.AddFailure($"2001:db8::{i:x}", 3 + (i / 10.0), [], NoData);
        }

        Assert.True(fm.TryGet("198.51.100.1", out _));
        Assert.NotNull(fm.AddFailure("198.51.100.1", 200, [], NoData));
        Assert.Equal((9, 991L), (fm.Count, fm.Evicted)); // the last 9 of the flood are left
    }

    [Fact]
    public void AddFailure_OnlyRepeatedAddresses_ForgetsTheOneWhoseLastFailureIsOldest()
    {
        var fm = new FailManager { MaxRetry = 9, MaxTracked = 3 };
        foreach (var id in new[] { "a", "b", "c" })
        {
            fm.AddFailure(id, 10, [], NoData);
        }

        fm.AddFailure("b", 20, [], NoData);
        fm.AddFailure("a", 30, [], NoData);
        fm.AddFailure("c", 40, [], NoData);
        fm.AddFailure("b", 50, [], NoData); // last failures: a 30, c 40, b 50

        fm.AddFailure("d", 60, [], NoData);

        Assert.False(fm.TryGet("a", out _));
        Assert.Equal(["b", "c", "d"], Tracked(fm, "a", "b", "c", "d"));
    }

    /// <summary>A failure dated before the ticket's last one (another log file lagging) does not make the ticket newer.</summary>
    [Fact]
    public void AddFailure_FailureDatedBeforeTheLastOne_KeepsTheTicketsPlace()
    {
        var fm = new FailManager { MaxRetry = 9, MaxTracked = 2 };
        fm.AddFailure("a", 100, [], NoData);
        fm.AddFailure("a", 110, [], NoData);
        fm.AddFailure("b", 100, [], NoData);
        fm.AddFailure("b", 120, [], NoData); // b is newer than a
        fm.AddFailure("a", 105, [], NoData); // older than a's last failure: a stays the oldest

        fm.AddFailure("c", 130, [], NoData);
        fm.AddFailure("c", 131, [], NoData);

        Assert.Equal(["b", "c"], Tracked(fm, "a", "b", "c"));
    }

    [Fact]
    public void AddFailure_MaxTrackedZero_NoLimit()
    {
        var fm = new FailManager { MaxRetry = 3, MaxTracked = 0 };
        for (var i = 0; i < 1000; i++)
        {
            fm.AddFailure($"id{i}", i, [], NoData);
        }

        Assert.Equal((1000, 0L), (fm.Count, fm.Evicted));
    }

    [Fact]
    public void MaxTracked_Lowered_ExcessForgottenAtTheNextNewAddressOnly()
    {
        var fm = new FailManager { MaxRetry = 3, MaxTracked = 0 };
        for (var i = 0; i < 10; i++)
        {
            fm.AddFailure($"id{i}", i, [], NoData);
        }

        fm.MaxTracked = 4;
        Assert.Equal(10, fm.Count);
        fm.AddFailure("id0", 20, [], NoData); // an address already tracked: nothing forgotten
        Assert.Equal(10, fm.Count);

        fm.AddFailure("new", 21, [], NoData);

        Assert.Equal((4, 7L), (fm.Count, fm.Evicted));
        Assert.Equal(["id0", "id8", "id9", "new"], Tracked(fm, ["id0", "id8", "id9", "new", .. Enumerable.Range(1, 7).Select(i => $"id{i}")]));
    }

    /// <summary>
    /// Random failures, cleanups, removals and limit changes: never more than maxtracked tickets after a new address,
    /// every ticket reaching maxretry is handed back (never forgotten instead), and the eviction queues always hold
    /// exactly the tracked tickets (checked by forgetting them all).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AddFailure_RandomWorkload_InvariantsHold(int seed)
    {
        var random = new Random(seed);
        var fm = new FailManager { MaxRetry = 4, FindTime = 50, MaxTracked = 20 };
        var time = 0.0;
        var banned = 0;
        for (var step = 0; step < 20_000; step++)
        {
            time += random.NextDouble();
            var id = $"id{random.Next(60)}";
            var wasTracked = fm.TryGet(id, out _);
            var ticket = random.Next(20) switch
            {
                0 => fm.AddObserved(id, time, [], 2),
                1 => null,
                _ => fm.AddFailure(id, time - random.Next(3), [], NoData),
            };
            if (ticket is not null)
            {
                banned++;
                Assert.True(ticket.Retry >= fm.MaxRetry);
                Assert.False(fm.TryGet(id, out _));
            }
            else if (fm.TryGet(id, out var after))
            {
                Assert.True(after.Retry < fm.MaxRetry);
                if (!wasTracked)
                {
                    Assert.True(fm.Count <= fm.MaxTracked); // room was made for the new address
                }
            }

            switch (random.Next(100))
            {
                case 0:
                    fm.Cleanup(time, force: true);
                    break;
                case 1:
                    fm.Remove($"id{random.Next(60)}");
                    break;
                case 2:
                    fm.MaxTracked = random.Next(5, 30);
                    break;
            }

        }

        Assert.True(banned > 100);
        Assert.True(fm.Evicted > 0);
        var tracked = fm.Count;
        fm.MaxTracked = 1;
        fm.AddFailure("last", time + 1, [], NoData);
        Assert.Equal(1, fm.Count); // every other ticket was reachable from the queues
        Assert.True(fm.TryGet("last", out _));
        Assert.True(tracked >= 1);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("100000", 100000)]
    [InlineData(" 5 ", 5)]
    public void ParseMaxTracked_WholeNumber_IsTheLimit(string text, int expected) => Assert.Equal(expected, FailManager.ParseMaxTracked(text));

    [Theory]
    [InlineData("-1")]
    [InlineData("1e5")]
    [InlineData("10k")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void ParseMaxTracked_NotAWholeNumber_SaysWhatIsExpected(string text) =>
        Assert.Equal($"must be a whole number of addresses, 0 for no limit, not '{text}'", Assert.Throws<FormatException>(() => FailManager.ParseMaxTracked(text)).Message);

    /// <summary>Which of <paramref name="ids"/> are tracked, in order.</summary>
    private static List<string> Tracked(FailManager fm, params string[] ids) => [.. ids.Where(id => fm.TryGet(id, out _)).Order(StringComparer.Ordinal)];

    private static List<string> Tracked(FailManager fm, int addresses) => Tracked(fm, [.. Enumerable.Range(1, addresses).Select(i => $"192.0.2.{i}")]);

    [Fact]
    public void AddFailure_Thresholds_SpreadBeyondFindTimeBansThroughTheExtraPairWithTheTicket()
    {
        var fm = new FailManager { MaxRetry = 3, FindTime = 600, Thresholds = Thresholds.Parse("5/1d") };
        for (var i = 0; i < 4; i++)
        {
            Assert.Null(fm.AddFailure("1.2.3.4", i * 3600, [$"l{i}"], NoData)); // one an hour: never 3 within 10 minutes
        }

        var ticket = fm.AddFailure("1.2.3.4", 4 * 3600, ["l4"], NoData);
        Assert.NotNull(ticket);
        Assert.Equal("5/1d", ticket.Threshold?.Text);
        Assert.Equal(["l0", "l1", "l2", "l3", "l4"], ticket.Matches);
        Assert.Equal((0, 0), (fm.Count, fm.Windows!.Count)); // both forgotten
    }

    [Fact]
    public void AddFailure_ThresholdsAndMaxRetry_MaxRetryBansFirstAndClearsTheWindows()
    {
        var fm = new FailManager { MaxRetry = 3, FindTime = 600, Thresholds = Thresholds.Parse("4/1d") };
        fm.AddFailure("a", 0, [], NoData);
        fm.AddFailure("a", 10, [], NoData);
        var ticket = fm.AddFailure("a", 20, [], NoData);
        Assert.Null(ticket?.Threshold);
        Assert.NotNull(ticket);
        Assert.False(fm.Windows!.TryGet("a", out _));
        Assert.Null(fm.AddFailure("a", 30, [], NoData)); // starts again from one
    }

    [Fact]
    public void AddFailure_ThresholdsWeights_CountAsFail2banCounts()
    {
        var fm = new FailManager { MaxRetry = 100, Thresholds = Thresholds.Parse("5/1h") };
        Assert.Null(fm.AddFailure("a", 0, [], NoData, count: 3));
        Assert.Equal("5/1h", fm.AddFailure("a", 2000, [], NoData, count: 2)?.Threshold?.Text);
    }

    [Fact]
    public void AddObserved_NotCountedInTheWindowsButItsBanClearsThem()
    {
        var fm = new FailManager { MaxRetry = 3, Thresholds = Thresholds.Parse("3/1d") };
        fm.AddFailure("a", 0, [], NoData);
        Assert.True(fm.Windows!.TryGet("a", out var times));
        Assert.Null(fm.AddObserved("a", 0, [], 1));
        Assert.Equal(1, times.Units);
        Assert.NotNull(fm.AddObserved("a", 0, [], 1)); // maxretry through the boost
        Assert.False(fm.Windows.TryGet("a", out _));
    }

    [Fact]
    public void Thresholds_OffAgain_ForgetsTheWindowsChangedKeepsThem()
    {
        var fm = new FailManager { Thresholds = Thresholds.Parse("9/1d") };
        fm.AddFailure("a", 0, [], NoData);
        fm.Thresholds = Thresholds.Parse("2/1d");
        Assert.Equal("2/1d", fm.AddFailure("a", 5000, [], NoData)?.Threshold?.Text);
        fm.Thresholds = Thresholds.Off;
        Assert.Null(fm.Windows);
        Assert.Same(Thresholds.Off, fm.Thresholds);
    }

    [Fact]
    public void Cleanup_TicketGoneAfterFindTime_WindowsKeepTheFailureUntilTheLongestWindow()
    {
        var fm = new FailManager { MaxRetry = 3, FindTime = 600, Thresholds = Thresholds.Parse("2/1h") };
        fm.AddFailure("a", 0, [], NoData);
        fm.Cleanup(1000, force: true);
        Assert.False(fm.TryGet("a", out _));
        Assert.NotNull(fm.AddFailure("a", 1000, [], NoData)?.Threshold); // a new ticket, banned by the hour's window
        fm.AddFailure("b", 0, [], NoData);
        fm.Cleanup(3600, force: true);
        Assert.Equal(0, fm.Windows!.Count);
    }

    [Fact]
    public void AddFailure_ThresholdsMaxTracked_WindowsBoundedByTheSameLimit()
    {
        var fm = new FailManager { MaxRetry = 3, MaxTracked = 50, Thresholds = Thresholds.Parse("3/1d") };
        for (var i = 0; i < 1000; i++)
        {
            fm.AddFailure($"2001:db8::{i:x}", i, [], NoData);
            Assert.True(fm.Windows!.Count <= 50);
        }

        Assert.Equal((50, 950L), (fm.Windows!.Count, fm.Windows.Evicted));
    }

    /// <summary>
    /// Unreachable thresholds change nothing: the random workload of <see cref="AddFailure_RandomWorkload_InvariantsHold"/>
    /// bans the same tickets at the same failures with the option off and on (fail2ban's counting is untouched).
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void AddFailure_UnreachableThresholds_SameBansAsWithout(int seed)
    {
        List<string> Run(Thresholds thresholds)
        {
            var random = new Random(seed);
            var fm = new FailManager { MaxRetry = 4, FindTime = 50, MaxTracked = 20, Thresholds = thresholds };
            var bans = new List<string>();
            var time = 0.0;
            for (var step = 0; step < 5000; step++)
            {
                time += random.NextDouble();
                var id = $"id{random.Next(60)}";
                var ticket = random.Next(20) == 0 ? fm.AddObserved(id, time, [], 2) : fm.AddFailure(id, time - random.Next(3), [], NoData);
                if (ticket is not null)
                {
                    bans.Add($"{step} {ticket.Id} {ticket.Retry} {ticket.Failures} {ticket.FirstTime} {ticket.LastTime}");
                }

                if (random.Next(100) == 0)
                {
                    fm.Cleanup(time, force: true);
                }
            }

            return bans;
        }

        var off = Run(Thresholds.Off);
        Assert.True(off.Count > 50);
        Assert.Equal(off, Run(Thresholds.Parse("1000/1")));
    }
}

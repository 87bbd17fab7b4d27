using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public class ThresholdCounterTests
{
    private static ThresholdCounter Counter(string thresholds) => new(Thresholds.Parse(thresholds));

    [Fact]
    public void Add_EachPair_ReachedOnItsCountWithinItsWindow()
    {
        var counter = Counter("3/100 5/1000");
        Assert.Null(counter.Add("a", 0, 1, 0));
        Assert.Null(counter.Add("a", 60, 1, 0));
        Assert.Equal("3/100", counter.Add("a", 99, 1, 0)?.Text);
        Assert.False(counter.TryGet("a", out _)); // forgotten when reached

        for (var t = 0; t < 4; t++)
        {
            Assert.Null(counter.Add("b", t * 200, 1, 0)); // never 3 within 100 s
        }

        Assert.Equal("5/1000", counter.Add("b", 800 + 199, 1, 0)?.Text); // 0 … 999: five within 1000 s
    }

    [Fact]
    public void TakeChanged_AddedReachedCleanedUpAndCleared_EachReportedOnce()
    {
        var counter = Counter("3/100");
        counter.Add("a", 0, 1, 0);
        counter.Add("b", 10, 1, 0);
        counter.Add("a", 20, 1, 0);
        Assert.Equal(["a", "b"], counter.TakeChanged().Order());
        Assert.Empty(counter.TakeChanged());

        Assert.NotNull(counter.Add("a", 30, 1, 0)); // reached: forgotten, so its saved failures go too
        counter.Cleanup(200); // b's newest failure is older than the window
        Assert.Equal(["a", "b"], counter.TakeChanged().Order());
        Assert.Equal(0, counter.Count);

        counter.Add("c", 300, 1, 0);
        counter.TakeChanged();
        counter.Clear();
        Assert.Equal(["c"], counter.TakeChanged());
    }

    [Fact]
    public void Restore_SavedFailures_CountAsBeforeAndAreNotChanges()
    {
        var counter = Counter("4/100");
        counter.Restore("a", [(0, 1), (10, 2)]);
        counter.Restore("a", [(50, 5)]); // an id already there keeps what it has
        Assert.Empty(counter.TakeChanged());
        Assert.True(counter.TryGet("a", out var times));
        Assert.Equal([(0.0, 1), (10.0, 2)], times.Entries);
        counter.MarkAllChanged();
        Assert.Equal(["a"], counter.TakeChanged());

        Assert.Equal("4/100", counter.Add("a", 99, 1, 0)?.Text); // 1 + 2 + 1 within 100 s
    }

    [Fact]
    public void Add_WindowBoundary_FailuresExactlyTheWindowApartAreNotInOneWindow()
    {
        var counter = Counter("2/100");
        Assert.Null(counter.Add("a", 0, 1, 0));
        Assert.Null(counter.Add("a", 100, 1, 0));
        Assert.Equal("2/100", counter.Add("a", 199.5, 1, 0)?.Text);
    }

    [Fact]
    public void Add_LateFailure_CompletesAWindowInThePast()
    {
        var counter = Counter("3/60");
        Assert.Null(counter.Add("a", 1000, 1, 0));
        Assert.Null(counter.Add("a", 1050, 1, 0));
        Assert.Null(counter.Add("a", 1075, 1, 0)); // a newer failure first (1000 and 1075 are 75 s apart)
        Assert.Equal("3/60", counter.Add("a", 1020, 1, 0)?.Text); // 1000, 1020, 1050 within 60 s
    }

    /// <summary>Beyond two longest windows before the newest failure nothing is kept: a failure later than that counts alone.</summary>
    [Fact]
    public void Add_FailureMoreThanTheLongestWindowLate_CountsOnlyWithWhatIsKept()
    {
        var counter = Counter("3/60");
        Assert.Null(counter.Add("a", 1000, 1, 0));
        Assert.Null(counter.Add("a", 1050, 1, 0));
        Assert.Null(counter.Add("a", 5000, 1, 0));
        Assert.Null(counter.Add("a", 1020, 1, 0));
        Assert.True(counter.TryGet("a", out var times));
        Assert.Equal((1, 5000.0), (times.Count, times.Newest));
    }

    [Fact]
    public void Add_Weights_CountAsThatManyFailures()
    {
        var counter = Counter("5/100");
        Assert.Null(counter.Add("a", 0, 3, 0));
        Assert.Equal("5/100", counter.Add("a", 10, 2, 0)?.Text);
        Assert.Equal("5/100", counter.Add("b", 0, 5, 0)?.Text);
    }

    [Fact]
    public void Add_FirstPairInWrittenOrderIsReported()
    {
        var counter = Counter("2/1d 2/1h");
        Assert.Null(counter.Add("a", 0, 1, 0));
        Assert.Equal("2/1d", counter.Add("a", 10, 1, 0)?.Text);
    }

    [Fact]
    public void Add_KeepsAtMostTwiceTheLargestCount()
    {
        var counter = Counter("50/10");
        for (var t = 0; t < 1000; t++)
        {
            Assert.Null(counter.Add("a", t * 1.0, 1, 0)); // 10 per window at most
        }

        Assert.True(counter.TryGet("a", out var times));
        Assert.True(times.Units <= 20); // also trimmed to twice the longest window: 20 s of failures
    }

    [Fact]
    public void Add_MoreIdsThanMaxTracked_ForgetsOnceSeenFirstThenOldestRepeated()
    {
        var counter = Counter("9/1000");
        counter.Add("twice", 0, 1, 3);
        counter.Add("twice", 1, 1, 3);
        counter.Add("once1", 2, 1, 3);
        counter.Add("once2", 3, 1, 3);
        counter.Add("new1", 4, 1, 3); // once1 goes, not the older "twice"
        Assert.Equal((3, 1L), (counter.Count, counter.Evicted));
        Assert.False(counter.TryGet("once1", out _));
        Assert.True(counter.TryGet("twice", out _));

        counter.Add("once2", 5, 1, 3);
        counter.Add("new1", 6, 1, 3); // all repeated now: the oldest last failure goes ("twice")
        counter.Add("new2", 7, 1, 3);
        Assert.Equal(2L, counter.Evicted);
        Assert.False(counter.TryGet("twice", out _));
        Assert.Equal(3, counter.Count);
    }

    [Fact]
    public void Cleanup_ForgetsIdsWhoseNewestFailureIsTheLongestWindowOld()
    {
        var counter = Counter("3/10 3/100");
        counter.Add("old", 0, 1, 0);
        counter.Add("recent", 50, 1, 0);
        counter.Cleanup(100);
        Assert.False(counter.TryGet("old", out _));
        Assert.True(counter.TryGet("recent", out _));
        Assert.Equal(1, counter.Count);
    }

    /// <summary>
    /// The windows against a naive recount of every failure since the id's last ban: random ids, weights, ties and late
    /// failures (up to one longest window before the id's newest), the same pair reported at the same failure.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Add_RandomFailures_SameAsNaiveRecount() =>
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var random = new Random(seed);
            var pairs = string.Join(' ', Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"{random.Next(1, 7)}/{random.Next(1, 40)}"));
            var thresholds = Thresholds.Parse(pairs);
            var counter = new ThresholdCounter(thresholds);
            var naive = new Dictionary<string, List<(double Time, int Weight)>>();
            var newest = new Dictionary<string, double>();
            var clock = 0.0;
            for (var step = 0; step < 300; step++)
            {
                clock += random.Next(0, 8) / 2.0;
                var id = $"id{random.Next(4)}";
                var time = random.Next(4) == 0 ? clock - (random.Next(0, (int)(2 * thresholds.LongestWindow) + 1) / 2.0) : clock;
                if (newest.TryGetValue(id, out var n))
                {
                    time = Math.Max(time, n - thresholds.LongestWindow);
                }

                var weight = random.Next(6) == 0 ? random.Next(2, 4) : 1;
                var failures = naive.TryGetValue(id, out var f) ? f : naive[id] = [];
                failures.Add((time, weight));
                newest[id] = Math.Max(newest.GetValueOrDefault(id, double.NegativeInfinity), time);
                var expected = thresholds.Pairs.FirstOrDefault(p => NaiveMost(failures, time, p.Seconds) >= p.Count);
                if (expected is not null)
                {
                    naive.Remove(id);
                    newest.Remove(id);
                }

                var actual = counter.Add(id, time, weight, 0);
                if (actual?.Text != expected?.Text)
                {
                    return false.Label($"{pairs}: step {step} {id} at {time}: expected {expected?.Text ?? "none"}, got {actual?.Text ?? "none"}");
                }
            }

            return true.ToProperty();
        });

    /// <summary>Every window of <paramref name="seconds"/> holding <paramref name="time"/>, each failure summed again.</summary>
    private static long NaiveMost(List<(double Time, int Weight)> failures, double time, double seconds) =>
        failures.Where(s => s.Time <= time && time - s.Time < seconds)
            .Max(s => failures.Where(f => f.Time >= s.Time && f.Time - s.Time < seconds).Sum(f => (long)f.Weight));
}

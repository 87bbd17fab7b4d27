using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public class FailureTimesTests
{
    private static FailureTimes With(params (double Time, int Weight)[] failures)
    {
        var times = new FailureTimes("x");
        foreach (var (time, weight) in failures)
        {
            times.Add(time, weight);
        }

        return times;
    }

    [Fact]
    public void MostWithin_InOrder_CountsFailuresLessThanTheWindowApart()
    {
        var times = With((0, 1), (50, 1), (99, 1), (100, 1));
        Assert.Equal(3, times.MostWithin(100, 100)); // 0 is exactly 100 before: outside
        Assert.Equal(4, times.MostWithin(100, 100.5));
    }

    [Fact]
    public void MostWithin_LateFailure_FindsTheWindowInThePast()
    {
        var times = With((0, 1), (10, 1), (500, 1));
        times.Add(20, 1); // late: 0, 10, 20 are within 30 s, though the newest is 500
        Assert.Equal(3, times.MostWithin(20, 30));
        Assert.Equal(2, times.MostWithin(20, 15)); // 10 and 20 (or 20 alone with 0 …): the best window holding 20
        Assert.Equal(500, times.Newest);
    }

    [Fact]
    public void MostWithin_Weights_CountAsThatManyFailures() =>
        Assert.Equal(7, With((0, 5), (1, 2), (100, 1)).MostWithin(1, 10));

    [Fact]
    public void Add_ManyAndLate_KeepsTimeOrderAcrossGrowth()
    {
        var times = new FailureTimes("x");
        for (var i = 0; i < 100; i++)
        {
            times.Add(i % 2 == 0 ? i : i - 3, 1);
            times.Trim(double.NegativeInfinity, 1000);
        }

        Assert.Equal(100, times.Count);
        Assert.Equal(98, times.Newest);
        Assert.Equal(100, times.MostWithin(50, 1000));
    }

    [Fact]
    public void Trim_DropsOldTimesThenTheOldestUnitsBeyondTheCap()
    {
        var times = With((0, 1), (10, 3), (20, 2), (30, 1));
        times.Trim(0, 100);
        Assert.Equal((3, 6L), (times.Count, times.Units));
        times.Trim(0, 4); // 3 at 10 becomes 1
        Assert.Equal((3, 4L), (times.Count, times.Units));
        Assert.Equal(4, times.MostWithin(30, 100));
        times.Trim(29, 4); // only the newest is left, even when it is old
        Assert.Equal((1, 1L, 30.0), (times.Count, times.Units, times.Newest));
    }
}

using Microsoft.Extensions.Time.Testing;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Engine.Tests.Matching.Dates;

public sealed class DateClockTests
{
    public static TheoryData<string> Zones() => ["Europe/Zurich", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"];

    /// <summary>
    /// Every minute around this zone's transitions of a year (and a second within each), converted in order by one
    /// clock (which remembers the last minute's offset) and each by a fresh clock: the same Unix time.
    /// </summary>
    [Theory]
    [MemberData(nameof(Zones))]
    public void ToUnix_AroundEveryTransition_SameAsWithoutTheRememberedOffset(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var shared = new DateClock(TimeProvider.System, zone);
        var random = new Random(7);
        foreach (var start in Transitions(zone, 2026).Append(new DateTime(2026, 1, 15, 12, 0, 0)))
        {
            for (var minute = -90; minute <= 90; minute++)
            {
                for (var i = 0; i < 3; i++)
                {
                    var local = start.AddMinutes(minute).AddSeconds(random.Next(60));
                    if (zone.IsAmbiguousTime(local))
                    {
                        continue; // its reading depends on the conversion before it (next test)
                    }

                    Assert.Equal(new DateClock(TimeProvider.System, zone).ToUnix(local), shared.ToUnix(local));
                }
            }
        }
    }

    /// <summary>
    /// The hour repeated when daylight saving ends, read as glibc's <c>mktime</c> (and so fail2ban) reads it: with the
    /// offset of the conversion before it, winter time when there was none.
    /// </summary>
    [Fact]
    public void ToUnix_RepeatedHour_ReadWithTheOffsetOfThePreviousConversion()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");
        var repeated = new DateTime(2026, 10, 25, 2, 30, 0);
        var summer = new DateTimeOffset(repeated, TimeSpan.FromHours(2)).ToUnixTimeSeconds();
        var winter = new DateTimeOffset(repeated, TimeSpan.FromHours(1)).ToUnixTimeSeconds();
        var clock = new DateClock(TimeProvider.System, zone);

        Assert.Equal(winter, clock.ToUnix(repeated));
        _ = clock.ToUnix(new DateTime(2026, 7, 1, 12, 0, 0));
        Assert.Equal(summer, clock.ToUnix(repeated));
        Assert.Equal(summer + 600, clock.ToUnix(repeated.AddMinutes(10)));
        _ = clock.ToUnix(new DateTime(2026, 12, 1, 12, 0, 0));
        Assert.Equal(winter, clock.ToUnix(repeated));
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void LocalNow_AcrossATransition_FollowsTheZone(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new DateClock(time, zone);
        for (var i = 0; i < 400; i++)
        {
            Assert.Equal(TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, zone), clock.LocalNow());
            time.Advance(TimeSpan.FromMinutes(i % 2 == 0 ? 1 : 1317)); // steps of a minute and of about a day
        }
    }

    /// <summary>Local times at which the zone's offset changes in <paramref name="year"/> (found by scanning hours).</summary>
    private static IEnumerable<DateTime> Transitions(TimeZoneInfo zone, int year)
    {
        var utc = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var offset = zone.GetUtcOffset(utc);
        for (var t = utc; t.Year == year; t = t.AddMinutes(30))
        {
            var o = zone.GetUtcOffset(t);
            if (o != offset)
            {
                yield return DateTime.SpecifyKind(t + o, DateTimeKind.Unspecified);
                offset = o;
            }
        }
    }
}

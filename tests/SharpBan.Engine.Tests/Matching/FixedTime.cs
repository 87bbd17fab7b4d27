using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Engine.Tests.Matching;

internal sealed class FixedTime(long unix) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(unix);

    public static DateClock Clock(long unix, string zone = "Europe/Zurich") =>
        new(new FixedTime(unix), TimeZoneInfo.FindSystemTimeZoneById(zone));
}

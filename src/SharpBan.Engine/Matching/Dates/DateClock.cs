namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// What date conversion needs from the outside world: "now" (for year-less dates and <c>{NONE}</c>) and the local
/// time zone that dates without a zone are read in.
/// </summary>
public sealed class DateClock(TimeProvider time, TimeZoneInfo localZone)
{
    public static DateClock System { get; } = new(TimeProvider.System, TimeZoneInfo.Local);

    public TimeProvider Time { get; } = time;

    public TimeZoneInfo LocalZone { get; } = localZone;

    /// <summary>Unix seconds, with fractions.</summary>
    public double Now() => Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>"Now" as a naive local date and time (Python's <c>datetime.fromtimestamp</c>).</summary>
    public DateTime LocalNow() => TimeZoneInfo.ConvertTimeFromUtc(Time.GetUtcNow().UtcDateTime, LocalZone);

    /// <summary>Python's <c>time.mktime</c> for a naive local date and time.</summary>
    public double ToUnix(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (LocalZone.IsInvalidTime(unspecified))
        {
            // in the spring-forward gap: mktime normalises forward by the DST delta
            unspecified = unspecified.AddHours(1);
        }

        var utc = TimeZoneInfo.ConvertTimeToUtc(unspecified, LocalZone);
        return new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeSeconds();
    }
}

namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// What date conversion needs from the outside world: "now" (for year-less dates and <c>{NONE}</c>) and the local
/// time zone that dates without a zone are read in.
/// </summary>
/// <remarks>
/// Converting between local and UTC time through a real zone's rules costs about 150 ns per log line (two conversions).
/// A zone's offset changes only at its transitions, which fall on whole minutes, so the offset of the last minute
/// converted is remembered (one entry per direction, replaced as a whole: safe to share between threads).
/// </remarks>
public sealed class DateClock(TimeProvider time, TimeZoneInfo localZone)
{
    private Offset? _fromUtc;
    private Offset? _toUtc;

    /// <summary>glibc's <c>localtime_offset</c>: the offset (UTC minus local, ticks) the last conversion found, 0 at first.</summary>
    private long _lastUtcMinusLocal;

    public static DateClock System { get; } = new(TimeProvider.System, TimeZoneInfo.Local);

    public TimeProvider Time { get; } = time;

    public TimeZoneInfo LocalZone { get; } = localZone;

    /// <summary>Unix seconds, with fractions.</summary>
    public double Now() => Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>"Now" as a naive local date and time (Python's <c>datetime.fromtimestamp</c>).</summary>
    public DateTime LocalNow()
    {
        var utc = Time.GetUtcNow().UtcDateTime;
        var minute = utc.Ticks / TimeSpan.TicksPerMinute;
        if (_fromUtc is not { } cached || cached.Minute != minute)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(utc, LocalZone);
            _fromUtc = cached = new Offset(minute, local.Ticks - utc.Ticks);
        }

        return new DateTime(utc.Ticks + cached.Ticks, DateTimeKind.Unspecified);
    }

    /// <summary>Python's <c>time.mktime</c> for a naive local date and time.</summary>
    /// <remarks>
    /// A wall time that occurs twice (the hour repeated when daylight saving ends) has no single answer; glibc's
    /// <c>mktime</c> starts from the offset its previous call found and takes the reading that guess lands on, so
    /// fail2ban reads it as summer time after a summer date and as winter time after a winter one (or first thing).
    /// The same state is kept here, per clock; such minutes are never cached.
    /// </remarks>
    public double ToUnix(DateTime local)
    {
        var minute = local.Ticks / TimeSpan.TicksPerMinute;
        if (_toUtc is not { } cached || cached.Minute != minute)
        {
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            if (LocalZone.IsAmbiguousTime(unspecified))
            {
                var guess = new DateTime(local.Ticks + _lastUtcMinusLocal, DateTimeKind.Utc);
                var utcMinusLocal = -LocalZone.GetUtcOffset(guess).Ticks;
                _lastUtcMinusLocal = utcMinusLocal;
                return new DateTimeOffset(local.Ticks + utcMinusLocal, TimeSpan.Zero).ToUnixTimeSeconds();
            }

            _toUtc = cached = new Offset(minute, ConvertToUtc(unspecified).Ticks - local.Ticks);
        }

        _lastUtcMinusLocal = cached.Ticks;
        return new DateTimeOffset(local.Ticks + cached.Ticks, TimeSpan.Zero).ToUnixTimeSeconds();
    }

    private DateTime ConvertToUtc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (LocalZone.IsInvalidTime(unspecified))
        {
            // in the spring-forward gap: mktime normalises forward by the DST delta
            unspecified = unspecified.AddHours(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(unspecified, LocalZone);
    }

    /// <summary>The difference (ticks to add) that held for one minute (in ticks since 0001-01-01 divided by a minute).</summary>
    private sealed record Offset(long Minute, long Ticks);
}

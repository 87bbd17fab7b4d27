using Microsoft.Extensions.Logging;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Server;

/// <summary>The outside world as the daemon's jails see it: clock, processes, DNS, own addresses, logging.</summary>
internal sealed record ServerContext(
    TimeProvider Time,
    IProcessRunner Processes,
    IDnsResolver Dns,
    ISelfAddresses Self,
    ILoggerFactory Loggers)
{
    /// <summary>Creates the runner of the native nftables backend (<c>native = nftables</c> actions); none: no native backend.</summary>
    public Func<Firewall.INftablesRunner>? NftRunner { get; init; }

    /// <summary>The host name of an address for <c>&lt;ip-host&gt;</c> (reverse lookup), null when it has none.</summary>
    public Func<string, string?> HostOfAddress { get; init; } = static _ => null;

    public DateClock Clock { get; } = new(Time, Time.LocalTimeZone);

    public double Now() => Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>fail2ban's <c>time2str</c>: local <c>YYYY-MM-DD HH:MM:SS</c>; from year 9999 on (a permanent ban's end) its last second.</summary>
    public string FormatTime(double unix) => unix >= 253402214400
        ? "9999-12-31 23:59:59"
        : TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds((long)(unix * 1000)), Time.LocalTimeZone)
            .ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}

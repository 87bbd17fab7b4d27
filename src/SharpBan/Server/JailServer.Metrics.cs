using SharpBan.Metrics;
using SharpBan.Server.Jails;

namespace SharpBan.Server;

/// <summary>
/// The daemon's metrics (the <c>metrics</c> command and the optional HTTP listener): <c>status</c>'s counters and the
/// few cheap ones it lacks, per jail (label <c>jail</c>) and for the daemon. Read under the gate, so every number of one
/// answer belongs to the same moment.
/// </summary>
internal sealed partial class JailServer
{
    private readonly double _startTime;

    /// <summary>The metric families now, taken under the gate (what a scrape of <c>/metrics</c> renders).</summary>
    public async Task<IReadOnlyList<MetricFamily>> MetricsAsync(CancellationToken cancellationToken)
    {
        await EnterGateAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return MetricsLocked();
        }
        finally
        {
            ExitGate();
        }
    }

    private List<MetricFamily> MetricsLocked()
    {
        var jails = _jails.Values.OrderBy(static j => j.Name, StringComparer.Ordinal).ToList();
        var now = _context.Now();
        return
        [
            new("sharpban_build_info", MetricType.Gauge, "SharpBan's version and the fail2ban version it reproduces (value 1).",
                [new([new("version", SharpBanVersion.Own), new("fail2ban_version", SharpBanVersion.Fail2Ban)], 1)]),
            new("process_start_time_seconds", MetricType.Gauge, "Start time of the daemon since unix epoch in seconds.", [new(_startTime)]),
            new("sharpban_uptime_seconds", MetricType.Gauge, "Seconds since the daemon started.", [new(Math.Round(Math.Max(0, now - _startTime), 3))]),
            new("sharpban_jails", MetricType.Gauge, "Jails the daemon has (status: Number of jail).", [new(jails.Count)]),
            new("sharpban_database_errors_total", MetricType.Counter, "Times the database file could not be used (a write, a commit or a repair attempt failed; logged, bans go on from memory).",
                [new(Database?.Errors ?? 0)]),
            new("sharpban_failures_waiting", MetricType.Gauge, "Failures waiting outside the daemon's lock for a DNS lookup or an ignorecommand (a slow name server or command).",
                [new(Volatile.Read(ref _laterWaiting))]),
            new("sharpban_failures_dropped_total", MetricType.Counter, "Failures not counted because 10,000 were waiting for DNS lookups or ignorecommands already.",
                [new(_laterDroppedTotal)]),
            PerJail(jails, "sharpban_jail_failed_current", MetricType.Gauge, "Addresses with failures counted, not banned yet (status: Currently failed).",
                static j => j.Failures.Count),
            PerJail(jails, "sharpban_jail_failed_total", MetricType.Counter, "Failures counted since the jail started (status: Total failed).",
                static j => j.Failures.TotalFailed),
            PerJail(jails, "sharpban_jail_tracked_evicted_total", MetricType.Counter, "Failing addresses forgotten because more than maxtracked were failing at once (an address-rotating attacker).",
                static j => j.Failures.Evicted),
            PerJail(jails, "sharpban_jail_banned_current", MetricType.Gauge, "Addresses banned now (status: Currently banned).",
                static j => j.Bans.Count),
            PerJail(jails, "sharpban_jail_banned_total", MetricType.Counter, "Bans since the jail started, restored ones included (status: Total banned).",
                static j => j.Bans.TotalBanned),
            PerJail(jails, "sharpban_jail_lines_processed_total", MetricType.Counter, "Log lines and journal entries run through the jail's filter.",
                static j => j.Counters.LinesProcessed),
            PerJail(jails, "sharpban_jail_lines_skipped_total", MetricType.Counter, "Lines the jail's filter could not process (logged and skipped).",
                static j => j.Counters.LinesSkipped),
            PerJail(jails, "sharpban_jail_regex_timeouts_total", MetricType.Counter, "Regex searches that hit the match timeout (counted as no match).",
                static j => j.RegexTimeouts),
            PerJail(jails, "sharpban_jail_action_failures_total", MetricType.Counter,
                "Action commands that failed (exit status, timeout, bad template) and failed native nftables operations.",
                static j => j.Counters.ActionFailures),
            PerJail(jails, "sharpban_jail_actions_waiting", MetricType.Gauge,
                "Action work queued or running, not finished yet (growing: an action slower than the bans come).",
                static j => j.ActionsWaiting),
        ];
    }

    private static MetricFamily PerJail(List<Jail> jails, string name, MetricType type, string help, Func<Jail, double> value) =>
        new(name, type, help, [.. jails.Select(j => MetricSample.Labelled("jail", j.Name, value(j)))]);
}

namespace SharpBan.Metrics;

/// <summary>The Prometheus metric types SharpBan exports.</summary>
internal enum MetricType
{
    /// <summary>A value that only grows (restarting from 0 with the daemon or the jail); its name ends in <c>_total</c>.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,
}

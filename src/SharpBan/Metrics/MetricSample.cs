namespace SharpBan.Metrics;

/// <summary>One value of a metric family with its labels (in order; none for a daemon-wide value).</summary>
internal sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    public MetricSample(double value)
        : this([], value)
    {
    }

    /// <summary>A sample with one label, such as <c>jail</c>.</summary>
    public static MetricSample Labelled(string label, string value, double sample) => new([new(label, value)], sample);
}

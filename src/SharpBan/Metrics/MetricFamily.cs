namespace SharpBan.Metrics;

/// <summary>A metric family: name, type, help text and its samples, what <see cref="PrometheusText"/> writes as one block.</summary>
internal sealed record MetricFamily(string Name, MetricType Type, string Help, IReadOnlyList<MetricSample> Samples);

using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBan.Metrics;

/// <summary>
/// Metric families as the control socket carries them (the answer to <c>metrics</c>, what <c>client --json metrics</c>
/// prints): <c>{"NAME": {"type": "counter", "help": "…", "samples": [{"labels": {"jail": "sshd"}, "value": 3}]}, …}</c>,
/// families in order. The client turns it back into families to print the text format.
/// </summary>
internal static class MetricsJson
{
    public static JsonObject Write(IEnumerable<MetricFamily> families)
    {
        var result = new JsonObject();
        foreach (var family in families)
        {
            var samples = new JsonArray();
            foreach (var sample in family.Samples)
            {
                var labels = new JsonObject();
                foreach (var (label, text) in sample.Labels)
                {
                    labels[label] = text;
                }

                // JSON has no NaN or infinities: those travel as the text format writes them
                JsonNode value = double.IsFinite(sample.Value) ? JsonValue.Create(sample.Value) : JsonValue.Create(PrometheusText.FormatValue(sample.Value));
                samples.Add((JsonNode)new JsonObject { ["labels"] = labels, ["value"] = value }); // the JsonNode overload: AOT-safe
            }

            result[family.Name] = new JsonObject
            {
                ["type"] = family.Type == MetricType.Counter ? "counter" : "gauge",
                ["help"] = family.Help,
                ["samples"] = samples,
            };
        }

        return result;
    }

    /// <summary>The families of <see cref="Write"/>'s shape; null when <paramref name="node"/> is not of that shape.</summary>
    public static IReadOnlyList<MetricFamily>? TryRead(JsonNode? node)
    {
        if (node is not JsonObject families)
        {
            return null;
        }

        var result = new List<MetricFamily>();
        foreach (var (name, value) in families)
        {
            if (value is not JsonObject family
                || Text(family["type"]) is not ("counter" or "gauge") || Text(family["help"]) is not { } help
                || family["samples"] is not JsonArray samples)
            {
                return null;
            }

            var read = new List<MetricSample>();
            foreach (var sample in samples)
            {
                if (sample is not JsonObject s || s["labels"] is not JsonObject labels || Number(s["value"]) is not { } number)
                {
                    return null;
                }

                var pairs = new List<KeyValuePair<string, string>>();
                foreach (var (label, labelValue) in labels)
                {
                    if (Text(labelValue) is not { } text)
                    {
                        return null;
                    }

                    pairs.Add(new(label, text));
                }

                read.Add(new MetricSample(pairs, number));
            }

            result.Add(new MetricFamily(name, Text(family["type"]) == "counter" ? MetricType.Counter : MetricType.Gauge, help, read));
        }

        return result;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static double? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => null,
        },
        _ => null,
    };
}

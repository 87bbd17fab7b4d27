using System.Text.Json.Nodes;
using SharpBan.Metrics;

namespace SharpBan.Tests.Metrics;

public class MetricsJsonTests
{
    private static readonly MetricFamily[] Families =
    [
        new("sharpban_build_info", MetricType.Gauge, "Versions.", [new([new("version", "1.0.0"), new("fail2ban_version", "1.0.2")], 1)]),
        new("sharpban_jail_failed_total", MetricType.Counter, "Failures.", [MetricSample.Labelled("jail", "a\"b", 3), MetricSample.Labelled("jail", "sshd", 0)]),
        new("odd", MetricType.Gauge, "Not finite.", [new(double.NaN), new([new("k", "v")], double.PositiveInfinity)]),
        new("sharpban_jails", MetricType.Gauge, "None yet.", []),
    ];

    [Fact]
    public void Write_Families_IsTheDocumentedShape()
    {
        var json = MetricsJson.Write(Families.Take(2)).ToJsonString();
        Assert.Equal(
            "{\"sharpban_build_info\":{\"type\":\"gauge\",\"help\":\"Versions.\",\"samples\":[{\"labels\":{\"version\":\"1.0.0\",\"fail2ban_version\":\"1.0.2\"},\"value\":1}]},"
            + "\"sharpban_jail_failed_total\":{\"type\":\"counter\",\"help\":\"Failures.\",\"samples\":[{\"labels\":{\"jail\":\"a\\u0022b\"},\"value\":3},{\"labels\":{\"jail\":\"sshd\"},\"value\":0}]}}",
            json);
    }

    [Fact]
    public void TryRead_WhatWriteWrote_RendersTheSameText()
    {
        // through text, as the control socket carries it
        var node = JsonNode.Parse(MetricsJson.Write(Families).ToJsonString());
        var read = MetricsJson.TryRead(node);

        Assert.NotNull(read);
        Assert.Equal(PrometheusText.Render(Families), PrometheusText.Render(read));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{\"x\": 1}")]
    [InlineData("{\"x\": {\"type\": \"histogram\", \"help\": \"\", \"samples\": []}}")]
    [InlineData("{\"x\": {\"type\": \"gauge\", \"samples\": []}}")]
    [InlineData("{\"x\": {\"type\": \"gauge\", \"help\": \"\", \"samples\": {}}}")]
    [InlineData("{\"x\": {\"type\": \"gauge\", \"help\": \"\", \"samples\": [{\"labels\": {}, \"value\": \"3\"}]}}")]
    [InlineData("{\"x\": {\"type\": \"gauge\", \"help\": \"\", \"samples\": [{\"labels\": {\"jail\": 1}, \"value\": 3}]}}")]
    [InlineData("{\"x\": {\"type\": \"gauge\", \"help\": \"\", \"samples\": [{\"value\": 3}]}}")]
    public void TryRead_OtherShapes_AreNull(string json) => Assert.Null(MetricsJson.TryRead(JsonNode.Parse(json)));
}

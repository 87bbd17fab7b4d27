using System.Globalization;
using System.Text;

namespace SharpBan.Metrics;

/// <summary>
/// Prometheus' text exposition format 0.0.4: per family a <c># HELP</c> and a <c># TYPE</c> line, then one line per
/// sample, <c>name{label="value",…} value</c>, every line ending in a line feed. Label values (jail names come from the
/// configuration) are escaped as the format says: backslash, double quote and line feed; the help text's backslash and
/// line feed. Names are checked, not escaped: a bad one is a programming error.
/// </summary>
internal static class PrometheusText
{
    /// <summary>The <c>Content-Type</c> of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <exception cref="ArgumentException">A metric or label name the format does not allow, a counter not ending in
    /// <c>_total</c>, a family name or a sample's label set given twice.</exception>
    public static string Render(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in families)
        {
            CheckFamily(family);
            if (!names.Add(family.Name))
            {
                throw new ArgumentException($"metric family {family.Name} given twice", nameof(families));
            }

            text.Append("# HELP ").Append(family.Name).Append(' ');
            AppendEscaped(text, family.Help, escapeQuote: false);
            text.Append("\n# TYPE ").Append(family.Name).Append(' ').Append(family.Type == MetricType.Counter ? "counter" : "gauge").Append('\n');
            var labelSets = new HashSet<string>(StringComparer.Ordinal);
            foreach (var sample in family.Samples)
            {
                var start = text.Length;
                text.Append(family.Name);
                AppendLabels(text, sample.Labels);
                if (!labelSets.Add(text.ToString(start, text.Length - start)))
                {
                    throw new ArgumentException($"metric {family.Name} has two samples with the same labels", nameof(families));
                }

                text.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A sample value as Go's <c>strconv.ParseFloat</c> reads it: whole numbers without a fraction, <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when value == Math.Floor(value) && Math.Abs(value) < 9007199254740992 => ((long)value).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary><c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</summary>
    public static bool IsMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    /// <summary><c>[a-zA-Z_][a-zA-Z0-9_]*</c>, not starting with <c>__</c> (reserved for Prometheus itself).</summary>
    public static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.StartsWith("__", StringComparison.Ordinal)
        && name.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static void CheckFamily(MetricFamily family)
    {
        if (!IsMetricName(family.Name))
        {
            throw new ArgumentException($"'{family.Name}' is not a metric name", nameof(family));
        }

        if (family.Type == MetricType.Counter && !family.Name.EndsWith("_total", StringComparison.Ordinal))
        {
            throw new ArgumentException($"counter {family.Name} must end in _total", nameof(family));
        }

        foreach (var (label, _) in family.Samples.SelectMany(static s => s.Labels))
        {
            if (!IsLabelName(label))
            {
                throw new ArgumentException($"'{label}' is not a label name ({family.Name})", nameof(family));
            }
        }
    }

    private static void AppendLabels(StringBuilder text, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (labels.Count == 0)
        {
            return;
        }

        text.Append('{');
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(labels[i].Key).Append("=\"");
            AppendEscaped(text, labels[i].Value, escapeQuote: true);
            text.Append('"');
        }

        text.Append('}');
    }

    private static void AppendEscaped(StringBuilder text, string value, bool escapeQuote)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                case '"' when escapeQuote:
                    text.Append("\\\"");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }
}

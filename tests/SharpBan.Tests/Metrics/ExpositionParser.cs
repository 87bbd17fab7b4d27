using System.Globalization;
using System.Text;

namespace SharpBan.Tests.Metrics;

/// <summary>
/// A strict reader of Prometheus' text format 0.0.4 for the tests: stricter than Prometheus (no blank lines, no other
/// comments, no timestamps, HELP and TYPE for every family before its samples, a family's samples in one group,
/// counters ending in <c>_total</c>, only the three escapes of a label value), so that what passes here passes any
/// scraper. Throws <see cref="FormatException"/> with the line number; returns every sample by name and labels.
/// </summary>
internal static class ExpositionParser
{
    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    internal sealed record Family(string Name, string Type, string Help, List<Sample> Samples);

    public static IReadOnlyList<Family> Parse(string text)
    {
        if (text.Length == 0 || text[^1] != '\n')
        {
            throw new FormatException("the text must end with a line feed");
        }

        var families = new List<Family>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        string? helpFor = null, help = null;
        Family? current = null;
        var lines = text[..^1].Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var where = $"line {i + 1} '{line}'";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                var name = space < 0 ? rest : rest[..space];
                Check(IsMetricName(name) && !done.Contains(name) && current?.Name != name, where + ": HELP of a new family expected");
                helpFor = name;
                help = Unescape(space < 0 ? "" : rest[(space + 1)..], quoteAllowed: false, where);
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                Check(parts.Length == 2 && parts[0] == helpFor && parts[1] is "counter" or "gauge", where + ": TYPE right after its HELP, counter or gauge");
                Check(parts[1] != "counter" || parts[0].EndsWith("_total", StringComparison.Ordinal), where + ": a counter's name ends in _total");
                if (current is not null)
                {
                    done.Add(current.Name);
                }

                current = new Family(parts[0], parts[1], help!, []);
                families.Add(current);
                helpFor = null;
                continue;
            }

            Check(line.Length > 0 && line[0] != '#', where + ": no blank lines or other comments");
            Check(current is not null && helpFor is null, where + ": a sample before its family's HELP and TYPE");
            current!.Samples.Add(ParseSample(line, current, where));
        }

        Check(helpFor is null, "a HELP without its TYPE at the end");
        return families;
    }

    /// <summary>The value of the sample <paramref name="name"/> with the label <c>jail</c> (or none); throws when absent.</summary>
    public static double Value(IReadOnlyList<Family> families, string name, string? jail = null) =>
        families.SelectMany(f => f.Samples).Single(s => s.Name == name && (jail is null ? s.Labels.Count == 0 : s.Labels.GetValueOrDefault("jail") == jail)).Value;

    private static Sample ParseSample(string line, Family family, string where)
    {
        var nameEnd = line.IndexOfAny(['{', ' ']);
        Check(nameEnd > 0, where + ": a sample needs a value");
        var name = line[..nameEnd];
        Check(name == family.Name, where + $": sample of {name} inside family {family.Name}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = nameEnd;
        if (line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                Check(eq > i, where + ": label name");
                var label = line[i..eq];
                Check(IsLabelName(label) && !labels.ContainsKey(label), where + $": label name '{label}'");
                Check(eq + 1 < line.Length && line[eq + 1] == '"', where + ": a label value is quoted");
                var value = new StringBuilder();
                var j = eq + 2;
                for (; j < line.Length && line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        Check(j < line.Length && line[j] is '\\' or '"' or 'n', where + ": only \\\\, \\\" and \\n are escapes");
                        value.Append(line[j] == 'n' ? '\n' : line[j]);
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }

                Check(j < line.Length, where + ": unterminated label value");
                labels[label] = value.ToString();
                i = j + 1;
                Check(i < line.Length && line[i] is ',' or '}', where + ": ',' or '}' after a label");
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        Check(i < line.Length && line[i] == ' ', where + ": one space before the value");
        var text = line[(i + 1)..];
        Check(text.Length > 0 && !text.Contains(' ', StringComparison.Ordinal), where + ": one value, no timestamp");
        double number = text switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ when double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw new FormatException(where + ": not a number"),
        };
        Check(!family.Samples.Any(s => s.Labels.Count == labels.Count && !s.Labels.Except(labels).Any()), where + ": the same labels twice");
        return new Sample(name, labels, number);
    }

    private static string Unescape(string text, bool quoteAllowed, string where)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                sb.Append(text[i]);
                continue;
            }

            i++;
            Check(i < text.Length && (text[i] is '\\' or 'n' || (quoteAllowed && text[i] == '"')), where + ": a bad escape");
            sb.Append(text[i] == 'n' ? '\n' : text[i]);
        }

        return sb.ToString();
    }

    private static bool IsMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.StartsWith("__", StringComparison.Ordinal) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FormatException(message);
        }
    }
}

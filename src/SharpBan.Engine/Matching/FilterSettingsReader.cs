using System.Globalization;
using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;

namespace SharpBan.Engine.Matching;

/// <summary>Builds <see cref="FilterSettings"/> from a filter file, the way the config stream feeds a jail's filter.</summary>
internal static class FilterSettingsReader
{
    /// <summary>Reads <c>filter.d/&lt;name&gt;</c> with jail-given options; null when the filter does not exist.</summary>
    public static FilterSettings? Read(ConfigFileCache cache, string name, OrderedDictionary<string, string> options, ICollection<ConfigDiagnostic> diagnostics, string? backend = null)
    {
        var reader = new FilterFileReader(cache, name, "jail", new OrderedDictionary<string, string>(options, StringComparer.Ordinal));
        if (!reader.Read())
        {
            return null;
        }

        if (backend is not null)
        {
            reader.ApplyBackend(backend);
        }

        reader.ReadOptions(new OrderedDictionary<string, object?>(StringComparer.Ordinal), all: false, diagnostics);
        var stream = new List<IReadOnlyList<object?>>();
        reader.Convert(stream, diagnostics);
        return FromStream(stream);
    }

    /// <summary>Applies <c>set</c>/<c>multi-set</c> commands of a jail stream to filter settings.</summary>
    public static FilterSettings FromStream(IEnumerable<IReadOnlyList<object?>> stream)
    {
        var settings = new FilterSettings();
        var fail = new List<string>();
        var ignore = new List<string>();
        foreach (var command in stream)
        {
            if (command.Count < 4)
            {
                continue;
            }

            var values = command[0] as string == "multi-set" && command[3] is IEnumerable<object?> list
                ? list.Select(static v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToList()
                : [Convert.ToString(command[3], CultureInfo.InvariantCulture) ?? ""];
            switch (command[2] as string)
            {
                case "addfailregex":
                    fail.AddRange(values);
                    break;
                case "addignoreregex":
                    ignore.AddRange(values);
                    break;
                case "prefregex":
                    settings = settings with { PrefRegex = values[0] };
                    break;
                case "maxlines":
                    settings = settings with { MaxLines = int.Parse(values[0], CultureInfo.InvariantCulture) };
                    break;
                case "datepattern":
                    settings = settings with { DatePattern = values[0] };
                    break;
                case "usedns":
                    _ = UseDnsParser.TryParse(values[0], out var mode); // unknown values mean "no", as fail2ban
                    settings = settings with { UseDns = mode };
                    break;
                case "logtimezone":
                    settings = settings with { LogTimeZone = values[0] };
                    break;
            }
        }

        return settings with { FailRegex = fail, IgnoreRegex = ignore };
    }
}

namespace SharpBan.Engine.Config.Resolution;

/// <summary>Reads <c>filter.d/&lt;name&gt;</c> for one jail and produces its part of the config stream.</summary>
internal sealed class FilterFileReader(ConfigFileCache cache, string name, string jailName, OrderedDictionary<string, string> options)
    : DefinitionFileReader(cache, PyPath.DefinitionUnit("filter.d", name), jailName, options)
{
    public static readonly IReadOnlyList<OptionSpec> FilterSpecs =
    [
        new("usedns", OptionKind.String),
        new("prefregex", OptionKind.String),
        new("ignoreregex", OptionKind.String),
        new("failregex", OptionKind.String),
        new("maxlines", OptionKind.Int),
        new("datepattern", OptionKind.String),
        new("journalmatch", OptionKind.String),
    ];

    public string Name { get; } = name;

    protected override IReadOnlyList<OptionSpec> Specs => FilterSpecs;

    /// <summary>Chooses <c>logtype</c> from the backend (journal for <c>systemd*</c>) unless the jail or filter sets it.</summary>
    public void ApplyBackend(string backend)
    {
        if ((!InitOptions.TryGetValue("logtype", out var logtype) || string.IsNullOrEmpty(logtype))
            && !(Config?.HasOwnOption(Definition, "logtype") ?? false))
        {
            InitOptions["logtype"] = backend.StartsWith("systemd", StringComparison.Ordinal) ? "journal" : "file";
        }
    }

    public void Convert(List<IReadOnlyList<object?>> stream, ICollection<ConfigDiagnostic> diagnostics)
    {
        var options = Combined([], diagnostics);
        if (options.Count > 0)
        {
            FillStream(stream, options, JailName);
        }
    }

    /// <summary>Adds the filter options found in <paramref name="options"/> to a jail's stream, in server order.</summary>
    public static void FillStream(List<IReadOnlyList<object?>> stream, OrderedDictionary<string, object?> options, string jail)
    {
        var priorityIndex = 0;
        foreach (var (option, value) in options)
        {
            if (value is null)
            {
                continue;
            }

            switch (option)
            {
                case "failregex" or "ignoreregex":
                    var lines = ((string)value).Split('\n').Where(static l => l.Length > 0).ToList<object?>();
                    if (lines.Count > 1)
                    {
                        stream.Add(["multi-set", jail, "add" + option, lines]);
                    }
                    else if (lines.Count == 1)
                    {
                        stream.Add(["set", jail, "add" + option, lines[0]]);
                    }

                    break;
                case "usedns" or "maxlines" or "prefregex":
                    // usedns before everything (regexes depend on it), then prefregex/maxlines
                    stream.Insert(option == "usedns" ? 0 : Math.Min(priorityIndex, stream.Count), ["set", jail, option, value]);
                    priorityIndex++;
                    break;
                case "journalmatch":
                    foreach (var match in ((string)value).Split('\n'))
                    {
                        if (match.Length > 0)
                        {
                            stream.Add(["set", jail, "addjournalmatch", .. ShellWords.Split(match)]);
                        }
                    }

                    break;
                default:
                    // fail2ban tests `opt in ('datepattern')`, a substring test: any option whose name is part of
                    // "datepattern" is sent as a plain set (kept for identical streams)
                    if ("datepattern".Contains(option, StringComparison.Ordinal))
                    {
                        stream.Add(["set", jail, option, value]);
                    }

                    break;
            }
        }
    }
}

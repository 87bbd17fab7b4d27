namespace SharpBan.Engine.Config.Resolution;

/// <summary>Reads <c>action.d/&lt;name&gt;.conf</c> for one jail and produces its <c>addaction</c>/<c>action</c> commands.</summary>
internal sealed class ActionFileReader : DefinitionFileReader
{
    public static readonly IReadOnlyList<OptionSpec> ActionSpecs =
    [
        new("actionstart", OptionKind.String),
        new("actionstart_on_demand", OptionKind.Bool),
        new("actionstop", OptionKind.String),
        new("actionflush", OptionKind.String),
        new("actionreload", OptionKind.String),
        new("actioncheck", OptionKind.String),
        new("actionrepair", OptionKind.String),
        new("actionrepair_on_unban", OptionKind.Bool),
        new("actionban", OptionKind.String),
        new("actionprolong", OptionKind.String),
        new("actionreban", OptionKind.String),
        new("actionunban", OptionKind.String),
        new("norestored", OptionKind.Bool),
    ];

    /// <summary>Tags resolved per ban at run time, never by the client.</summary>
    private static readonly string[] RunTimeTags = ["matches", "ipmatches", "ipjailmatches", "timeout", "bantime"];

    private static readonly HashSet<string> SpecNames = ActionSpecs.Select(static s => s.Name).ToHashSet(StringComparer.Ordinal);

    public ActionFileReader(ConfigFileCache cache, string file, string jailName, OrderedDictionary<string, string> options)
        : base(cache, PyPath.DefinitionUnit("action.d", file), jailName, WithNames(file, jailName, options))
    {
        ActionName = InitOptions["actname"];
    }

    /// <summary>The action's name in the jail: <c>actname</c>, else the file name made unique by a non-default <c>name</c>.</summary>
    public string ActionName { get; }

    protected override IReadOnlyList<OptionSpec> Specs => ActionSpecs;

    private static OrderedDictionary<string, string> WithNames(string file, string jailName, OrderedDictionary<string, string> options)
    {
        if (!options.TryGetValue("name", out var name))
        {
            name = jailName;
            options["name"] = name;
        }

        if (!options.ContainsKey("actname"))
        {
            var actname = file;
            if (!name.Equals(jailName, StringComparison.Ordinal))
            {
                actname += name.StartsWith(jailName, StringComparison.Ordinal) ? name[jailName.Length..] : "-" + name;
            }

            options["actname"] = actname;
        }

        return options;
    }

    public void Convert(List<IReadOnlyList<object?>> stream, ICollection<ConfigDiagnostic> diagnostics)
    {
        var options = Combined(RunTimeTags, diagnostics);
        stream.Add(["set", JailName, "addaction", ActionName]);
        var properties = new List<object?>();
        foreach (var (option, value) in options)
        {
            if (SpecNames.Contains(option) && !option.StartsWith("known/", StringComparison.Ordinal))
            {
                properties.Add(new List<object?> { option, value });
            }
        }

        foreach (var (option, value) in InitOptions)
        {
            if (!SpecNames.Contains(option) && !option.StartsWith("known/", StringComparison.Ordinal))
            {
                properties.Add(new List<object?> { option, value });
            }
        }

        if (properties.Count > 1)
        {
            stream.Add(["multi-set", JailName, "action", ActionName, properties]);
        }
        else if (properties.Count == 1)
        {
            stream.Add(["set", JailName, "action", ActionName, .. (List<object?>)properties[0]!]);
        }
    }
}

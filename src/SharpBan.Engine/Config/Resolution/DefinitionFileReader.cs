namespace SharpBan.Engine.Config.Resolution;

/// <summary>
/// Shared reading of filter and action files: <c>[Definition]</c> options, overridden by <c>[Init]</c> options,
/// overridden by options given in the jail (<c>name[k=v]</c>); <c>known/&lt;opt&gt;</c> holds a file's own
/// <c>[Init]</c> value; <c>&lt;tag&gt;</c> references resolved among the combined options.
/// </summary>
internal abstract class DefinitionFileReader
{
    public const string Definition = "Definition";
    public const string Init = "Init";

    private readonly Dictionary<string, string?> _combinedCache = new(StringComparer.Ordinal);
    private Dictionary<string, string> _vars = new(StringComparer.Ordinal);
    private OrderedDictionary<string, string?> _opts = new(StringComparer.Ordinal);

    protected DefinitionFileReader(ConfigFileCache cache, string unit, string jailName, OrderedDictionary<string, string> initOptions)
    {
        Cache = cache;
        Unit = unit;
        JailName = jailName;
        InitOptions = initOptions;
    }

    public string Unit { get; }

    /// <summary>
    /// A file named explicitly (fail2ban-regex with a filter file outside <c>filter.d</c>): exactly that file and its
    /// <c>.local</c> are read, as fail2ban's <c>readexplicit</c>, instead of the unit's <c>.conf</c>/<c>.local</c>.
    /// </summary>
    public string? ExplicitFile { get; init; }

    public string JailName { get; }

    public ConfigSet? Config { get; private set; }

    /// <summary>Options given in the jail, then completed with the file's <c>[Init]</c> values.</summary>
    public OrderedDictionary<string, string> InitOptions { get; }

    protected ConfigFileCache Cache { get; }

    protected abstract IReadOnlyList<OptionSpec> Specs { get; }

    public bool Read()
    {
        Config = ExplicitFile is { } file ? Cache.LoadExplicit(file) : Cache.LoadUnit(Unit);
        return Config is not null;
    }

    /// <summary>Reads the known options of <c>[Definition]</c> that neither the jail nor <c>[Init]</c> gives.</summary>
    public void ReadOptions(OrderedDictionary<string, object?>? jailOptions, bool all, ICollection<ConfigDiagnostic> diagnostics)
    {
        var config = Config ?? throw new InvalidOperationException("Read() first");
        var given = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        if (jailOptions is not null)
        {
            foreach (var (k, v) in jailOptions)
            {
                given[k] = v;
            }
        }

        foreach (var (k, v) in InitOptions)
        {
            given[k] = v;
        }

        _vars = OptionReading.AsVars(given);
        _opts = new OrderedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var spec in Specs)
        {
            if (given.ContainsKey(spec.Name))
            {
                continue;
            }

            switch (config.TryGet(Definition, spec.Name, _vars, out var value))
            {
                case LookupResult.Found:
                    _opts[spec.Name] = value;
                    break;
                case LookupResult.NoSection:
                    // a file without [Definition]: fail2ban sets every known option to None (an action streams them as null)
                    _opts[spec.Name] = null;
                    break;
            }
        }

        if (config.HasSection(Init))
        {
            foreach (var option in config.OwnOptions(Init))
            {
                if (option == ConfigSet.NameOption)
                {
                    continue;
                }

                string? value = null;
                if (!option.StartsWith("known/", StringComparison.Ordinal))
                {
                    config.TryGet(Init, option, null, out var v);
                    value = v;
                    InitOptions["known/" + option] = value;
                }

                if (!InitOptions.ContainsKey(option))
                {
                    if (value is null)
                    {
                        config.TryGet(Init, option, null, out var v);
                        value = v;
                    }

                    InitOptions[option] = value;
                }
            }
        }

        if (all && config.HasSection(Definition))
        {
            // the section's own options only (fail2ban's reader asks for them without [DEFAULT]'s)
            foreach (var option in config.OwnOptions(Definition))
            {
                if (option == ConfigSet.NameOption || _opts.ContainsKey(option))
                {
                    continue;
                }

                if (config.TryGet(Definition, option, null, out var value) == LookupResult.Found)
                {
                    _opts[option] = value;
                }
            }
        }
    }

    /// <summary>A <c>[Definition]</c> option, interpolated with the jail's and <c>[Init]</c> values (null when absent).</summary>
    public string? DefinitionValue(string name) => CombinedOption(name);

    /// <summary>Whether the file (with its includes) has a <c>[Definition]</c> section at all.</summary>
    public bool HasDefinition => Config!.HasSection(Definition);

    /// <summary>A <c>[Definition]</c> option looked up for an otherwise unknown tag (also <c>&lt;sec/opt&gt;</c>).</summary>
    private string? CombinedOption(string name)
    {
        if (!_combinedCache.TryGetValue(name, out var value))
        {
            value = Config!.TryGetEx(Definition, name, _vars, out var v) == LookupResult.Found ? v : null;
            _combinedCache[name] = value;
        }

        return value;
    }

    /// <summary>Definition, Init and jail options combined, with tags resolved and known options converted.</summary>
    public OrderedDictionary<string, object?> Combined(IEnumerable<string> ignore, ICollection<ConfigDiagnostic> diagnostics)
    {
        var combined = new OrderedDictionary<string, string?>(_opts, StringComparer.Ordinal);
        foreach (var (k, v) in InitOptions)
        {
            combined[k] = v;
        }

        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        if (combined.Count == 0)
        {
            return result;
        }

        var skip = new HashSet<string>(ignore, StringComparer.Ordinal);
        foreach (var key in combined.Keys)
        {
            var q = ConfigSet.FindCondition(key);
            if (q > 0)
            {
                skip.Add(key[..q]);
            }
        }

        // options without a value (None) are neither substituted nor substitutes; they keep their place
        var values = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in combined)
        {
            if (v is not null)
            {
                values[k] = v;
            }
        }

        var substituted = TagSubstitution.Substitute(values, skip, CombinedOption);
        foreach (var (k, v) in combined)
        {
            result[k] = v is null ? null : substituted[k];
        }

        foreach (var spec in Specs)
        {
            if (spec.Kind != OptionKind.String && result.TryGetValue(spec.Name, out var raw) && raw is string text)
            {
                result[spec.Name] = OptionReading.Convert(null, Unit, spec, text, diagnostics);
            }
        }

        return result;
    }
}

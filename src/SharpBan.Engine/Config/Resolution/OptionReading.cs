namespace SharpBan.Engine.Config.Resolution;

/// <summary>Reads a list of known options from one section, converting ints and booleans, recording problems.</summary>
internal static class OptionReading
{
    public static OrderedDictionary<string, object?> Read(
        ConfigSet config,
        string section,
        IReadOnlyList<OptionSpec> specs,
        IReadOnlyDictionary<string, string>? vars,
        ICollection<ConfigDiagnostic> diagnostics,
        bool convert = true,
        IReadOnlySet<string>? skip = null)
    {
        var values = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (skip is not null && skip.Contains(spec.Name))
            {
                continue;
            }

            switch (config.TryGet(section, spec.Name, vars, out var text))
            {
                case LookupResult.NoSection:
                    values[spec.Name] = spec.Default;
                    break;
                case LookupResult.NoOption:
                    if (spec.Default is not null)
                    {
                        values[spec.Name] = spec.Default;
                    }

                    break;
                default:
                    values[spec.Name] = convert ? Convert(config, section, spec, text, diagnostics) : text;
                    break;
            }
        }

        return values;
    }

    public static object? Convert(ConfigSet? config, string section, OptionSpec spec, string text, ICollection<ConfigDiagnostic> diagnostics)
    {
        switch (spec.Kind)
        {
            case OptionKind.Int:
                if (PyText.TryParseInt(text, out var number))
                {
                    return number;
                }

                // fail2ban warns and uses the default ("Using default one"): the jail still starts, -t passes, a reload is not refused
                diagnostics.Add(ConfigDiagnostic.Warning(
                    $"Wrong value for {PyText.Repr(spec.Name)} in {PyText.Repr(section)}: {PyText.Repr(text)} is not an integer; using the default",
                    config?.RawValue(section, spec.Name)?.Location ?? SourceLocation.None,
                    section,
                    spec.Name));
                return spec.Default;
            case OptionKind.Bool:
                return PyText.AsBool(text);
            default:
                return text;
        }
    }

    /// <summary>The string view of resolved options that <c>%(…)s</c> lookups see (lower-case keys, Python <c>str()</c>).</summary>
    public static Dictionary<string, string> AsVars(IEnumerable<KeyValuePair<string, object?>> options)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options)
        {
            if (PyText.Str(value) is { } s)
            {
                vars[PyText.Lower(key)] = s;
            }
        }

        return vars;
    }
}

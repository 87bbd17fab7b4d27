namespace SharpBan.Engine.Config.Ini;

/// <summary>
/// One parsed configuration file: its <c>[DEFAULT]</c> options and its sections (case-sensitive names, option
/// names lower-cased), in file order, with every value's location, plus the problems found while parsing.
/// </summary>
public sealed class IniFile
{
    internal IniFile(
        string path,
        OrderedDictionary<string, ConfigValue> defaults,
        OrderedDictionary<string, OrderedDictionary<string, ConfigValue>> sections,
        IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        Path = path;
        Defaults = defaults;
        Sections = sections;
        Diagnostics = diagnostics;
    }

    public string Path { get; }

    public OrderedDictionary<string, ConfigValue> Defaults { get; }

    public OrderedDictionary<string, OrderedDictionary<string, ConfigValue>> Sections { get; }

    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; }
}

namespace SharpBan.Engine.Config.Ini;

/// <summary>
/// One parsed configuration file: its <c>[DEFAULT]</c> options and its sections (case-sensitive names, option
/// names lower-cased), in file order, with every value's location, plus the problems found while parsing.
/// </summary>
internal sealed class IniFile
{
    internal IniFile(
        string path,
        OrderedDictionary<string, ConfigValue> defaults,
        OrderedDictionary<string, OrderedDictionary<string, ConfigValue>> sections,
        IReadOnlyDictionary<string, SourceLocation> headers,
        IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        Headers = headers;
        Path = path;
        Defaults = defaults;
        Sections = sections;
        Diagnostics = diagnostics;
    }

    public string Path { get; }

    public OrderedDictionary<string, ConfigValue> Defaults { get; }

    public OrderedDictionary<string, OrderedDictionary<string, ConfigValue>> Sections { get; }

    /// <summary>Where each section's first header is in this file.</summary>
    public IReadOnlyDictionary<string, SourceLocation> Headers { get; }

    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; }
}

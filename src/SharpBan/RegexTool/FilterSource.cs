using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;

namespace SharpBan.RegexTool;

/// <summary>
/// Turns the FILTER argument into filter settings: a filter name with options (<c>sshd[mode=aggressive]</c>)
/// found in <c>CONFIG/filter.d</c>, a filter file path, or a literal failregex.
/// </summary>
internal static class FilterSource
{
    public static (FilterSettings Settings, string Description) Resolve(string filter, string configDirectory, List<ConfigDiagnostic> diagnostics)
    {
        var (name, options) = OptionList.Extract(filter);
        var isPath = name.Contains('/', StringComparison.Ordinal) || name.EndsWith(".conf", StringComparison.Ordinal) || name.EndsWith(".local", StringComparison.Ordinal);
        if (isPath && File.Exists(name))
        {
            var full = Path.GetFullPath(name);
            var dir = Path.GetDirectoryName(full)!;
            var baseDir = Path.GetFileName(dir) == "filter.d" ? Path.GetDirectoryName(dir)! : dir;
            var unit = Path.GetFileNameWithoutExtension(full);
            var cache = new ConfigFileCache(baseDir);
            var settings = Path.GetFileName(dir) == "filter.d"
                ? FilterSettingsReader.Read(cache, unit, options, diagnostics)
                : FilterSettingsReader.Read(new ConfigFileCache(Path.GetDirectoryName(dir)!), Path.Join("..", Path.GetFileName(dir), unit), options, diagnostics);
            if (settings is not null)
            {
                return (settings, $"{unit}, basedir: {baseDir}");
            }
        }

        if (!isPath && IsName(name))
        {
            var settings = FilterSettingsReader.Read(new ConfigFileCache(configDirectory), name, options, diagnostics);
            if (settings is not null)
            {
                return (settings, $"{name}, basedir: {configDirectory}");
            }
        }

        return (new FilterSettings { FailRegex = [filter] }, "line");
    }

    private static bool IsName(string s) => s.Length > 0 && s.All(static c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '@');
}

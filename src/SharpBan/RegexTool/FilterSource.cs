using System.Text.RegularExpressions;
using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Engine.Matching;

namespace SharpBan.RegexTool;

/// <summary>Where the FILTER argument of <c>sharpban regex</c> came from.</summary>
internal enum FilterOrigin
{
    /// <summary>A filter of a configuration directory (<c>sshd</c>, <c>sshd[mode=aggressive]</c>, <c>DIR/filter.d/sshd.conf</c>).</summary>
    FilterFile,

    /// <summary>A filter file outside any <c>filter.d</c> directory.</summary>
    ForeignFile,

    /// <summary>A literal failregex.</summary>
    Line,
}

/// <summary>The resolved FILTER argument: settings plus what the report header says about it.</summary>
/// <param name="Name">The filter name (or the path as given for a foreign file, the regex for a line).</param>
/// <param name="Stream">The filter's config-stream commands (<c>set … maxlines</c>, <c>addjournalmatch</c>…), in order.</param>
/// <param name="RealOptions">fail2ban-regex's "Real filter options" (<c>-vv</c>): <c>logtype</c>, <c>datepattern</c> and
/// each option given to the filter or set by its <c>[Init]</c>, as the filter ends up with them; null for a literal failregex.</param>
internal sealed record ResolvedFilter(
    FilterSettings Settings,
    FilterOrigin Origin,
    string Name,
    string? BaseDirectory,
    OrderedDictionary<string, string> Options,
    IReadOnlyList<IReadOnlyList<object?>> Stream,
    OrderedDictionary<string, object?>? RealOptions = null)
{
    /// <summary>fail2ban's INFO log lines of reading the filter's files, in order: (logger, message).</summary>
    public IReadOnlyList<(string Logger, string Message)> LoadLog { get; init; } = [];

    /// <summary>The last journalmatch of the filter as words (fail2ban-regex keeps only the last), or null.</summary>
    public IReadOnlyList<string>? JournalMatch =>
        Stream.LastOrDefault(static c => c.Count >= 3 && c[2] as string == "addjournalmatch") is { } m
            ? [.. m.Skip(3).Select(static w => w as string ?? "")]
            : null;
}

/// <summary>
/// Turns the FILTER argument into filter settings the way fail2ban-regex does: a filter name with options
/// (<c>sshd[mode=aggressive]</c>, also <c>sshd.conf</c>) found in <c>CONFIG/filter.d</c>, a filter file path, or else a
/// literal failregex.
/// </summary>
internal static partial class FilterSource
{
    [GeneratedRegex(@"^/{0,3}[\w/_\-.]+(?:\[.*\])?$", RegexOptions.Singleline)]
    private static partial Regex FilterLike();

    /// <param name="backend">The LOG's backend (<c>systemd</c> for the journal: the filter's <c>logtype</c> becomes journal).</param>
    public static ResolvedFilter Resolve(string filter, string configDirectory, List<ConfigDiagnostic> diagnostics, string backend = "auto")
    {
        if (FilterLike().IsMatch(filter))
        {
            var (name, options) = OptionList.Extract(filter);
            if (FindFile(name, configDirectory) is var (file, baseDir))
            {
                return Read(name, file, baseDir, configDirectory, options, diagnostics, backend)
                    ?? throw new ConfigException($"failed to load filter {filter}");
            }
        }

        return new ResolvedFilter(new FilterSettings { FailRegex = [filter] }, FilterOrigin.Line, filter, null, new(StringComparer.Ordinal), []);
    }

    /// <summary>fail2ban-regex's search: <c>NAME</c>, <c>NAME.conf</c>, <c>NAME.local</c> (only NAME when it has an extension).</summary>
    private static (string File, string BaseDirectory)? FindFile(string name, string configDirectory)
    {
        string[] tries = name[Math.Max(0, name.Length - 6)..].Contains('.', StringComparison.Ordinal) ? [name] : [name, name + ".conf", name + ".local"];
        foreach (var candidate in tries)
        {
            string file, baseDir;
            if (!candidate.Contains('/', StringComparison.Ordinal))
            {
                baseDir = configDirectory;
                file = Path.GetFileName(configDirectory) == "filter.d" ? Path.Join(configDirectory, candidate) : Path.Join(configDirectory, "filter.d", candidate);
            }
            else
            {
                file = candidate;
                baseDir = Path.GetDirectoryName(candidate) ?? "";
            }

            if (File.Exists(file))
            {
                return (file, baseDir);
            }
        }

        return null;
    }

    private static ResolvedFilter? Read(
        string name, string file, string baseDir, string configDirectory, OrderedDictionary<string, string> options, List<ConfigDiagnostic> diagnostics, string backend)
    {
        var standard = baseDir == configDirectory || Path.GetFileName(baseDir) == "filter.d"
            || (!name[Math.Max(0, name.Length - 6)..].Contains('.', StringComparison.Ordinal) && !name.Contains('/', StringComparison.Ordinal));
        var full = Path.GetFullPath(file);
        var dir = Path.GetDirectoryName(full)!;
        var unit = Path.GetFileNameWithoutExtension(full);
        string reportedBase;
        FilterFileReader reader;
        var loadLog = new List<(string, string)>();
        ConfigFileCache Cache(string root) => new(root) { FilesLoading = m => loadLog.Add(("fail2ban.configparserinc", m)) };
        ConfigFileCache cache;
        if (standard)
        {
            reportedBase = Path.GetFileName(baseDir) == "filter.d" ? Path.GetDirectoryName(baseDir)! : baseDir;
            var root = Path.GetFileName(dir) == "filter.d" ? Path.GetDirectoryName(dir)! : dir;
            reader = Path.GetFileName(dir) == "filter.d"
                ? new FilterFileReader(cache = Cache(root), unit, "fail2ban-regex-jail", new(options, StringComparer.Ordinal))
                : new FilterFileReader(cache = Cache(Path.GetDirectoryName(dir)!), Path.Join("..", Path.GetFileName(dir), unit), "fail2ban-regex-jail", new(options, StringComparer.Ordinal));
            loadLog.Add(("fail2ban.configreader", $"Loading configs for filter.d/{unit} under {reportedBase.TrimEnd('/')} "));
        }
        else
        {
            reportedBase = dir;
            reader = new FilterFileReader(cache = Cache(Path.GetDirectoryName(dir)!), Path.Join("..", Path.GetFileName(dir), unit), "fail2ban-regex-jail", new(options, StringComparer.Ordinal))
            {
                ExplicitFile = full,
            };
        }

        var read = reader.Read();
        diagnostics.AddRange(cache.Diagnostics); // the files' own problems (not valid INI, duplicate options)
        if (!read)
        {
            return null;
        }

        reader.ApplyBackend(backend);
        reader.ReadOptions(new OrderedDictionary<string, object?>(StringComparer.Ordinal), all: false, diagnostics);
        var stream = new List<IReadOnlyList<object?>>();
        reader.Convert(stream, diagnostics);
        var combined = reader.Combined([], diagnostics);
        var real = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        // the filter options as the reader completed them (fail2ban-regex prints its argument dict, which the reader fills)
        foreach (var key in (IEnumerable<string>)["logtype", "datepattern", .. reader.InitOptions.Keys])
        {
            if (combined.TryGetValue(key, out var value) || reader.DefinitionValue(key) is { } definition && (value = definition) is not null)
            {
                real[key] = value;
            }
            else if (!reader.HasDefinition)
            {
                real[key] = null; // fail2ban-regex's lookup in a missing [Definition] section answers None
            }
        }

        return new ResolvedFilter(FilterSettingsReader.FromStream(stream), standard ? FilterOrigin.FilterFile : FilterOrigin.ForeignFile,
            standard ? unit : name, reportedBase, options, stream, real) { LoadLog = loadLog };
    }
}

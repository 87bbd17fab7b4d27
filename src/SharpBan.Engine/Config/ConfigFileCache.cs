using System.Text;
using SharpBan.Engine.Config.Ini;

namespace SharpBan.Engine.Config;

/// <summary>
/// Parses each configuration file once per resolution (a filter's <c>common.conf</c> is shared by every filter) and
/// caches each logical unit's merged <see cref="ConfigSet"/>. Owns the diagnostics of reading files.
/// </summary>
internal sealed class ConfigFileCache
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, IniFile?> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfigSet?> _units = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly List<ConfigDiagnostic> _diagnostics = [];

    public ConfigFileCache(string baseDirectory) => BaseDirectory = baseDirectory.TrimEnd('/') is { Length: > 0 } b ? b : "/";

    public string BaseDirectory { get; }

    public IReadOnlyList<ConfigDiagnostic> Diagnostics => _diagnostics;

    /// <summary>
    /// Told fail2ban's <c>"  Loading files: [...]"</c> log lines (logger <c>fail2ban.configparserinc</c>, INFO) as the files
    /// are read: each file of an include chain when first read (one that does not exist too), then each unit's whole
    /// list. Only <c>sharpban regex -l info</c> shows them.
    /// </summary>
    public Action<string>? FilesLoading { get; init; }

    /// <summary>Whether <paramref name="path"/> was read (or tried) already.</summary>
    internal bool IsLoaded(string path) => _files.ContainsKey(path);

    /// <summary>Says that <paramref name="paths"/> are read now (<see cref="FilesLoading"/>).</summary>
    internal void Loading(IReadOnlyList<string> paths)
    {
        if (FilesLoading is { } told && paths.Count > 0)
        {
            told("  Loading files: [" + string.Join(", ", paths.Select(static p => PyText.Repr(p))) + "]");
        }
    }

    internal void Report(ConfigDiagnostic diagnostic) => _diagnostics.Add(diagnostic);

    /// <summary>Parses a file, or returns null when it does not exist or cannot be read (reported once).</summary>
    public IniFile? LoadFile(string path)
    {
        if (_files.TryGetValue(path, out var cached))
        {
            return cached;
        }

        IniFile? file = null;
        try
        {
            if (File.Exists(path))
            {
                var text = StrictUtf8.GetString(File.ReadAllBytes(path));
                if (text.Length > 0 && text[0] == '\uFEFF')
                {
                    text = text[1..];
                }

                file = IniParser.Parse(path, text);
                _diagnostics.AddRange(file.Diagnostics);
            }
        }
        // fail2ban logs a file it cannot decode or open and reads the configuration without it (its -t passes, the
        // server starts): a warning here too, with the offending byte
        catch (DecoderFallbackException ex)
        {
            var bytes = ex.BytesUnknown is { Length: > 0 } b ? "byte 0x" + b[0].ToString("x2", System.Globalization.CultureInfo.InvariantCulture) : "a byte";
            _diagnostics.Add(ConfigDiagnostic.Warning(
                $"Error decoding config file: not valid UTF-8 ({bytes} at position {ex.Index}); the file is not read", new SourceLocation(path, 0)));
        }
        catch (IOException ex)
        {
            _diagnostics.Add(ConfigDiagnostic.Warning($"Could not read config file: {ex.Message}; the file is not read", new SourceLocation(path, 0)));
        }
        catch (UnauthorizedAccessException ex)
        {
            _diagnostics.Add(ConfigDiagnostic.Warning($"Could not read config file: {ex.Message}; the file is not read", new SourceLocation(path, 0)));
        }

        _files[path] = file;
        return file;
    }

    /// <summary>
    /// Reads logical unit <paramref name="name"/> (<c>jail</c>, <c>filter.d/sshd</c>): <c>N.conf</c>, <c>N.d/*.conf</c>,
    /// <c>N.local</c>, <c>N.d/*.local</c>, each with its includes. Null when none of them exists.
    /// </summary>
    public ConfigSet? LoadUnit(string name)
    {
        if (_units.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var basename = PyPath.Join(BaseDirectory, name);
        var candidates = new List<string> { basename + ".conf" };
        var dir = basename + ".d";
        candidates.AddRange(ListDirectory(dir, ".conf"));
        candidates.Add(basename + ".local");
        candidates.AddRange(ListDirectory(dir, ".local"));
        candidates = candidates.Where(static f => File.Exists(f) || Directory.Exists(f)).ToList();
        return _units[name] = candidates.Count > 0 ? Merge(name, candidates) : null;
    }

    /// <summary>
    /// Reads <paramref name="path"/> and the <c>.local</c> beside it (the path without its extension, as Python's
    /// <c>splitext</c>), each with its includes: fail2ban's <c>readexplicit</c>. Null when the file cannot be read.
    /// </summary>
    public ConfigSet? LoadExplicit(string path)
    {
        var key = "\0explicit:" + path;
        if (_units.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var local = Path.Join(Path.GetDirectoryName(path), Path.GetFileNameWithoutExtension(path)) + ".local";
        var candidates = new List<string> { path };
        if (local != path && File.Exists(local))
        {
            candidates.Add(local);
        }

        return _units[key] = File.Exists(path) ? Merge(path, candidates) : null;
    }

    /// <summary>The files (each with its includes) merged in order into one set; null when none could be read.</summary>
    private ConfigSet? Merge(string name, List<string> candidates)
    {
        var set = new ConfigSet(name);
        var paths = IncludeResolver.Expand(this, candidates);
        if (!_diagnostics.Any(d => d.IsSyntax && d.Location.File is { } f && paths.Contains(f, StringComparer.Ordinal)))
        {
            Loading(paths); // fail2ban stops at a file it cannot parse, before it says which files it read
        }
        foreach (var path in paths)
        {
            if (LoadFile(path) is { } file)
            {
                set.Merge(file);
            }
        }

        return set.Files.Count == 0 ? null : set;
    }

    internal bool ReportOnce(string key) => _reported.Add(key);

    private static IEnumerable<string> ListDirectory(string dir, string extension)
    {
        if (!Directory.Exists(dir))
        {
            return [];
        }

        return Directory.EnumerateFiles(dir)
            .Where(f => f.EndsWith(extension, StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}

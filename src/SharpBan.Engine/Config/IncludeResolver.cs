using SharpBan.Engine.Config.Ini;

namespace SharpBan.Engine.Config;

/// <summary>
/// Expands <c>[INCLUDES] before/after</c> recursively: for a file F the order is (before, recursively) + F + (after,
/// recursively); relative names resolve against the including file's directory; every <c>X.conf</c> is followed by
/// <c>X.local</c> when it exists; an include already in the current include chain is skipped (loop guard), and so is
/// the <c>X.local</c> of an include when that <c>X.local</c> is in the chain (<c>X.local</c> saying <c>before = X.conf</c>:
/// fail2ban recurses until Python's recursion limit and fails; docs/compatibility.md).
/// </summary>
internal static class IncludeResolver
{
    public const string IncludesSection = "INCLUDES";

    /// <summary>Include chains deeper than this are cut (a safety net; real configurations nest two or three levels).</summary>
    public const int MaxIncludeDepth = 32;

    public static List<string> Expand(ConfigFileCache cache, IReadOnlyList<string> files) =>
        Expand(cache, files, [], null);

    private static List<string> Expand(ConfigFileCache cache, IReadOnlyList<string> files, List<string> seen, SourceLocation? includedFrom)
    {
        var result = new List<string>();
        foreach (var file in WithLocals(cache, files, seen, includedFrom))
        {
            result.AddRange(ExpandOne(cache, file, seen, includedFrom));
        }

        return result;
    }

    private static IEnumerable<string> WithLocals(ConfigFileCache cache, IReadOnlyList<string> files, List<string> seen, SourceLocation? includedFrom)
    {
        foreach (var file in files)
        {
            yield return file;
            var local = PyPath.WithoutExtension(file) + ".local";
            if (files.Contains(local, StringComparer.Ordinal) || !File.Exists(local))
            {
                continue;
            }

            if (seen.Contains(Path.GetFullPath(local), StringComparer.Ordinal))
            {
                if (includedFrom is { } from && cache.ReportOnce("own-local:" + local))
                {
                    cache.Report(ConfigDiagnostic.Warning(
                        $"include loop: {PyText.Repr(local)} includes {PyText.Repr(file)}, whose .local it is; not read again", from, IncludesSection));
                }

                continue;
            }

            yield return local;
        }
    }

    private static List<string> ExpandOne(ConfigFileCache cache, string resource, List<string> seen, SourceLocation? includedFrom)
    {
        if (!cache.IsLoaded(resource))
        {
            cache.Loading([resource]);
        }

        var file = cache.LoadFile(resource);
        if (file is null)
        {
            if (includedFrom is { } from && !resource.EndsWith(".local", StringComparison.Ordinal) && cache.ReportOnce("missing:" + resource))
            {
                cache.Report(ConfigDiagnostic.Error($"included file {PyText.Repr(resource)} does not exist", from, IncludesSection));
            }

            return [];
        }

        var before = new List<string>();
        var after = new List<string>();
        if (file.Sections.TryGetValue(IncludesSection, out var includes))
        {
            var directory = Path.GetDirectoryName(resource) ?? string.Empty;
            foreach (var (option, target) in new[] { ("before", before), ("after", after) })
            {
                // configparser's options of a section include [DEFAULT]'s: a 'before' in [DEFAULT] counts too
                if (!includes.TryGetValue(option, out var value) && !file.Defaults.TryGetValue(option, out value))
                {
                    continue;
                }

                foreach (var name in IncludeValue(cache, file, option, value).Split('\n'))
                {
                    // names are used as they are (an interpolation may leave a space); an empty one names the
                    // directory, which fail2ban cannot read as a file
                    if (name.Length == 0)
                    {
                        continue;
                    }

                    var path = Path.IsPathRooted(name) ? name : Path.Join(directory, name);

                    // fail2ban compares the path strings and recurses forever on "a/../b" loops; we compare
                    // normalised paths so every loop is cut (a deliberate difference, docs/compatibility.md)
                    if (seen.Contains(Path.GetFullPath(path), StringComparer.Ordinal) || seen.Count >= MaxIncludeDepth)
                    {
                        if (cache.ReportOnce("loop:" + resource + ">" + path))
                        {
                            cache.Report(ConfigDiagnostic.Warning(
                                $"include loop: {PyText.Repr(path)} already includes this file; not read again", value.Location, IncludesSection, option));
                        }

                        continue;
                    }

                    target.AddRange(Expand(cache, [path], [.. seen, Path.GetFullPath(resource)], value.Location));
                }
            }
        }

        return [.. before, resource, .. after];
    }

    /// <summary>The include list as configparser reads it: interpolated within the single file.</summary>
    private static string IncludeValue(ConfigFileCache cache, IniFile file, string option, ConfigValue value)
    {
        if (!value.Raw.Contains('%', StringComparison.Ordinal))
        {
            return value.Raw;
        }

        var single = new ConfigSet(file.Path);
        single.Merge(file);
        try
        {
            return single.TryGet(IncludesSection, option, null, out var v) == LookupResult.Found ? v : value.Raw;
        }
        catch (ConfigException ex)
        {
            // an include list that cannot be interpolated is reported and then used as written
            cache.Report(ex.Diagnostic with { Location = value.Location });
            return value.Raw;
        }
    }
}

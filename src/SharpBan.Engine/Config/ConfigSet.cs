using SharpBan.Engine.Config.Ini;

namespace SharpBan.Engine.Config;

/// <summary>
/// The merged view of one logical configuration unit (<c>jail</c>, <c>filter.d/sshd</c>, …): all its files merged in
/// order. Later files overwrite options one by one; before an option of a section is overwritten its previous raw
/// value is kept in the hidden section <c>KNOWN/&lt;section&gt;</c> for <c>%(known/opt)s</c>. Conditional sections
/// <c>[S?cond]</c> are folded into <c>[S]</c> as <c>key?cond</c>.
/// </summary>
internal sealed partial class ConfigSet
{
    public const string KnownPrefix = "KNOWN/";

    /// <summary>
    /// <c>%(__name__)s</c> is the section's name; an option a user names <c>__name__</c> is left out wherever fail2ban
    /// passes options on (conditional sections, <c>[Init]</c> and <c>[Definition]</c> options, <c>known/</c>).
    /// </summary>
    public const string NameOption = "__name__";

    private readonly List<string> _files = [];
    private readonly Dictionary<string, SourceLocation> _headers = new(StringComparer.Ordinal);

    internal ConfigSet(string name) => Name = name;

    /// <summary>The logical name this set was read for (e.g. <c>filter.d/sshd</c>).</summary>
    public string Name { get; }

    public IReadOnlyList<string> Files => _files;

    internal OrderedDictionary<string, ConfigValue> Defaults { get; } = new(StringComparer.Ordinal);

    internal OrderedDictionary<string, OrderedDictionary<string, ConfigValue>> Sections { get; } = new(StringComparer.Ordinal);

    /// <summary>Section names as the user sees them (hidden <c>KNOWN/*</c> sections left out).</summary>
    public IEnumerable<string> UserSections =>
        Sections.Keys.Where(static n => !n.StartsWith(KnownPrefix, StringComparison.Ordinal));

    public bool HasSection(string section) => Sections.ContainsKey(section);

    /// <summary>Whether <paramref name="section"/> itself (not <c>[DEFAULT]</c>) defines <paramref name="option"/>.</summary>
    public bool HasOwnOption(string section, string option) =>
        Sections.TryGetValue(section, out var s) && s.ContainsKey(option);

    public IReadOnlyList<string> OwnOptions(string section) =>
        Sections.TryGetValue(section, out var s) ? [.. s.Keys] : [];

    /// <summary>The section's own option names followed by the <c>[DEFAULT]</c> names it does not define.</summary>
    public IReadOnlyList<string> OptionsWithDefaults(string section)
    {
        var result = new List<string>();
        if (Sections.TryGetValue(section, out var s))
        {
            result.AddRange(s.Keys);
        }

        foreach (var key in Defaults.Keys)
        {
            if (s is null || !s.ContainsKey(key))
            {
                result.Add(key);
            }
        }

        return result;
    }

    public ConfigValue? RawValue(string section, string option)
    {
        if (Sections.TryGetValue(section, out var s) && s.TryGetValue(option, out var v))
        {
            return v;
        }

        return Defaults.TryGetValue(option, out var d) ? d : null;
    }

    /// <summary>Where section <paramref name="section"/> was first declared (its header line).</summary>
    public SourceLocation SectionLocation(string section) => _headers.GetValueOrDefault(section);

    internal void Merge(IniFile file)
    {
        _files.Add(file.Path);
        foreach (var (header, location) in file.Headers)
        {
            _headers.TryAdd(header, location);
        }

        foreach (var (key, value) in file.Defaults)
        {
            Defaults[key] = value;
        }

        foreach (var (headerName, options) in file.Sections)
        {
            var name = headerName;
            IEnumerable<KeyValuePair<string, ConfigValue>> items = options;
            var condition = FindCondition(headerName);
            if (condition > 0)
            {
                name = headerName[..condition];
                var suffix = headerName[condition..];
                items = options.Where(static kv => kv.Key != NameOption).Select(kv => new KeyValuePair<string, ConfigValue>(kv.Key + suffix, kv.Value));
            }

            if (Sections.TryGetValue(name, out var existing))
            {
                var overwritten = items.Where(kv => existing.ContainsKey(kv.Key)).ToList();
                var known = GetOrAddSection(KnownPrefix + name);
                foreach (var (key, _) in overwritten)
                {
                    known[key] = existing[key];
                }

                foreach (var (key, value) in items)
                {
                    existing[key] = value;
                }
            }
            else
            {
                var copy = new OrderedDictionary<string, ConfigValue>(StringComparer.Ordinal);
                foreach (var (key, value) in items)
                {
                    copy[key] = value;
                }

                Sections[name] = copy;
            }
        }
    }

    /// <summary>Adds <c>[DEFAULT]</c> values that are always available (fail2ban_version, fail2ban_confpath).</summary>
    internal void MergeDefaults(IEnumerable<KeyValuePair<string, string>> values)
    {
        foreach (var (key, value) in values)
        {
            Defaults[key] = new ConfigValue(value, SourceLocation.None);
        }
    }

    /// <summary>Adds options to a section, each name prefixed with <paramref name="prefix"/> (used for <c>known/</c>).</summary>
    internal void MergeSection(string section, IEnumerable<KeyValuePair<string, string>> values, string prefix, SourceLocation location)
    {
        var target = GetOrAddSection(section);
        foreach (var (key, value) in values)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) || key == NameOption)
            {
                continue;
            }

            target[prefix + key] = new ConfigValue(value, location);
        }
    }

    private OrderedDictionary<string, ConfigValue> GetOrAddSection(string name)
    {
        if (!Sections.TryGetValue(name, out var section))
        {
            section = new OrderedDictionary<string, ConfigValue>(StringComparer.Ordinal);
            Sections[name] = section;
        }

        return section;
    }

    /// <summary>Position of the <c>?</c> in a conditional header <c>^(\w+)(\?.+)$</c>, or -1.</summary>
    internal static int FindCondition(string header)
    {
        var q = header.IndexOf('?', StringComparison.Ordinal);
        if (q <= 0 || q == header.Length - 1)
        {
            return -1;
        }

        for (var i = 0; i < q; i++)
        {
            if (!IsWordChar(header[i]))
            {
                return -1;
            }
        }

        return q;
    }

    internal static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}

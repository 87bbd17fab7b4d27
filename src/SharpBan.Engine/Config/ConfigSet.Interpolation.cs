using System.Text;
using System.Text.RegularExpressions;

namespace SharpBan.Engine.Config;

/// <summary>
/// <c>%(name)s</c> interpolation as fail2ban's reader does it: lookups in caller vars, then the section, then
/// <c>[DEFAULT]</c>; <c>%(__name__)s</c>; cross-section <c>%(sec/opt)s</c>, <c>%(default/opt)s</c> and
/// <c>%(known/opt)s</c>; <c>%%</c>; recursion depth 10.
/// </summary>
internal sealed partial class ConfigSet
{
    public const int MaxInterpolationDepth = 10;

    /// <summary>Reads and interpolates <paramref name="option"/> of <paramref name="section"/>.</summary>
    /// <exception cref="ConfigException">The value cannot be interpolated.</exception>
    public LookupResult TryGet(
        string section,
        string option,
        IReadOnlyDictionary<string, string>? vars,
        out string value,
        bool raw = false,
        SourceLocation fallbackLocation = default)
    {
        value = string.Empty;
        OrderedDictionary<string, ConfigValue>? sectionDict = null;
        if (!Sections.TryGetValue(section, out sectionDict) && !section.Equals(Ini.IniParser.DefaultSection, StringComparison.Ordinal))
        {
            return LookupResult.NoSection;
        }

        option = PyText.Lower(option);
        string rawValue;
        SourceLocation location;
        if (vars is not null && vars.TryGetValue(option, out var fromVars))
        {
            rawValue = fromVars;
            location = fallbackLocation;
        }
        else if (sectionDict is not null && sectionDict.TryGetValue(option, out var own))
        {
            rawValue = own.Raw;
            location = own.Location;
        }
        else if (Defaults.TryGetValue(option, out var fromDefaults))
        {
            rawValue = fromDefaults.Raw;
            location = fromDefaults.Location;
        }
        else
        {
            return LookupResult.NoOption;
        }

        if (raw || !rawValue.Contains('%', StringComparison.Ordinal))
        {
            value = rawValue;
            return LookupResult.Found;
        }

        var context = new InterpolationContext(this, section, sectionDict, vars, option, location);
        var sb = new StringBuilder(rawValue.Length);
        context.Interpolate(sb, rawValue, null, 1);
        value = sb.ToString();
        return LookupResult.Found;
    }

    /// <summary>Like <see cref="TryGet"/> but an option name <c>sec/opt</c> reads another section (<c>known/</c>, <c>default/</c>).</summary>
    public LookupResult TryGetEx(string section, string option, IReadOnlyDictionary<string, string>? vars, out string value)
    {
        if (option.Contains('/', StringComparison.Ordinal) && SectionOptionName().Match(option) is { Success: true } m)
        {
            var sec = m.Groups[1].Value;
            var opt = m.Groups[2].Value;
            string[] candidates = sec.Equals("known", StringComparison.OrdinalIgnoreCase)
                ? [KnownPrefix + section, section]
                : [sec.Equals("default", StringComparison.OrdinalIgnoreCase) ? Ini.IniParser.DefaultSection : sec];
            foreach (var candidate in candidates)
            {
                if (TryGet(candidate, opt, null, out value) == LookupResult.Found)
                {
                    return LookupResult.Found;
                }
            }
        }

        return TryGet(section, option, vars, out value);
    }

    [GeneratedRegex(@"^([\w\-]+)/([^\s>]+)$")]
    private static partial Regex SectionOptionName();

    [GeneratedRegex(@"%\(([\w\-]+/([^\)]+))\)s")]
    private static partial Regex SectionOptionReference();

    private sealed class InterpolationContext(
        ConfigSet config,
        string section,
        OrderedDictionary<string, ConfigValue>? sectionDict,
        IReadOnlyDictionary<string, string>? vars,
        string option,
        SourceLocation location)
    {
        public void Interpolate(StringBuilder accum, string rest, Dictionary<string, string>? extras, int depth)
        {
            if (depth > MaxInterpolationDepth)
            {
                throw Fail(
                    $"Recursion limit exceeded in value substitution: option {PyText.Repr(option)} in section {PyText.Repr(section)} "
                    + $"contains an interpolation key which cannot be substituted in {MaxInterpolationDepth} steps. Raw value: {PyText.Repr(RawForMessage(rest))}");
            }

            if (rest.Contains('/', StringComparison.Ordinal) && rest.Contains("%(", StringComparison.Ordinal))
            {
                extras = MapSectionOptions(rest, extras);
            }

            var pos = 0;
            while (pos < rest.Length)
            {
                var p = rest.IndexOf('%', pos);
                if (p < 0)
                {
                    accum.Append(rest, pos, rest.Length - pos);
                    return;
                }

                accum.Append(rest, pos, p - pos);
                var next = p + 1 < rest.Length ? rest[p + 1] : '\0';
                if (next == '%')
                {
                    accum.Append('%');
                    pos = p + 2;
                }
                else if (next == '(')
                {
                    var close = rest.IndexOf(')', p + 2);
                    if (close < 0 || close == p + 2 || close + 1 >= rest.Length || rest[close + 1] != 's')
                    {
                        throw Fail($"bad interpolation variable reference {PyText.Repr(rest[p..])}");
                    }

                    var name = PyText.Lower(rest[(p + 2)..close]);
                    pos = close + 2;
                    if (!TryLookup(name, extras, out var v))
                    {
                        throw Fail(
                            $"Bad value substitution: option {PyText.Repr(option)} in section {PyText.Repr(section)} contains an "
                            + $"interpolation key {PyText.Repr(name)} which is not a valid option name. Raw value: {PyText.Repr(RawForMessage(rest))}");
                    }

                    if (v.Contains('%', StringComparison.Ordinal))
                    {
                        Interpolate(accum, v, extras, depth + 1);
                    }
                    else
                    {
                        accum.Append(v);
                    }
                }
                else
                {
                    throw Fail($"'%' must be followed by '%' or '(', found: {PyText.Repr(rest[p..])}");
                }
            }
        }

        private string RawForMessage(string rest) =>
            sectionDict is not null && sectionDict.TryGetValue(option, out var v) ? v.Raw
            : config.Defaults.TryGetValue(option, out var d) ? d.Raw
            : rest;

        private ConfigException Fail(string message) =>
            new(ConfigDiagnostic.Error(message, location, section, option));

        private bool TryLookup(string name, Dictionary<string, string>? extras, out string value)
        {
            if (name.Equals(NameOption, StringComparison.Ordinal))
            {
                value = section;
                return true;
            }

            if (extras is not null && extras.TryGetValue(name, out value!))
            {
                return true;
            }

            if (vars is not null && vars.TryGetValue(name, out value!))
            {
                return true;
            }

            if (sectionDict is not null && sectionDict.TryGetValue(name, out var own))
            {
                value = own.Raw;
                return true;
            }

            if (config.Defaults.TryGetValue(name, out var d))
            {
                value = d.Raw;
                return true;
            }

            value = string.Empty;
            return false;
        }

        private bool Contains(string key, Dictionary<string, string>? extras) =>
            key.Equals(NameOption, StringComparison.Ordinal)
            || (extras?.ContainsKey(key) ?? false)
            || (vars?.ContainsKey(key) ?? false)
            || (sectionDict?.ContainsKey(key) ?? false)
            || config.Defaults.ContainsKey(key);

        /// <summary>Resolves <c>%(sec/opt)s</c> references of <paramref name="rest"/> to raw values, added to the lookup layer.</summary>
        private Dictionary<string, string>? MapSectionOptions(string rest, Dictionary<string, string>? extras)
        {
            Dictionary<string, string>? result = null;
            foreach (Match m in SectionOptionReference().Matches(rest))
            {
                var sopt = m.Groups[1].Value;
                var opt = m.Groups[2].Value;
                if (Contains(sopt, result ?? extras))
                {
                    continue;
                }

                var sec = sopt[..(sopt.Length - opt.Length - 1)];
                string? v = null;
                var useDefault = false;
                if (sec.Equals("default", StringComparison.OrdinalIgnoreCase))
                {
                    useDefault = true;
                }
                else if (sec.Equals("known", StringComparison.OrdinalIgnoreCase))
                {
                    if (config.Sections.TryGetValue(KnownPrefix + section, out var known) && known.TryGetValue(opt, out var kv))
                    {
                        v = kv.Raw;
                    }
                    else
                    {
                        useDefault = true;
                    }
                }
                else
                {
                    if (!config.Sections.TryGetValue(sec, out var other))
                    {
                        continue;
                    }

                    if (other.TryGetValue(opt, out var ov))
                    {
                        v = ov.Raw;
                    }
                    else
                    {
                        useDefault = true;
                    }
                }

                if (useDefault)
                {
                    if (!config.Defaults.TryGetValue(opt, out var dv))
                    {
                        continue;
                    }

                    v = dv.Raw;
                }

                result ??= extras is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(extras, StringComparer.Ordinal);
                result[sopt] = v!;
            }

            return result ?? extras;
        }
    }
}

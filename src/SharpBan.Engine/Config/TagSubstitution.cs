namespace SharpBan.Engine.Config;

/// <summary>
/// Resolves <c>&lt;tag&gt;</c> references among a set of options until nothing changes: innermost tags first (so
/// <c>&lt;lt_&lt;logtype&gt;/x&gt;</c> works), unknown tags kept verbatim, self-reference or more than
/// <see cref="MaxReplacements"/> replacements of one tag inside one value rejected.
/// </summary>
internal static class TagSubstitution
{
    public const int MaxReplacements = 25;

    /// <summary>Finds the next <c>&lt;name&gt;</c> (name without space, <c>&lt;</c>, <c>&gt;</c>) at or after <paramref name="from"/>.</summary>
    public static bool TryFindTag(string value, int from, out int start, out int end, out string name)
    {
        // after a replacement that shortened the value, the next search may start past its end (Python's search then
        // finds nothing)
        var i = from <= value.Length ? value.IndexOf('<', from) : -1;
        while (i >= 0)
        {
            var j = i + 1;
            while (j < value.Length && value[j] is not (' ' or '<' or '>'))
            {
                j++;
            }

            if (j < value.Length && value[j] == '>' && j > i + 1)
            {
                start = i;
                end = j + 1;
                name = value[(i + 1)..j];
                return true;
            }

            i = value.IndexOf('<', i + 1);
        }

        start = end = -1;
        name = string.Empty;
        return false;
    }

    /// <summary>Substitutes tags in every value of <paramref name="tags"/>; returns a new dictionary.</summary>
    /// <exception cref="ConfigException">Self-referencing definitions.</exception>
    public static OrderedDictionary<string, string> Substitute(
        OrderedDictionary<string, string> tags,
        IReadOnlySet<string> ignore,
        Func<string, string?>? fallback = null,
        string? conditional = null)
    {
        var result = new OrderedDictionary<string, string>(tags, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var keys = result.Keys.ToList();
        bool repeat;
        do
        {
            repeat = false;
            foreach (var tag in keys)
            {
                if (ignore.Contains(tag) || done.Contains(tag))
                {
                    continue;
                }

                var original = result[tag];
                var value = original;
                if (!counts.TryGetValue(tag, out var replaced))
                {
                    replaced = new Dictionary<string, int>(StringComparer.Ordinal);
                }

                var found = TryFindTag(value, 0, out var start, out var end, out var name);
                while (found)
                {
                    if (ignore.Contains(name))
                    {
                        found = TryFindTag(value, end, out start, out end, out name);
                        continue;
                    }

                    if (name.Equals(tag, StringComparison.Ordinal) || replaced.GetValueOrDefault(name, 1) > MaxReplacements)
                    {
                        throw new ConfigException(
                            "properties contain self referencing definitions and cannot be resolved, "
                            + $"fail tag: {tag}, found: {name} in {Describe(replaced)}, value: {value}");
                    }

                    string? replacement = null;
                    if (conditional is not null)
                    {
                        result.TryGetValue(name + "?" + conditional, out replacement);
                    }

                    if (replacement is null && !result.TryGetValue(name, out replacement))
                    {
                        replacement = fallback?.Invoke(name);
                    }

                    if (replacement is null)
                    {
                        found = TryFindTag(value, end, out start, out end, out name);
                        continue;
                    }

                    value = value.Replace("<" + name + ">", replacement, StringComparison.Ordinal);
                    replaced[name] = replaced.GetValueOrDefault(name, 0) + 1;
                    found = TryFindTag(value, start, out start, out end, out name);
                }

                if (!ReferenceEquals(original, value) && !original.Equals(value, StringComparison.Ordinal))
                {
                    if (TryFindTag(value, 0, out _, out _, out _))
                    {
                        counts[tag] = replaced;
                        repeat = true;
                    }

                    result[tag] = value;
                }

                if (!value.Contains('<', StringComparison.Ordinal))
                {
                    done.Add(tag);
                }
            }
        }
        while (repeat);

        return result;
    }

    private static string Describe(Dictionary<string, int> counts) =>
        "{" + string.Join(", ", counts.Select(kv => $"{PyText.Repr(kv.Key)}: {kv.Value}")) + "}";
}

namespace SharpBan;

/// <summary>
/// Long options abbreviated as Python's option parsers allow (getopt for fail2ban-client, optparse for
/// fail2ban-regex): a prefix that starts exactly one known option stands for it.
/// </summary>
internal static class OptionPrefix
{
    /// <summary><paramref name="name"/> itself when it is an option, else the one option it begins, else null.</summary>
    public static string? Complete(string name, IReadOnlyCollection<string> options)
    {
        if (options.Contains(name))
        {
            return name;
        }

        string? found = null;
        foreach (var option in options)
        {
            if (name.Length > 0 && option.StartsWith(name, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    return null; // ambiguous
                }

                found = option;
            }
        }

        return found;
    }
}

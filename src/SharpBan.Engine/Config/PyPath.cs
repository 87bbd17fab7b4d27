namespace SharpBan.Engine.Config;

/// <summary>Python's <c>os.path</c> rules the dialect depends on: how names of filters, actions and includes become paths.</summary>
internal static class PyPath
{
    /// <summary>
    /// <c>os.path.join</c>: parts joined with <c>/</c>, and an absolute part starts the path anew (so
    /// <c>filter = /etc/custom/f</c> reads <c>/etc/custom/f.conf</c>, not <c>filter.d//etc/custom/f.conf</c>).
    /// </summary>
    public static string Join(params ReadOnlySpan<string> parts)
    {
        var path = string.Empty;
        foreach (var part in parts)
        {
            path = part.StartsWith('/') ? part
                : path.Length == 0 || path.EndsWith('/') ? path + part
                : path + "/" + part;
        }

        return path;
    }

    /// <summary>
    /// The name of a filter or action file as fail2ban's reader takes it: one starting with <c>./</c> is made absolute
    /// (relative to the working directory, <c>os.path.abspath</c>), then joined to <paramref name="folder"/>.
    /// </summary>
    public static string DefinitionUnit(string folder, string name) =>
        Join(folder, name.StartsWith("./", StringComparison.Ordinal) ? Path.GetFullPath(name) : name);

    /// <summary><c>os.path.splitext(path)[0]</c>: the path without its extension (a name's leading dots are no extension).</summary>
    public static string WithoutExtension(string path)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        if (dot <= slash + 1)
        {
            return path;
        }

        for (var i = slash + 1; i < dot; i++)
        {
            if (path[i] != '.')
            {
                return path[..dot];
            }
        }

        return path;
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace SharpBan.Engine.Config;

/// <summary>Python <c>glob.glob</c> semantics for <c>logpath</c>: <c>*</c>, <c>?</c>, <c>[…]</c> per path component, no <c>**</c>, hidden names only for patterns starting with a dot.</summary>
internal static class PathGlob
{
    public static bool HasMagic(string s) => s.AsSpan().IndexOfAny('*', '?', '[') >= 0;

    /// <summary>
    /// Matching paths in the directory's own order (Python's <c>glob</c> does not sort, so the file list and the
    /// stream's <c>addlogpath</c> order are fail2ban's); a pattern without wildcards yields itself when it exists (even
    /// as a dangling link).
    /// </summary>
    public static IReadOnlyList<string> Expand(string pattern) => [.. ExpandCore(pattern)];

    private static IEnumerable<string> ExpandCore(string pattern)
    {
        if (!HasMagic(pattern))
        {
            if (pattern.Length > 0 && LExists(pattern))
            {
                yield return pattern;
            }

            yield break;
        }

        var slash = pattern.LastIndexOf('/');
        var dir = slash < 0 ? string.Empty : pattern[..(slash == 0 ? 1 : slash)];
        var name = pattern[(slash + 1)..];
        IEnumerable<string> dirs = dir.Length == 0 ? [string.Empty] : HasMagic(dir) ? ExpandCore(dir) : [dir];
        foreach (var d in dirs)
        {
            if (HasMagic(name))
            {
                foreach (var entry in MatchInDirectory(d, name))
                {
                    yield return d.Length == 0 ? entry : Path.Join(d, entry);
                }
            }
            else
            {
                var candidate = d.Length == 0 ? name : Path.Join(d, name);
                if (name.Length == 0 ? Directory.Exists(d) : LExists(candidate))
                {
                    yield return candidate;
                }
            }
        }
    }

    private static IEnumerable<string> MatchInDirectory(string dir, string pattern)
    {
        var path = dir.Length == 0 ? "." : dir;
        if (!Directory.Exists(path))
        {
            return [];
        }

        var regex = new Regex(Translate(pattern), RegexOptions.CultureInvariant | RegexOptions.Singleline);
        var includeHidden = pattern.StartsWith('.');
        try
        {
            return Directory.EnumerateFileSystemEntries(path)
                .Select(Path.GetFileName)
                .Where(n => n is not null && (includeHidden || !n.StartsWith('.')) && regex.IsMatch(n))
                .Select(n => n!)
                .ToList();
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static bool LExists(string path) =>
        File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>fnmatch's translation of one path component to an anchored regex.</summary>
    internal static string Translate(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var j = i + 1;
                    if (j < pattern.Length && pattern[j] == '!')
                    {
                        j++;
                    }

                    if (j < pattern.Length && pattern[j] == ']')
                    {
                        j++;
                    }

                    while (j < pattern.Length && pattern[j] != ']')
                    {
                        j++;
                    }

                    if (j >= pattern.Length)
                    {
                        sb.Append(@"\[");
                    }
                    else
                    {
                        var body = pattern[(i + 1)..j].Replace("\\", @"\\", StringComparison.Ordinal);
                        i = j;
                        if (body.StartsWith('!'))
                        {
                            body = "^" + body[1..];
                        }
                        else if (body.StartsWith('^'))
                        {
                            body = @"\" + body;
                        }

                        sb.Append('[').Append(body).Append(']');
                    }

                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.Append('$').ToString();
    }
}

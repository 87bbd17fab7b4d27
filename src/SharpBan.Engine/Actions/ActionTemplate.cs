using System.Text;
using SharpBan.Engine.Config;

namespace SharpBan.Engine.Actions;

/// <summary>
/// The two substitution phases of action commands (behaviour notes §5.2). Phase A replaces property tags recursively
/// (family variants first). Phase B replaces run-time tags once: safe values (numbers, parsed addresses) inline,
/// anything untrusted as a reference to an environment variable <c>f2bV_&lt;tag&gt;</c>, quoted to suit the shell
/// quoting context at the tag so that the value is neither split nor re-interpreted (CVE-2021-32749 class).
/// </summary>
internal static class ActionTemplate
{
    private const int MaxPasses = 26;

    /// <summary>Phase A: substitutes <paramref name="properties"/> into <paramref name="template"/> until stable.</summary>
    /// <exception cref="ArgumentException">A tag refers to itself (endless recursion).</exception>
    public static string SubstituteStatic(string template, IReadOnlyDictionary<string, string> properties, string? family, string? operation = null)
    {
        var value = template;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var changed = false;
            var sb = new StringBuilder(value.Length);
            var pos = 0;
            while (TagSubstitution.TryFindTag(value, pos, out var start, out var end, out var name))
            {
                sb.Append(value, pos, start - pos);
                if (name == operation)
                {
                    throw new ArgumentException($"properties contain self referencing definitions and cannot be resolved: {operation}");
                }

                if (TryStatic(name, properties, family, out var replacement))
                {
                    sb.Append(replacement);
                    changed = true;
                }
                else
                {
                    sb.Append(value, start, end - start);
                }

                pos = end;
            }

            sb.Append(value, pos, value.Length - pos);
            value = sb.ToString();
            if (!changed)
            {
                return value;
            }
        }

        throw new ArgumentException($"properties contain self referencing definitions and cannot be resolved: {operation ?? template}");
    }

    /// <summary>
    /// Phase B: run-time tags; untrusted values become quoted variable references. The quoting context is tracked
    /// through command substitutions: inside <c>$( … )</c> or backticks the shell starts unquoted again, also when
    /// the substitution itself stands in double quotes (<c>"$(cmd &lt;matches&gt;)"</c>), so a tag there gets its own
    /// quotes and its value is neither split into words nor expanded as a glob.
    /// </summary>
    public static ShellCommand SubstituteDynamic(string script, ITagValues values)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var sb = new StringBuilder(script.Length + 16);
        var quote = Quote.None;
        var depth = 0; // open parentheses of the current (sub)command, unquoted
        var outer = new Stack<(Quote Quote, int Depth, bool Backtick)>();
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '<' && quote != Quote.Escaped && TagSubstitution.TryFindTag(script, i, out var start, out var end, out var name)
                && start == i && values.TryGet(name, out var value, out var untrusted))
            {
                if (!untrusted && IsSafe(value))
                {
                    sb.Append(value);
                }
                else
                {
                    var variable = VariableName(name);
                    env[variable] = value;
                    sb.Append(quote switch
                    {
                        Quote.Single => $"'\"${{{variable}}}\"'",
                        Quote.Double => $"${{{variable}}}",
                        _ => $"\"${{{variable}}}\"",
                    });
                }

                i = end;
                continue;
            }

            sb.Append(c);
            i++;
            if (quote is Quote.None or Quote.Double)
            {
                if (c == '$' && i < script.Length && script[i] == '(')
                {
                    sb.Append('(');
                    i++;
                    outer.Push((quote, depth, false));
                    (quote, depth) = (Quote.None, 0);
                    continue;
                }

                if (c == '`' && (outer.Count == 0 || !outer.Peek().Backtick || quote == Quote.Double))
                {
                    outer.Push((quote, depth, true));
                    (quote, depth) = (Quote.None, 0);
                    continue;
                }
            }

            if (quote == Quote.None && outer.Count > 0)
            {
                var backtick = outer.Peek().Backtick;
                if ((c == ')' && !backtick && depth == 0) || (c == '`' && backtick))
                {
                    (quote, depth, _) = outer.Pop();
                    continue;
                }

                depth += c switch
                {
                    '(' => 1,
                    ')' when depth > 0 => -1,
                    _ => 0,
                };
            }

            quote = (quote, c) switch
            {
                (Quote.Escaped, _) => Quote.None,
                (Quote.EscapedInDouble, _) => Quote.Double,
                (Quote.None, '\\') => Quote.Escaped,
                (Quote.None, '\'') => Quote.Single,
                (Quote.None, '"') => Quote.Double,
                (Quote.Single, '\'') => Quote.None,
                (Quote.Double, '\\') => Quote.EscapedInDouble,
                (Quote.Double, '"') => Quote.None,
                _ => quote,
            };
        }

        return new ShellCommand(sb.ToString(), env);
    }

    /// <summary><c>f2bV_</c> plus the tag with every non-word character replaced by <c>_</c>.</summary>
    public static string VariableName(string tag)
    {
        var sb = new StringBuilder("f2bV_", tag.Length + 5);
        foreach (var ch in tag)
        {
            sb.Append(char.IsAsciiLetterOrDigit(ch) || ch == '_' ? ch : '_');
        }

        return sb.ToString();
    }

    /// <summary>Characters that can never change the meaning of a shell word.</summary>
    public static bool IsSafe(string value)
    {
        foreach (var ch in value)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '.' or ':' or '-' or '_' or '/' or '+' or '=' or ',' or '@' or '%'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryStatic(string name, IReadOnlyDictionary<string, string> properties, string? family, out string value)
    {
        if (name == "bantime")
        {
            value = "";
            return false;
        }

        if (family is { Length: > 0 } && properties.TryGetValue($"{name}?family={family}", out value!))
        {
            return true;
        }

        if (properties.TryGetValue(name, out value!))
        {
            return true;
        }

        value = name switch
        {
            "br" => "\n",
            "sp" => " ",
            _ => "",
        };
        return value.Length > 0 || HostNames.TryGet(name, out value);
    }

    private enum Quote
    {
        None,
        Single,
        Double,
        Escaped,
        EscapedInDouble,
    }
}

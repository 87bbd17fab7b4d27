using System.Text.RegularExpressions;

namespace SharpBan.Engine.Config;

/// <summary>
/// The <c>name[key=value, key="a,b", key='v'][more=1]</c> syntax of <c>filter</c>, <c>action</c>, <c>backend</c>
/// values, and splitting an <c>action</c> value holding several such entries on whitespace outside brackets.
/// </summary>
internal static partial class OptionList
{
    private const string Key = @"[\w.\-]+";
    private const string AnyValue = "\"[^\"]*\"|'[^']*'|[^,\\]]*";
    private const string Bracket = @"\s*\[\s*(?:" + Key + "=(?:" + AnyValue + @")\s*(?:,|\]\s*\[)?\s*)*\]";

    /// <summary>Parses <c>name[k=v, …]</c> into the name and its options (in order).</summary>
    /// <exception cref="ConfigException">The option list is malformed.</exception>
    public static (string Name, OrderedDictionary<string, string> Options) Extract(string text)
    {
        var open = text.IndexOf('[', StringComparison.Ordinal);
        var options = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        if (open < 0)
        {
            if (text.Length == 0)
            {
                throw new ConfigException("unexpected option syntax");
            }

            return (text, options);
        }

        var close = text.LastIndexOf(']');
        if (open == 0 || close < open || !PyText.StripSpan(text.AsSpan(close + 1)).IsEmpty)
        {
            throw new ConfigException("unexpected option syntax");
        }

        var name = text[..open];
        var body = text[(open + 1)..close];
        ParseBody(body, options);
        return (name, options);
    }

    private static void ParseBody(string body, OrderedDictionary<string, string> options)
    {
        var pos = 0;
        while (pos <= body.Length)
        {
            // an option: optional whitespace, key, '=', value, then ',' or '][' or the end
            var p = pos;
            while (p < body.Length && char.IsWhiteSpace(body[p]))
            {
                p++;
            }

            var keyStart = p;
            while (p < body.Length && (ConfigSet.IsWordChar(body[p]) || body[p] is '-' or '.'))
            {
                p++;
            }

            if (p > keyStart && p < body.Length && body[p] == '=')
            {
                var key = body[keyStart..p];
                p++;
                string value;
                int end;
                if (p < body.Length && body[p] is '"' or '\'' && body.IndexOf(body[p], p + 1) is var q && q > 0)
                {
                    value = body[(p + 1)..q];
                    end = q + 1;
                }
                else
                {
                    end = p;
                    while (end < body.Length && body[end] is not (',' or ']'))
                    {
                        end++;
                    }

                    value = body[p..end];
                }

                options[PyText.Strip(key)] = PyText.Strip(value);
                if (end >= body.Length || (end == body.Length - 1 && body[end] == '\n'))
                {
                    return;
                }

                if (body[end] == ',')
                {
                    pos = end + 1;
                    continue;
                }

                if (body[end] == ']')
                {
                    var next = end + 1;
                    while (next < body.Length && char.IsWhiteSpace(body[next]))
                    {
                        next++;
                    }

                    if (next < body.Length && body[next] == '[')
                    {
                        pos = next + 1;
                        continue;
                    }
                }

                throw new ConfigException(
                    $"unexpected syntax at {end} after option {PyText.Repr(key)}: {Clip(body[end..])}");
            }

            // the tail: an optional ',' then whitespace to the end
            var t = pos;
            if (t < body.Length && body[t] == ',')
            {
                t++;
            }

            while (t < body.Length && char.IsWhiteSpace(body[t]))
            {
                t++;
            }

            if (t >= body.Length)
            {
                return;
            }

            throw new ConfigException($"expected option, wrong syntax at {pos}: {Clip(body[pos..])}");
        }
    }

    private static string Clip(string s) => s.Length > 25 ? s[..25] : s;

    /// <summary>Splits an <c>action</c> value into entries: whitespace separates entries outside <c>[…]</c>.</summary>
    public static IReadOnlyList<string> Split(string value)
    {
        var result = new List<string>();
        foreach (Match m in Entry().Matches(value))
        {
            result.Add(m.Value);
        }

        return result;
    }

    /// <summary>Splits on commas, spaces and new lines, dropping empty items (<c>ignoreip</c>).</summary>
    public static IReadOnlyList<string> SplitWords(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return [];
        }

        return value.Split([' ', ',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(static w => w.Length > 0)
            .ToList();
    }

    [GeneratedRegex(@"(?:[^\[\s]+(?:" + Bracket + @")?\s*|\S+)(?=\n\s*|\s+|$)", RegexOptions.Singleline)]
    private static partial Regex Entry();
}

using System.Text;

namespace SharpBan.Engine.Config.Resolution;

/// <summary>Python's <c>json.dumps</c> output for the option dictionary of a Python (<c>.py</c>) action.</summary>
internal static class PyJson
{
    /// <summary>Python's <c>json.dumps</c> of a string dictionary (ASCII-escaped, <c>", "</c> and <c>": "</c> separators).</summary>
    public static string Dumps(OrderedDictionary<string, string> options)
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var (key, value) in options)
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            AppendJsonString(sb, key);
            sb.Append(": ");
            AppendJsonString(sb, value);
        }

        return sb.Append('}').ToString();
    }

    private static void AppendJsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}

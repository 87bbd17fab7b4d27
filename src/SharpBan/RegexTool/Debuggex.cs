using System.Text;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.RegexTool;

/// <summary>
/// <c>-D/--debuggex</c>: a debuggex.com link per printed line and regex, as fail2ban-regex builds it: the regex with its
/// tags expanded (Python syntax), the line in the log encoding, flavor python, and flag <c>m</c> for multi-line filters.
/// </summary>
internal static class Debuggex
{
    public static string Url(string sample, string regex, bool multiline, UseDns useDns, Encoding encoding)
    {
        var url = new StringBuilder("https://www.debuggex.com/?re=");
        QuotePlus(url, Encoding.UTF8.GetBytes(TagExpander.Expand(regex, useDns)));
        url.Append("&str=");
        QuotePlus(url, encoding.GetBytes(sample));
        url.Append("&flavor=python");
        if (multiline)
        {
            url.Append("&flags=m");
        }

        return url.ToString();
    }

    /// <summary>One printed row: <c>line | regex |  url</c>.</summary>
    public static string Row(string line, string regex, bool multiline, UseDns useDns, Encoding encoding) =>
        (line + " | " + regex + " |  " + Url(line, regex, multiline, useDns, encoding)).TrimEnd();

    /// <summary>Python's <c>urllib.parse.quote_plus</c>: letters, digits and <c>_.-~</c> stay, space becomes <c>+</c>.</summary>
    private static void QuotePlus(StringBuilder sb, byte[] bytes)
    {
        foreach (var b in bytes)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'_' or (byte)'.' or (byte)'-' or (byte)'~')
            {
                sb.Append((char)b);
            }
            else if (b == (byte)' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}

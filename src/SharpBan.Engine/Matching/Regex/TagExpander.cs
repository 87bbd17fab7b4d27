using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// Expands fail2ban's regex tags (<c>&lt;HOST&gt;</c>, <c>&lt;F-NAME&gt;…&lt;/F-NAME&gt;</c>, …) into Python-syntax
/// regex fragments, before translation. Unknown tags are left as they are.
/// </summary>
internal static partial class TagExpander
{
    public const string Ip4 = @"(?:::f{4,6}:)?(?P<ip4>(?:\d{1,3}\.){3}\d{1,3})";
    public const string Ip6 = @"(?P<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):))";
    public const string Dns = @"(?P<dns>[\w\-.^_]*\w)";
    public const string Cidr = @"(?P<cidr>\d+)";
    public const string Addr = @"\[?(?:" + Ip4 + "|" + Ip6 + @")\]?";
    public const string Host = "(?:" + Addr + "|" + Dns + ")";
    public const string Subnet = @"\[?(?:" + Ip4 + "|" + Ip6 + ")(?:/" + Cidr + @")?\]?";

    [GeneratedRegex(@"</?[\w\-]+/?>", RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex TagPattern();

    [GeneratedRegex(@"^(/?)F-([A-Z0-9_\-]+)$", RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CustomName();

    /// <summary>Maps a tag name to its group name: lower case, <c>id</c> → <c>fid</c>, <c>port</c> → <c>fport</c>.</summary>
    public static string GroupName(string tag)
    {
        var lower = tag.ToLowerInvariant();
        return lower switch
        {
            "id" => "fid",
            "port" => "fport",
            _ => lower,
        };
    }

    public static string Expand(string regex, UseDns useDns)
    {
        var open = new HashSet<string>(StringComparer.Ordinal);
        var skipLines = 0;
        return TagPattern().Replace(regex, m =>
        {
            var tag = m.Value;
            var name = tag[1..^1];
            switch (name)
            {
                case "HOST":
                    return useDns == UseDns.No ? Addr : Host;
                case "SKIPLINES":
                    return @"\n(?P<skiplines" + (skipLines++).ToString(CultureInfo.InvariantCulture) + @">(?:(?:.*\n)*?))";
                case "IP4" or "F-IP4/":
                    return Ip4;
                case "IP6" or "F-IP6/":
                    return Ip6;
                case "ADDR" or "F-ADDR/":
                    return Addr;
                case "CIDR" or "F-CIDR/":
                    return Cidr;
                case "SUBNET" or "F-SUBNET/":
                    return Subnet;
                case "DNS" or "F-DNS/":
                    return Dns;
                case "F-ID/":
                    return @"(?P<fid>\S+)";
                case "F-PORT/":
                    return @"(?P<fport>\w+)";
            }

            var custom = CustomName().Match(name);
            if (!custom.Success)
            {
                return tag;
            }

            var key = custom.Groups[2].Value;
            if (custom.Groups[1].Length > 0)
            {
                return open.Contains(key) ? ")" : tag;
            }

            open.Add(key);
            return "(?P<" + GroupName(key) + ">";
        });
    }
}

using System.Globalization;

namespace SharpBan.Engine.Firewall;

/// <summary>
/// A jail's <c>port</c> value (comma separated numbers, service names such as <c>ssh</c>, and ranges written
/// <c>a:b</c> as fail2ban does, or <c>a-b</c>) turned into nft set elements; anything else is refused.
/// </summary>
internal static class NftPortList
{
    public static List<string> Parse(string port)
    {
        var items = NativeJailSettings.SplitList(port);
        if (items.Count == 0)
        {
            throw new ArgumentException("port is empty (multiport mode needs at least one port)", nameof(port));
        }

        var result = new List<string>(items.Count);
        foreach (var item in items)
        {
            result.Add(ParseItem(item));
        }

        return result;
    }

    private static string ParseItem(string port)
    {
        var item = port;
        var separator = item.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0 && item.Length > 0 && char.IsAsciiDigit(item[0]))
        {
            separator = item.IndexOf('-', StringComparison.Ordinal);
        }

        if (separator >= 0)
        {
            if (TryNumber(item[..separator], out var first) && TryNumber(item[(separator + 1)..], out var last)
                && first <= last)
            {
                return first == last
                    ? first.ToString(CultureInfo.InvariantCulture)
                    : string.Create(CultureInfo.InvariantCulture, $"{first}-{last}");
            }

            throw new ArgumentException($"port range '{item}' is not 'first:last' with 0 <= first <= last <= 65535",
                nameof(port));
        }

        if (TryNumber(item, out var number))
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }

        if (IsServiceName(item))
        {
            // nft reads a bare '-' as a range; a quoted name is looked up as a service.
            return item.Contains('-', StringComparison.Ordinal) ? "\"" + item + "\"" : item;
        }

        throw new ArgumentException($"port '{item}' is neither a number, a range nor a service name", nameof(port));
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 65535;

    private static bool IsServiceName(string item)
    {
        if (item.Length is 0 or > 32 || !char.IsAsciiLetter(item[0]) || item[^1] == '-')
        {
            return false;
        }

        foreach (var c in item)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}

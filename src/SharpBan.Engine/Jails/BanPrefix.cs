using System.Globalization;
using System.Net.Sockets;

namespace SharpBan.Engine.Jails;

/// <summary>
/// The jail options <c>banprefix.inet4</c> and <c>banprefix.inet6</c> (SharpBan extensions): failures of an address are
/// counted, and banned, under its network of that many bits (<c>2001:db8:1:2::/64</c>, fail2ban's CIDR notation).
/// The full width (32, 128) is off, the default.
/// </summary>
internal sealed record BanPrefix(int Inet4 = BanPrefix.Width4, int Inet6 = BanPrefix.Width6)
{
    public const int Width4 = 32;
    public const int Width6 = 128;

    public static BanPrefix Off { get; } = new();

    public bool Enabled => Inet4 < Width4 || Inet6 < Width6;

    /// <summary>The option names, as written in a jail section and in <c>set</c>/<c>get</c>.</summary>
    public static IReadOnlyList<string> OptionNames { get; } = ["banprefix.inet4", "banprefix.inet6"];

    /// <summary>The prefix length of <paramref name="option"/> (<c>banprefix.inet4</c> or <c>banprefix.inet6</c>).</summary>
    public int Get(string option) => option == "banprefix.inet4" ? Inet4 : Inet6;

    /// <summary>A copy with <paramref name="option"/> set to <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">Not a whole number between 1 and the family's width (the message says so).</exception>
    public BanPrefix With(string option, string text)
    {
        var value = Parse(option, text);
        return option == "banprefix.inet4" ? this with { Inet4 = value } : this with { Inet6 = value };
    }

    /// <summary>
    /// Reads a prefix length for <paramref name="option"/>. 0 is refused: fail2ban's notation prints a /0 network as its
    /// bare address (<c>::</c>), which would read as one address.
    /// </summary>
    /// <exception cref="FormatException">Not a whole number between 1 and the family's width.</exception>
    public static int Parse(string option, string text)
    {
        var width = option switch
        {
            "banprefix.inet4" => Width4,
            "banprefix.inet6" => Width6,
            _ => throw new ArgumentException($"unknown option {option}", nameof(option)),
        };
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > width)
        {
            throw new FormatException($"must be a prefix length from 1 to {width.ToString(CultureInfo.InvariantCulture)}, not '{text}'");
        }

        return value;
    }

    /// <summary>The network a failure of <paramref name="address"/> counts under; null when its family's prefix is off.</summary>
    public IpEntry? NetworkOf(IpEntry address)
    {
        if (!address.IsValid || !address.IsSingle)
        {
            return null;
        }

        var prefix = address.Family == AddressFamily.InterNetwork ? Inet4 : Inet6;
        return prefix < address.MaxPrefixLength ? address.ToNetwork(prefix) : null;
    }
}

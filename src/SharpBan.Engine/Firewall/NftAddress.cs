using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpBan.Engine.Firewall;

/// <summary>
/// The only way an address reaches an nft script: a parsed <see cref="IPAddress"/>, normalised (IPv4-mapped
/// IPv6 becomes IPv4) and printed by the framework, so the text holds nothing but digits, hex letters,
/// dots and colons, plus <c>/N</c> for a network. Unspecified addresses and scoped IPv6 addresses
/// (<c>fe80::1%eth0</c>) are refused, and so are networks with host bits set or of length 0 (a whole family).
/// </summary>
internal static class NftAddress
{
    public static bool TryFormat(IPAddress address, out NftFamily family, [NotNullWhen(true)] out string? text)
    {
        family = default;
        text = null;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        switch (address.AddressFamily)
        {
            case AddressFamily.InterNetwork when !address.Equals(IPAddress.Any):
                family = NftFamily.IPv4;
                break;
            case AddressFamily.InterNetworkV6 when address.ScopeId == 0 && !address.Equals(IPAddress.IPv6Any):
                family = NftFamily.IPv6;
                break;
            default:
                return false;
        }

        text = address.ToString();
        return true;
    }

    /// <summary>
    /// An address or a network (<paramref name="target"/>): <paramref name="isNetwork"/> tells which set it belongs to.
    /// An IPv4-mapped IPv6 network of at least 96 bits becomes the IPv4 network it maps.
    /// </summary>
    public static bool TryFormat(NftTarget target, out NftFamily family, [NotNullWhen(true)] out string? text, out bool isNetwork)
    {
        isNetwork = false;
        var address = target.Address;
        var width = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (target.PrefixLength is not { } prefix || prefix == width)
        {
            return TryFormat(address, out family, out text);
        }

        family = default;
        text = null;
        if (prefix < 0 || prefix > width || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            if (prefix < 96)
            {
                return false;
            }

            address = address.MapToIPv4();
            (prefix, width) = (prefix - 96, 32);
            if (prefix == width)
            {
                return TryFormat(address, out family, out text);
            }
        }

        if (prefix == 0 || !HostBitsClear(address.GetAddressBytes(), prefix))
        {
            return false;
        }

        family = width == 32 ? NftFamily.IPv4 : NftFamily.IPv6;
        text = address + "/" + prefix.ToString(CultureInfo.InvariantCulture);
        isNetwork = true;
        return true;
    }

    private static bool HostBitsClear(byte[] bytes, int prefix)
    {
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }
}

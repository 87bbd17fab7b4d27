using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace SharpBan.Engine.Firewall;

/// <summary>
/// The only way an address reaches an nft script: a parsed <see cref="IPAddress"/>, normalised (IPv4-mapped
/// IPv6 becomes IPv4) and printed by the framework, so the text holds nothing but digits, hex letters,
/// dots and colons. Unspecified addresses and scoped IPv6 addresses (<c>fe80::1%eth0</c>) are refused.
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
}

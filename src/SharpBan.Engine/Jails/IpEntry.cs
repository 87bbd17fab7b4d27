using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpBan.Engine.Config;
using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Jails;

/// <summary>
/// An <c>ignoreip</c> entry or an address to unban, read as fail2ban's <c>IPAddr</c> reads it: an address
/// (<c>inet_pton</c>-strict; IPv4-mapped IPv6 becomes IPv4), a network (<c>addr/len</c> or <c>addr/mask</c>, host bits
/// cleared), or anything else as a host name. Equal entries are equal by value (<c>192.0.2.5/32</c> is
/// <c>192.0.2.5</c>), names by their text.
/// </summary>
internal readonly struct IpEntry : IEquatable<IpEntry>
{
    private const int Unspecified = -1;

    private IpEntry(AddressFamily family, UInt128 address, int prefixLength, string raw)
    {
        Family = family;
        Address = address;
        PrefixLength = prefixLength;
        Raw = raw;
    }

    /// <summary><see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/>, or Unspecified for a name.</summary>
    public AddressFamily Family { get; }

    public UInt128 Address { get; }

    public int PrefixLength { get; }

    /// <summary>The text a name was given as (empty for addresses).</summary>
    public string Raw { get; }

    public bool IsValid => Family != AddressFamily.Unspecified;

    /// <summary>One address, not a network or a name (fail2ban keeps these in a set, the others in a list).</summary>
    public bool IsSingle => PrefixLength == MaxLength(Family);

    /// <summary>Reads <paramref name="text"/>; a bad prefix or mask throws <see cref="FormatException"/> with Python's message.</summary>
    public static IpEntry Parse(string text)
    {
        if (text.Length > 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return Create(text, Unspecified);
        }

        var maskText = text[(slash + 1)..];
        int prefix;
        if (maskText.Contains('.', StringComparison.Ordinal) || maskText.Contains(':', StringComparison.Ordinal))
        {
            prefix = MaskLength(Parse(maskText));
        }
        else if (PyText.TryParseInt(maskText, out var p) && p is >= int.MinValue and <= int.MaxValue)
        {
            prefix = (int)p;
        }
        else
        {
            throw new FormatException($"invalid literal for int() with base 10: {PyText.Repr(maskText)}");
        }

        return Create(text[..slash], prefix < 0 ? Unspecified : prefix);
    }

    /// <summary>A failure id as an address (never a network); null when it is not one (a name, a user, a token).</summary>
    public static IpEntry? FromId(string id)
    {
        if (id.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        var entry = Parse(id);
        return entry.IsValid ? entry : null;
    }

    public static IpEntry FromAddress(IPAddress address) => Parse(address.ToString());

    /// <summary>A failure or ban id as an address or a network (<c>addr/len</c>); null when it is neither.</summary>
    public static IpEntry? FromBanId(string id)
    {
        try
        {
            var entry = Parse(id);
            return entry.IsValid ? entry : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The address width of the family: 32 or 128 (an invalid entry has none).</summary>
    public int MaxPrefixLength => MaxLength(Family);

    /// <summary>
    /// The network of <paramref name="prefix"/> bits this address lies in (host bits cleared); the entry itself when the
    /// prefix is not shorter than its own.
    /// </summary>
    public IpEntry ToNetwork(int prefix)
    {
        if (!IsValid || prefix >= PrefixLength)
        {
            return this;
        }

        prefix = Math.Max(0, prefix);
        return new IpEntry(Family, Address & Mask(Family, prefix), prefix, "");
    }

    /// <summary>Whether two addresses or networks of one family share an address (one contains the other).</summary>
    public bool Overlaps(IpEntry other)
    {
        if (!IsValid || other.Family != Family)
        {
            return false;
        }

        var shorter = Math.Min(PrefixLength, other.PrefixLength);
        var mask = Mask(Family, shorter);
        return (Address & mask) == (other.Address & mask);
    }

    /// <summary>fail2ban's <c>isInNet</c> for a valid network: same family and the same bits under its prefix.</summary>
    public bool Contains(IpEntry address)
    {
        if (!IsValid || address.Family != Family)
        {
            return false;
        }

        return (address.Address & Mask(Family, PrefixLength)) == Address;
    }

    /// <summary>As fail2ban prints it (<c>ntoa</c>): the address, <c>/len</c> for a network, a name as given.</summary>
    public override string ToString()
    {
        if (!IsValid)
        {
            return Raw;
        }

        var max = MaxLength(Family);
        var suffix = PrefixLength > 0 && PrefixLength < max ? "/" + PrefixLength.ToString(CultureInfo.InvariantCulture) : "";
        if (Family == AddressFamily.InterNetworkV6)
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt128BigEndian(bytes, Address);
            return IpText.FormatV6(bytes, null) + suffix; // glibc's inet_ntop, as fail2ban prints (not .NET's)
        }

        return ToAddress() + suffix;
    }

    public IPAddress ToAddress()
    {
        if (Family == AddressFamily.InterNetwork)
        {
            var v4 = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)Address);
            return new IPAddress(v4);
        }

        var v6 = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, Address);
        return new IPAddress(v6);
    }

    public bool Equals(IpEntry other) => IsValid
        ? other.Family == Family && other.Address == Address && other.PrefixLength == PrefixLength
        : !other.IsValid && string.Equals(other.Raw, Raw, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is IpEntry other && Equals(other);

    public override int GetHashCode() => IsValid ? HashCode.Combine(Family, Address, PrefixLength) : StringComparer.Ordinal.GetHashCode(Raw);

    private static IpEntry Create(string text, int prefix)
    {
        if (IpText.TryParseV4(text, out var v4))
        {
            var plen = prefix >= 0 ? prefix : 32;
            return new IpEntry(AddressFamily.InterNetwork, v4 & Mask(AddressFamily.InterNetwork, plen), plen, "");
        }

        if (text.IndexOfAny([']', '/']) < 0 && IpText.TryParseV6(text, out var parsed))
        {
            var value = BinaryPrimitives.ReadUInt128BigEndian(parsed.GetAddressBytes());
            if (prefix >= 0)
            {
                return new IpEntry(AddressFamily.InterNetworkV6, value & Mask(AddressFamily.InterNetworkV6, prefix), prefix, "");
            }

            return parsed.IsIPv4MappedToIPv6
                ? new IpEntry(AddressFamily.InterNetwork, value & uint.MaxValue, 32, "")
                : new IpEntry(AddressFamily.InterNetworkV6, value, 128, "");
        }

        return new IpEntry(AddressFamily.Unspecified, 0, 0, text);
    }

    /// <summary>
    /// fail2ban's <c>masktoplen</c>: the prefix length of a contiguous mask (an IPv4 or IPv6 one), 0 for a mask that is
    /// no address at all (fail2ban reads its value as 0), else Python's "no plen representation" error.
    /// </summary>
    private static int MaskLength(IpEntry mask)
    {
        var value = mask.IsValid ? mask.Address : 0;
        if (value == 0)
        {
            return 0;
        }

        foreach (var bits in (ReadOnlySpan<int>)[32, 128])
        {
            var all = bits == 32 ? (UInt128)uint.MaxValue : UInt128.MaxValue;
            for (var host = 0; host < bits; host++)
            {
                if (value == (all ^ ((UInt128.One << host) - 1)))
                {
                    return bits - host;
                }
            }
        }

        throw new FormatException($"invalid mask {PyText.Repr(mask.ToString())}, no plen representation");
    }

    private static int MaxLength(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => 32,
        AddressFamily.InterNetworkV6 => 128,
        _ => -1000,
    };

    /// <summary>The network mask of <paramref name="prefix"/> bits; a prefix beyond the address width masks nothing.</summary>
    private static UInt128 Mask(AddressFamily family, int prefix)
    {
        var width = family == AddressFamily.InterNetwork ? 32 : 128;
        var all = width == 32 ? (UInt128)uint.MaxValue : UInt128.MaxValue;
        var host = width - Math.Clamp(prefix, 0, width);
        return host == 128 ? 0 : all ^ ((UInt128.One << host) - 1);
    }
}

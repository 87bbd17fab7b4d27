using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching;

/// <summary>
/// Failure ids as fail2ban prints them: valid addresses normalised (IPv4-mapped IPv6 → IPv4, networks as
/// <c>addr/len</c>), anything else (host names, invalid quads like <c>192.030.0.6</c>) kept as raw text.
/// </summary>
internal static class IpText
{
    public const int Raw = -2;
    public const int Unspecified = -1;
    public const int FamilyV4 = -4;
    public const int FamilyV6 = -12;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Normalize(string text, int cidr)
    {
        if (cidr == Raw)
        {
            return text;
        }

        if (cidr == Unspecified)
        {
            if (text.Contains('/', StringComparison.Ordinal))
            {
                // a prefix length or a mask (also one that is no address, read as 0), as banip and ignoreip read them;
                // where fail2ban raises (no number, a mask that is no prefix), the text stays the id
                try
                {
                    return Jails.IpEntry.Parse(text).ToString();
                }
                catch (FormatException)
                {
                    return text;
                }
            }

            if (text.Length > 2 && text[0] == '[' && text[^1] == ']')
            {
                text = text[1..^1];
            }
        }

        var v4Allowed = cidr != FamilyV6;
        var v6Allowed = cidr != FamilyV4;
        if (v4Allowed && TryParseV4(text, out var v4))
        {
            var plen = 32;
            if (cidr >= 0)
            {
                plen = cidr;
                v4 &= plen == 0 ? 0u : uint.MaxValue << (32 - Math.Min(plen, 32));
            }

            if (plen >= 32)
            {
                // a strict dotted quad is already in canonical form: formatting it again would give the same text
                return text;
            }

            return FormatV4(v4) + (plen > 0 ? "/" + plen.ToString(CultureInfo.InvariantCulture) : "");
        }

        // .NET also reads "[addr]" and "[addr]:port", inet_pton neither (fail2ban strips brackets only without a prefix length)
        if (v6Allowed && TryParseV6(text, out var address))
        {
            if (cidr >= 0)
            {
                var value = new BigInteger(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
                var mask = cidr == 0 ? BigInteger.Zero : ((BigInteger.One << 128) - 1) ^ ((BigInteger.One << (128 - Math.Min(cidr, 128))) - 1);
                value &= mask;
                return FormatV6(ToBytes(value), null) + (cidr is > 0 and < 128 ? "/" + cidr.ToString(CultureInfo.InvariantCulture) : "");
            }

            if (address.IsIPv4MappedToIPv6)
            {
                return address.MapToIPv4().ToString();
            }

            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out _);
            return FormatV6(bytes, text);
        }

        return text;
    }

    /// <summary>Strict dotted quad (as <c>inet_pton</c>: no leading zeros, each part 0–255).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseV4(ReadOnlySpan<char> s, out uint value)
    {
        value = 0;
        var parts = 0;
        var i = 0;
        while (parts < 4)
        {
            var start = i;
            var part = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]) && i - start < 3)
            {
                part = (part * 10) + (s[i] - '0');
                i++;
            }

            var len = i - start;
            if (len == 0 || part > 255 || (len > 1 && s[start] == '0'))
            {
                return false;
            }

            value = (value << 8) | (uint)part;
            parts++;
            if (parts < 4)
            {
                if (i >= s.Length || s[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        return i == s.Length;
    }

    private static string FormatV4(uint v) => string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}");

    /// <summary>
    /// An IPv6 address as fail2ban prints it (Python's <c>socket.inet_ntop</c>, that is glibc's): lower-case groups
    /// without leading zeros, the first longest run of two or more zero groups as <c>::</c>, and the last 32 bits as a
    /// dotted quad after 96 zero bits (<c>::1.2.3.4</c>, but <c>::</c> and <c>::1</c> as such) or after
    /// <c>::ffff</c>. .NET's own formatting also writes <c>::ffff:0:1.2.3.4</c> (SIIT), which glibc does not.
    /// </summary>
    /// <param name="same">Text returned as it is when it already reads so (no new string).</param>
    internal static string FormatV6(ReadOnlySpan<byte> bytes, string? same)
    {
        Span<int> words = stackalloc int[8];
        for (var i = 0; i < 8; i++)
        {
            words[i] = (bytes[2 * i] << 8) | bytes[(2 * i) + 1];
        }

        int bestBase = -1, bestLength = 0, runBase = -1, runLength = 0;
        for (var i = 0; i <= 8; i++)
        {
            if (i < 8 && words[i] == 0)
            {
                runBase = runBase < 0 ? i : runBase;
                runLength++;
            }
            else if (runBase >= 0)
            {
                if (runLength > bestLength)
                {
                    (bestBase, bestLength) = (runBase, runLength);
                }

                (runBase, runLength) = (-1, 0);
            }
        }

        if (bestLength < 2)
        {
            bestBase = -1;
        }

        Span<char> text = stackalloc char[46];
        var n = 0;
        for (var i = 0; i < 8; i++)
        {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLength)
            {
                if (i == bestBase)
                {
                    text[n++] = ':';
                }

                continue;
            }

            if (i != 0)
            {
                text[n++] = ':';
            }

            if (i == 6 && bestBase == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xffff)))
            {
                n += WriteDottedQuad(text[n..], bytes[12..]);
                break;
            }

            words[i].TryFormat(text[n..], out var written, "x", CultureInfo.InvariantCulture);
            n += written;
        }

        if (bestBase >= 0 && bestBase + bestLength == 8)
        {
            text[n++] = ':';
        }

        return same is not null && text[..n].SequenceEqual(same) ? same : new string(text[..n]);
    }

    private static int WriteDottedQuad(Span<char> text, ReadOnlySpan<byte> quad)
    {
        var n = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                text[n++] = '.';
            }

            quad[i].TryFormat(text[n..], out var written, default, CultureInfo.InvariantCulture);
            n += written;
        }

        return n;
    }

    private static byte[] ToBytes(BigInteger value)
    {
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var bytes = new byte[16];
        raw.CopyTo(bytes, 16 - raw.Length);
        return bytes;
    }

    /// <summary>
    /// fail2ban's address family of an id: <c>inet4</c> for a dotted quad it accepts, <c>inet6</c>, else null. A network
    /// (<c>addr/len</c>, as fail2ban prints one) has the family of its address (an IPv4-mapped IPv6 network stays
    /// <c>inet6</c>, as in fail2ban).
    /// </summary>
    public static string? Family(string? id)
    {
        if (id is null)
        {
            return null;
        }

        if (TrySplitNetwork(id, out var address, out var prefix))
        {
            return TryParseV4(address, out _) ? (prefix <= 32 ? "inet4" : null)
                : IsV6(address, out _) && prefix <= 128 ? "inet6"
                : null;
        }

        return TryParseV4(id, out _) ? "inet4"
            : IsV6(id, out var a) ? (a.IsIPv4MappedToIPv6 ? "inet4" : "inet6")
            : null;
    }

    /// <summary>
    /// Whether <paramref name="id"/> is a network in fail2ban's notation (<c>addr/len</c>) of a known family, written with
    /// only digits, hex letters, dots, colons and the slash: safe to write into a command as it is.
    /// </summary>
    public static bool IsNetwork(string? id) =>
        id is not null && id.Contains('/', StringComparison.Ordinal) && !id.AsSpan().ContainsAnyExcept(NetworkChars) && Family(id) is not null;

    private static readonly System.Buffers.SearchValues<char> NetworkChars =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF.:/");

    private static bool TrySplitNetwork(string id, out string address, out int prefix)
    {
        address = id;
        prefix = 0;
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == id.Length - 1)
        {
            return false;
        }

        address = id[..slash];
        return int.TryParse(id.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix);
    }

    private static bool IsV6(string text, out IPAddress address) => TryParseV6(text, out address);

    /// <summary>
    /// An IPv6 address as <c>inet_pton</c> reads one. .NET's parser also takes a scope (<c>%eth0</c>, or <c>%</c>
    /// followed by anything), brackets (<c>[::1]</c>, <c>[::1]:22</c>) and an embedded IPv4 part with leading zeros
    /// (<c>::ffff:1.2.3.04</c>); inet_pton none of them.
    /// </summary>
    public static bool TryParseV6(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (!text.Contains(':', StringComparison.Ordinal) || text.Contains('%', StringComparison.Ordinal) || text.StartsWith('[')
            || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (text.Contains('.', StringComparison.Ordinal) && !TryParseV4(text.AsSpan(text.LastIndexOf(':') + 1), out _))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>
    /// fail2ban's <c>getPTR('')</c>: the octets or nibbles reversed, each followed by a dot; empty for a non-address.
    /// For a network fail2ban reverses the dotted text of an IPv4 one (<c>0/24.2.0.192.</c>) and the nibbles of an
    /// IPv6 one's address.
    /// </summary>
    public static string ReverseName(string? id)
    {
        if (Family(id) is null)
        {
            return "";
        }

        var isNetwork = TrySplitNetwork(id!, out var networkAddress, out _);
        if (isNetwork)
        {
            if (TryParseV4(networkAddress, out _))
            {
                return string.Concat(id!.Split('.').Reverse().Select(static part => part + "."));
            }

            id = networkAddress;
        }

        if (!IPAddress.TryParse(id, out var address))
        {
            return "";
        }

        if (address.IsIPv4MappedToIPv6 && !isNetwork)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var sb = new System.Text.StringBuilder(bytes.Length * 4);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                sb.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append('.');
            }
            else
            {
                sb.Append((bytes[i] & 0xF).ToString("x", CultureInfo.InvariantCulture)).Append('.');
                sb.Append((bytes[i] >> 4).ToString("x", CultureInfo.InvariantCulture)).Append('.');
            }
        }

        return sb.ToString();
    }
}

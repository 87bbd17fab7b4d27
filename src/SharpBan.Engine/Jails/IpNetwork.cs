using System.Net;
using System.Net.Sockets;

namespace SharpBan.Engine.Jails;

/// <summary>An address or network of <c>ignoreip</c>: <c>1.2.3.4</c>, <c>10.0.0.0/8</c>, <c>192.168.1.0/255.255.255.0</c>, <c>2001:db8::/32</c>.</summary>
internal readonly record struct IpNetwork(IPAddress Network, int PrefixLength)
{
    public static bool TryParse(string text, out IpNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3))
        {
            return false;
        }

        address = Normalize(address);
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0)
        {
            var maskText = text[(slash + 1)..];
            if (int.TryParse(maskText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p))
            {
                prefix = p;
            }
            else if (IPAddress.TryParse(maskText, out var mask) && mask.AddressFamily == address.AddressFamily)
            {
                prefix = mask.GetAddressBytes().Sum(b => System.Numerics.BitOperations.PopCount(b));
            }
            else
            {
                return false;
            }

            if (prefix < 0 || prefix > max)
            {
                return false;
            }
        }

        network = new IpNetwork(Mask(address, prefix), prefix);
        return true;
    }

    public bool IsSingleAddress => PrefixLength == (Network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    public bool Contains(IPAddress address)
    {
        address = Normalize(address);
        return address.AddressFamily == Network.AddressFamily && Mask(address, PrefixLength).Equals(Network);
    }

    public override string ToString() => IsSingleAddress ? Network.ToString() : $"{Network}/{PrefixLength}";

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }
}

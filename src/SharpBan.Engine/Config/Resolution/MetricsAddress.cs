using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpBan.Engine.Config.Resolution;

/// <summary>
/// The <c>metrics</c> option of <c>fail2ban.conf</c>'s <c>[Definition]</c> (a SharpBan extension): where the daemon
/// serves Prometheus metrics over HTTP. An IP literal and a port, <c>127.0.0.1:9191</c> or <c>[::1]:9191</c>; empty,
/// <c>off</c>, <c>none</c>, <c>no</c> or <c>false</c> turn the listener off (the default). Host names are refused: the
/// daemon binds at start, before any name service may be up, and a name may resolve to a public address.
/// </summary>
internal static class MetricsAddress
{
    public const string OptionName = "metrics";

    private static readonly string[] Off = ["", "off", "none", "no", "false"];

    /// <summary>The address to listen on; null when the listener is off.</summary>
    /// <exception cref="FormatException">Neither off nor <c>IPV4:PORT</c> / <c>[IPV6]:PORT</c> with a port from 1 to 65535.</exception>
    public static IPEndPoint? Parse(string text)
    {
        var value = text.Trim();
        if (Off.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var colon = value.LastIndexOf(':');
        if (colon > 0 && TryParseHost(value.AsSpan(0, colon), out var address) && TryParsePort(value.AsSpan(colon + 1), out var port))
        {
            return new IPEndPoint(address, port);
        }

        throw new FormatException($"must be ADDRESS:PORT (127.0.0.1:9191, [::1]:9191) or off, not '{text}'");
    }

    private static bool TryParseHost(ReadOnlySpan<char> host, out IPAddress address)
    {
        address = IPAddress.None;
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            // an IPv6 literal without a zone: a scoped address ties the option to one interface name
            var inner = host[1..^1];
            return !inner.Contains('%') && IPAddress.TryParse(inner, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        // dotted quad only: IPAddress.TryParse also takes "1", "1.2" and hexadecimal forms
        return host.Count('.') == 3 && IPAddress.TryParse(host, out address!) && address.AddressFamily == AddressFamily.InterNetwork
            && address.ToString().AsSpan().SequenceEqual(host);
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= IPEndPoint.MaxPort;
}

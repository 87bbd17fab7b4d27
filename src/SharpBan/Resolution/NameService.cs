using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace SharpBan.Resolution;

/// <summary>
/// The C library's name service (<c>getaddrinfo</c>, <c>getnameinfo</c>), called directly as fail2ban's Python does.
/// .NET's <see cref="Dns"/> differs where it matters here: for the machine's own host name it answers with every
/// interface address (fail2ban: what <c>/etc/hosts</c> or DNS say, e.g. only 127.0.0.1), and a reverse lookup
/// also resolves the name forward again.
/// </summary>
internal static partial class NameService
{
    private const int AfInet = 2;
    private const int AfInet6 = 10;
    private const int SockDgram = 2;
    private const int IpProtoTcp = 6;
    private const int AiCanonName = 0x2;
    private const int NiNameReqd = 8;
    private const int MaxHost = 1025;
    private const int EaiNoName = -2;

    /// <summary>
    /// The addresses <paramref name="name"/> resolves to, IPv4 then IPv6, each once; empty when it does not. Then
    /// <paramref name="error"/> is the last failed lookup's error as Python words it (<c>[Errno -2] Name or service not
    /// known</c>), null if no lookup failed.
    /// </summary>
    /// <remarks>As fail2ban's <c>dnsToIp</c>: one lookup per family, TCP, no address mapping between families.</remarks>
    public static IReadOnlyList<IPAddress> Addresses(string name, out string? error)
    {
        var found = new List<IPAddress>();
        error = null;
        foreach (var family in (ReadOnlySpan<int>)[AfInet, AfInet6])
        {
            var answers = Lookup(name, new AddrInfo { Family = family, Protocol = IpProtoTcp }, out var rc);
            foreach (var (address, _) in answers)
            {
                if (address is not null && !found.Contains(address))
                {
                    found.Add(address);
                }
            }

            if (rc != 0)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"[Errno {rc}] {Marshal.PtrToStringUTF8(GaiStrError(rc))}");
            }
        }

        if (found.Count > 0)
        {
            error = null;
        }

        return found;
    }

    /// <summary>
    /// The fully qualified name of <paramref name="name"/> as fail2ban's <c>getfqdn</c> finds it: the first canonical
    /// name that starts with <c>name.</c>, else the first canonical name, else the name itself.
    /// </summary>
    public static string FullyQualified(string name)
    {
        string? first = null;
        foreach (var (_, canonical) in Lookup(name, new AddrInfo { Flags = AiCanonName, SockType = SockDgram }, out _))
        {
            if (string.IsNullOrEmpty(canonical))
            {
                continue;
            }

            if (canonical.StartsWith(name + ".", StringComparison.Ordinal))
            {
                return canonical;
            }

            first ??= canonical;
        }

        return first ?? name;
    }

    /// <summary>The host name of <paramref name="address"/> (reverse lookup), null when it has none.</summary>
    public static string? HostName(IPAddress address)
    {
        var sockaddr = SocketAddressBytes(address);
        var host = new byte[MaxHost];
        var rc = GetNameInfo(sockaddr, (uint)sockaddr.Length, host, (uint)host.Length, null, 0, NiNameReqd);
        if (rc != 0)
        {
            return null;
        }

        var length = Array.IndexOf(host, (byte)0);
        return Encoding.UTF8.GetString(host, 0, length < 0 ? host.Length : length);
    }

    /// <summary>getaddrinfo's answers; <paramref name="rc"/> its return code (an <c>EAI_*</c> error, 0 on success).</summary>
    private static List<(IPAddress? Address, string? Canonical)> Lookup(string name, AddrInfo hints, out int rc)
    {
        var results = new List<(IPAddress?, string?)>();
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            rc = EaiNoName;
            return results;
        }

        rc = GetAddrInfo(name, null, ref hints, out var list);
        if (rc != 0)
        {
            return results;
        }

        try
        {
            for (var p = list; p != IntPtr.Zero;)
            {
                var info = Marshal.PtrToStructure<AddrInfo>(p);
                var canonical = info.CanonName == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(info.CanonName);
                results.Add((ReadAddress(info), canonical));
                p = info.Next;
            }
        }
        finally
        {
            FreeAddrInfo(list);
        }

        return results;
    }

    private static IPAddress? ReadAddress(AddrInfo info)
    {
        if (info.Addr == IntPtr.Zero)
        {
            return null;
        }

        switch (info.Family)
        {
            case AfInet when info.AddrLen >= 8:
            {
                var bytes = new byte[4];
                Marshal.Copy(info.Addr + 4, bytes, 0, 4); // sockaddr_in: family (2), port (2), address (4)
                return new IPAddress(bytes);
            }

            case AfInet6 when info.AddrLen >= 24:
            {
                var bytes = new byte[16];
                Marshal.Copy(info.Addr + 8, bytes, 0, 16); // sockaddr_in6: family, port, flowinfo (4), address (16)
                return new IPAddress(bytes);
            }

            default:
                return null;
        }
    }

    private static byte[] SocketAddressBytes(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var sockaddr = new byte[16];
            BitConverter.TryWriteBytes(sockaddr.AsSpan(0, 2), (ushort)AfInet);
            bytes.CopyTo(sockaddr, 4);
            return sockaddr;
        }

        var sockaddr6 = new byte[28];
        BitConverter.TryWriteBytes(sockaddr6.AsSpan(0, 2), (ushort)AfInet6);
        bytes.CopyTo(sockaddr6, 8);
        BitConverter.TryWriteBytes(sockaddr6.AsSpan(24, 4), (uint)address.ScopeId);
        return sockaddr6;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct AddrInfo
    {
        public int Flags;
        public int Family;
        public int SockType;
        public int Protocol;
        public uint AddrLen;
        public IntPtr Addr;
        public IntPtr CanonName;
        public IntPtr Next;
    }

    [LibraryImport("libc", EntryPoint = "getaddrinfo", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetAddrInfo(string node, string? service, ref AddrInfo hints, out IntPtr result);

    [LibraryImport("libc", EntryPoint = "gai_strerror")]
    private static partial IntPtr GaiStrError(int code);

    [LibraryImport("libc", EntryPoint = "freeaddrinfo")]
    private static partial void FreeAddrInfo(IntPtr list);

    [LibraryImport("libc", EntryPoint = "getnameinfo")]
    private static partial int GetNameInfo(byte[] sockaddr, uint length, byte[] host, uint hostLength, byte[]? service, uint serviceLength, int flags);
}

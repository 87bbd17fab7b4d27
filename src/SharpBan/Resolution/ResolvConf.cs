using System.Net;

namespace SharpBan.Resolution;

/// <summary>
/// The name servers of <c>/etc/resolv.conf</c> as the C library reads them: <c>nameserver ADDRESS</c> lines, the first
/// three, port 53. (.NET's interface properties list only the servers of interfaces that are up and not loopback, so
/// a resolver on 127.0.0.1 or inside a network namespace went missing.)
/// </summary>
internal static class ResolvConf
{
    public const string DefaultPath = "/etc/resolv.conf";

    private const int MaxNameServers = 3; // glibc's MAXNS

    public static IReadOnlyList<IPEndPoint> NameServers(string path = DefaultPath)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var found = new List<IPEndPoint>();
        foreach (var line in lines)
        {
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words is ["nameserver", var text, ..] && IPAddress.TryParse(text, out var address) && found.Count < MaxNameServers)
            {
                found.Add(new IPEndPoint(address, 53));
            }
        }

        return found;
    }
}

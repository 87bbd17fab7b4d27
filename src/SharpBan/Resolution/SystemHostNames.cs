using System.Net;

namespace SharpBan.Resolution;

/// <summary>
/// The host's name and FQDN (resolved once, as fail2ban caches them) for the <c>&lt;sh-hostname&gt;</c> and
/// <c>&lt;fq-hostname&gt;</c> action tags.
/// </summary>
internal static class SystemHostNames
{
    public static void Install()
    {
        var name = Dns.GetHostName();
        var fqdn = new Lazy<string>(() => NameService.FullyQualified(name));
        Engine.Actions.HostNames.Provider = fq => fq ? fqdn.Value : name;
    }
}

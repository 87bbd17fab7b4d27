using System.Reflection;

namespace SharpBan;

/// <summary>The versions SharpBan reports.</summary>
internal static class SharpBanVersion
{
    /// <summary>
    /// The fail2ban release whose behaviour SharpBan reproduces: what <c>client version</c> answers and what
    /// <c>regex -V</c> prints (scripts compare it with fail2ban versions).
    /// </summary>
    public const string Fail2Ban = "1.0.2";

    /// <summary>SharpBan's own version (the assembly's informational version, without the source revision).</summary>
    public static string Own =>
        (typeof(SharpBanVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}

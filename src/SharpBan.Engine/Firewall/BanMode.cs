namespace SharpBan.Engine.Firewall;

/// <summary>Which traffic from a banned address the native nftables backend blocks.</summary>
internal enum BanMode
{
    /// <summary>Only the jail's protocols and ports (fail2ban's <c>*-multiport</c> actions).</summary>
    Multiport,

    /// <summary>Every port of the jail's protocols (fail2ban's <c>*-allports</c> actions).</summary>
    AllPorts,
}

using System.Net;

namespace SharpBan.Engine.Jails;

/// <summary>The host's own addresses for <c>ignoreself</c> (localhost, short host name and FQDN resolved).</summary>
internal interface ISelfAddresses
{
    public IReadOnlyCollection<IPAddress> Get();
}

/// <summary>A fixed set of own addresses (tests).</summary>
internal sealed class FixedSelfAddresses(params IPAddress[] addresses) : ISelfAddresses
{
    public IReadOnlyCollection<IPAddress> Get() => addresses;
}

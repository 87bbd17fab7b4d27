using System.Net;

namespace SharpBan.Engine.Firewall;

/// <summary>
/// One address or network to ban and how long the ban still has to run; <see langword="null"/> is a permanent ban.
/// The remaining time becomes the kernel element's timeout (a safety net if the daemon dies). A
/// <paramref name="PrefixLength"/> shorter than the address width makes it a network (<paramref name="Address"/> with
/// its host bits clear); null is the single address.
/// </summary>
internal readonly record struct BanEntry(IPAddress Address, TimeSpan? Remaining, int? PrefixLength = null)
{
    /// <summary>What an unban of this entry names.</summary>
    public NftTarget Target => new(Address, PrefixLength);
}

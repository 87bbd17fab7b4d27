using System.Net;

namespace SharpBan.Engine.Firewall;

/// <summary>
/// An address, or a network when <paramref name="PrefixLength"/> is shorter than the address width (null: the single
/// address), as the native backend bans and unbans it.
/// </summary>
internal readonly record struct NftTarget(IPAddress Address, int? PrefixLength = null);

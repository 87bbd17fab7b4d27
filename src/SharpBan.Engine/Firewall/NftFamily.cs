namespace SharpBan.Engine.Firewall;

/// <summary>Address families of the native backend; each has its own set per jail.</summary>
[Flags]
internal enum NftFamily
{
    None = 0,
    IPv4 = 1,
    IPv6 = 2,
    Both = IPv4 | IPv6,
}

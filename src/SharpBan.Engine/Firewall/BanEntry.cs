using System.Net;

namespace SharpBan.Engine.Firewall;

/// <summary>
/// One address to ban and how long the ban still has to run; <see langword="null"/> is a permanent ban.
/// The remaining time becomes the kernel element's timeout (a safety net if the daemon dies).
/// </summary>
internal readonly record struct BanEntry(IPAddress Address, TimeSpan? Remaining);

using SharpBan.Engine.Jails;

namespace SharpBan.Storage;

/// <summary>A running jail and its current bans, as the daemon holds them: what a repaired database file is given again.</summary>
internal sealed record JailBans(string Jail, long BanTime, IReadOnlyList<BanTicket> Bans);

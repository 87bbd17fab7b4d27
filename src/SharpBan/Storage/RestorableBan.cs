namespace SharpBan.Storage;

/// <summary>A <c>bips</c> row to restore at jail start.</summary>
internal sealed record RestorableBan(string Ip, double TimeOfBan, long BanTime, int BanCount, int Failures, IReadOnlyList<string> Matches);

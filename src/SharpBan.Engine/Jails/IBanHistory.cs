namespace SharpBan.Engine.Jails;

/// <summary>Earlier bans as the database remembers them (for <c>bantime.increment</c> and <c>&lt;ip*matches&gt;</c>).</summary>
internal interface IBanHistory
{
    /// <summary>The latest ban of <paramref name="ip"/> in <paramref name="jail"/> (or summed over all jails).</summary>
    public PreviousBan? GetLastBan(string ip, string jail, bool overallJails);

    /// <summary>Stored match lines of all bans of <paramref name="ip"/>, newest first (jail null = all jails); null without a database.</summary>
    public IReadOnlyList<string>? GetMatches(string ip, string? jail);

    /// <summary>Failures summed over all bans of <paramref name="ip"/> (jail null = all jails); null without a database.</summary>
    public int? GetFailures(string ip, string? jail);
}

/// <summary>A row of fail2ban's <c>bips</c> table, as far as increment needs it.</summary>
internal sealed record PreviousBan(int BanCount, double TimeOfBan, long BanTime);

/// <summary>No database: nothing was ever banned before.</summary>
internal sealed class NoBanHistory : IBanHistory
{
    public static NoBanHistory Instance { get; } = new();

    public PreviousBan? GetLastBan(string ip, string jail, bool overallJails) => null;

    public IReadOnlyList<string>? GetMatches(string ip, string? jail) => null;

    public int? GetFailures(string ip, string? jail) => null;
}

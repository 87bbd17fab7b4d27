namespace SharpBan.Engine.Jails;

/// <summary>
/// A ban of one id (fail2ban's <c>BanTicket</c>): time of the last counted failure (or of a manual ban), its own ban
/// time when it differs from the jail's (increment, restore), the ban count and the data actions may use.
/// </summary>
internal sealed class BanTicket(string id, double time)
{
    public const long Permanent = -1;

    public string Id { get; } = id;

    public double Time { get; set; } = time;

    /// <summary>
    /// Explicit ban time in seconds; null means the jail's ban time. Fractional once an "already banned" ban was prolonged
    /// by the time between the two bans (fail2ban's float), so that the ends of bans compare as in fail2ban.
    /// </summary>
    public double? BanTime { get; set; }

    public int BanCount { get; set; }

    public int Failures { get; init; }

    public IReadOnlyList<string> Matches { get; set; } = [];

    public IReadOnlyDictionary<string, object?> Data { get; init; } = new Dictionary<string, object?>();

    /// <summary>Restored from the database at start (no database write, <c>norestored</c> actions skipped).</summary>
    public bool Restored { get; set; }

    /// <summary>
    /// The time is a Python int in fail2ban (<c>&lt;time&gt;</c> without <c>.0</c>): a database row's time of ban, or a
    /// failure date with a zone (<c>calendar.timegm</c>); otherwise a float.
    /// </summary>
    public bool IntegerTime { get; init; }

    /// <summary>The address actions see as <c>&lt;ip&gt;</c>: the data's <c>ip</c> if captured, else the id.</summary>
    public string Ip => Data.GetValueOrDefault("ip") as string is { Length: > 0 } ip ? ip : Id;

    public double EffectiveBanTime(long jailBanTime) => BanTime ?? jailBanTime;

    /// <summary>End of the ban (Unix seconds); <see cref="double.PositiveInfinity"/> when permanent.</summary>
    public double EndOfBan(long jailBanTime)
    {
        var bantime = EffectiveBanTime(jailBanTime);
        return bantime == Permanent ? double.PositiveInfinity : Time + bantime;
    }

    public static BanTicket From(FailTicket fail) => new(fail.Id, fail.LastTime)
    {
        IntegerTime = fail.LastTimeIsInteger,
        Failures = fail.Failures,
        Matches = [.. fail.Matches],
        Data = fail.Data,
    };
}

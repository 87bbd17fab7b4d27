namespace SharpBan.Engine.Matching;

/// <summary>
/// One failregex hit: the failure id (null while an mlfid session waits for its address), the time and the
/// captured data (<c>matches</c>, <c>user</c>, <c>users</c>, <c>ip4</c>, <c>nofail</c>, any <c>F-*</c> group …).
/// </summary>
public sealed record FilterHit(int FailRegexIndex, string? Id, double? Time, IReadOnlyDictionary<string, object?> Data)
{
    /// <summary>fail2ban has the time as an int, not a float (a TAI64N date): printed without a fraction.</summary>
    public bool IntegralTime { get; init; }

    /// <summary>
    /// The host name of a failure whose addresses the resolver did not know in time (<see cref="IDnsResolver.TryResolve"/>):
    /// the hit has no id yet; the daemon counts it once the lookup answers (<see cref="WithId"/>).
    /// </summary>
    public string? UnresolvedHost { get; init; }

    /// <summary>Counts toward a ban: has an id and is not a "no failure" (success) line.</summary>
    public bool IsFailure => Id is not null && !PyValue.IsTrue(Data.GetValueOrDefault("nofail"));

    /// <summary>Waits for its host name's addresses: a failure (not a "no failure" line) with <see cref="UnresolvedHost"/>.</summary>
    public bool IsUnresolvedFailure => UnresolvedHost is not null && !PyValue.IsTrue(Data.GetValueOrDefault("nofail"));

    /// <summary>This hit for one address its <see cref="UnresolvedHost"/> resolved to.</summary>
    public FilterHit WithId(string address) => this with { Id = address, UnresolvedHost = null };

    /// <summary>The matched lines (original text, date included).</summary>
    public IReadOnlyList<LineTuple> Matches =>
        Data.GetValueOrDefault("matches") as IReadOnlyList<LineTuple> ?? [];

    /// <summary>
    /// The groups as a failure ticket keeps them: a copy (the filter keeps updating the data of a multi-line session,
    /// same mlfid, after this hit) without <c>matches</c>, the lines split around their date, which the ticket keeps
    /// as text already (a third of the memory of a tracked address).
    /// </summary>
    public Dictionary<string, object?> TicketData()
    {
        var copy = new Dictionary<string, object?>(Data.Count, StringComparer.Ordinal);
        foreach (var (key, value) in Data)
        {
            if (key != "matches")
            {
                copy[key] = value;
            }
        }

        return copy;
    }
}

namespace SharpBan.Engine.Matching;

/// <summary>
/// One failregex hit: the failure id (null while an mlfid session waits for its address), the time and the
/// captured data (<c>matches</c>, <c>user</c>, <c>users</c>, <c>ip4</c>, <c>nofail</c>, any <c>F-*</c> group …).
/// </summary>
public sealed record FilterHit(int FailRegexIndex, string? Id, double? Time, IReadOnlyDictionary<string, object?> Data)
{
    /// <summary>fail2ban has the time as an int, not a float (a TAI64N date): printed without a fraction.</summary>
    public bool IntegralTime { get; init; }

    /// <summary>Counts toward a ban: has an id and is not a "no failure" (success) line.</summary>
    public bool IsFailure => Id is not null && !PyValue.IsTrue(Data.GetValueOrDefault("nofail"));

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

namespace SharpBan.Server.Logs;

/// <summary>
/// Where a journal jail starts reading: just after the stored <paramref name="Cursor"/> if it is recent enough,
/// else at <paramref name="Since"/> (now − findtime, or the stored time if later), as fail2ban seeks.
/// </summary>
internal sealed record JournalStart(string? Cursor, double Since)
{
    /// <summary>The stored position (cursor and entry time of the last entry read) against now − findtime.</summary>
    public static JournalStart From((string? Cursor, long Time)? stored, double now, double findTime)
    {
        var since = now - findTime;
        if (stored is not { } s)
        {
            return new JournalStart(null, since);
        }

        // a cursor older than findtime would replay entries fail2ban skips; older databases hold an ISO date here
        return s.Time >= since && s.Cursor is { } c && c.StartsWith("s=", StringComparison.Ordinal)
            ? new JournalStart(c, s.Time)
            : new JournalStart(null, Math.Max(since, s.Time));
    }
}

namespace SharpBan.Server.Jails;

/// <summary>
/// <c>set JAIL idle on|off</c>, as fail2ban's idle jail: its filter stops reading, and the lines written meanwhile (or
/// journal entries) are read when it wakes, not lost. <c>start JAIL</c> and a reload wake it. The server records where
/// each file was when the jail went idle and reads on from there when it wakes.
/// </summary>
internal sealed partial class Jail
{
    public bool Idle { get; private set; }

    /// <summary>Where each of the jail's files was read to when it went idle (path → position, first-line hash).</summary>
    public Dictionary<string, (long Position, string? Hash)> IdleFrom { get; } = new(StringComparer.Ordinal);

    /// <summary>The journal jail's last entry read when it went idle: its <c>journalctl</c> resumes there when it wakes.</summary>
    public (string? Cursor, long Time)? JournalIdleFrom { get; set; }

    /// <summary>Goes idle; <paramref name="positions"/>: how far each of its files was read.</summary>
    public void Sleep(IEnumerable<(string Path, long Position, string? Hash)> positions)
    {
        if (Idle)
        {
            return;
        }

        Idle = true;
        foreach (var (path, position, hash) in positions)
        {
            IdleFrom[path] = (position, hash);
        }
    }

    /// <summary>Wakes; returns where to read each file on from (the server does).</summary>
    public IReadOnlyList<(string Path, long Position, string? Hash)> Wake()
    {
        if (!Idle)
        {
            return [];
        }

        Idle = false;
        var from = IdleFrom.Select(p => (p.Key, p.Value.Position, p.Value.Hash)).ToList();
        IdleFrom.Clear();
        return from;
    }
}

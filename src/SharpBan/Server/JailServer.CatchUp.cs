using SharpBan.Server.Jails;
using SharpBan.Server.Logs;

namespace SharpBan.Server;

/// <summary>
/// One reader per file is shared by every jail that watches it (<see cref="LogFileHub"/>), while fail2ban reads each
/// jail's files on their own. Where a jail's own position differs from the shared reader's, the difference is made up
/// here, so that it sees the lines fail2ban's jail would see: a jail that joins a file other jails already read (started
/// later, stopped and started again, re-added by a reload, given the file by <c>addlogpath</c>) reads the lines before
/// the shared position once on its own, from its stored position or the head; a jail whose stored position lies ahead
/// of the shared reader skips the lines it read before; an idle jail reads what was written meanwhile when it wakes.
/// </summary>
internal sealed partial class JailServer
{
    /// <summary>Subscribes a running jail to one of its files, then reads what the jail has not read but the others have.</summary>
    private async Task SubscribeLogAsync(Jail jail, string path, bool tail)
    {
        var stored = Database?.GetLogPosition(jail.Name, path);
        var reader = _files.Subscribe(path, tail, !LogFileHub.UsesInotify(jail.Backend), jail.LogEncoding, stored, out var opened);
        if (!opened && !tail)
        {
            await CatchUpAsync(jail, reader, stored, inOperation: false).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads <paramref name="shared"/>'s file for <paramref name="jail"/> alone from <paramref name="from"/> (used when the
    /// file still has that first line, else from the head) to where the jails were given it; an idle jail only notes
    /// where to start when it wakes. A start beyond the shared position is noted in <see cref="Jail.ReadAhead"/>.
    /// </summary>
    private async Task CatchUpAsync(Jail jail, LogFileReader shared, (string? Hash, long Position)? from, bool inOperation)
    {
        var (target, hash) = shared.Dispatched;
        using var own = new LogFileReader(shared.Path, _filterLog);
        own.SetEncoding(jail.LogEncoding);
        if (!own.Open(tail: false, from) || own.FirstLineHash != hash)
        {
            return; // not there, or another file by now (rotated): the shared reader gives the jail the new one
        }

        if (own.Position > target)
        {
            jail.ReadAhead[shared.Path] = (own.Position, hash);
            return;
        }

        if (jail.Idle)
        {
            jail.IdleFrom.TryAdd(shared.Path, (own.Position, hash));
            return;
        }

        for (var lines = own.ReadUntil(target); lines.Count > 0; lines = own.ReadUntil(target))
        {
            await jail.ProcessLinesAsync(lines, inOperation).ConfigureAwait(false);
        }

        Database?.SetLogPosition(jail.Name, shared.Path, hash, own.Position);
    }

    /// <summary>The lines of a read that <paramref name="jail"/> has not read before (see <see cref="Jail.ReadAhead"/>).</summary>
    private static IReadOnlyList<string> NotReadAhead(Jail jail, LogFileReader reader, IReadOnlyList<string> lines)
    {
        if (!jail.ReadAhead.TryGetValue(reader.Path, out var ahead))
        {
            return lines;
        }

        var ends = reader.LineEnds;
        if (ahead.Hash != reader.FirstLineHash || ends.Count != lines.Count)
        {
            jail.ReadAhead.Remove(reader.Path); // another file now: all of it is new to the jail
            return lines;
        }

        var skip = 0;
        while (skip < ends.Count && ends[skip] <= ahead.Position)
        {
            skip++;
        }

        if (skip < lines.Count || (ends.Count > 0 && ends[^1] >= ahead.Position))
        {
            jail.ReadAhead.Remove(reader.Path); // caught up with where the jail was
        }

        return skip == 0 ? lines : [.. lines.Skip(skip)];
    }

    /// <summary><c>set JAIL idle on|off</c>.</summary>
    private async Task<bool> SetIdleLockedAsync(Jail jail, bool idle)
    {
        if (idle)
        {
            var positions = new List<(string, long, string?)>();
            foreach (var (path, _) in jail.IsRunning ? jail.LogPaths : []) // a jail not started yet reads from its own start
            {
                if (_files.ReaderOf(path) is { } reader)
                {
                    positions.Add((path, reader.Dispatched.Position, reader.Dispatched.Hash));
                }
            }

            if (!jail.Idle && jail.IsJournal && _journals.TryGetValue(jail.Name, out var journal))
            {
                jail.JournalIdleFrom = journal.Last;
            }

            jail.Sleep(positions);
        }
        else
        {
            await WakeLockedAsync(jail).ConfigureAwait(false);
        }

        return jail.Idle;
    }

    /// <summary>Wakes an idle jail: it reads the lines written to its files (or the journal entries) meanwhile.</summary>
    private async Task WakeLockedAsync(Jail jail)
    {
        if (jail.JournalIdleFrom is { } resume && jail.Idle)
        {
            jail.JournalIdleFrom = null;
            if (jail.IsRunning && _journals.Remove(jail.Name, out var journal))
            {
                Retire(journal);
                _ = jail.Wake();
                await StartJournalLockedAsync(jail, resume).ConfigureAwait(false);
                return;
            }
        }

        foreach (var (path, position, hash) in jail.Wake())
        {
            if (jail.IsRunning && jail.LogPaths.Any(l => l.Path == path) && _files.ReaderOf(path) is { } reader)
            {
                await CatchUpAsync(jail, reader, (hash, position), reader.InOperation).ConfigureAwait(false);
            }
        }
    }
}

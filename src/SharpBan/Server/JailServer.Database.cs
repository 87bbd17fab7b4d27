using SharpBan.Storage;

namespace SharpBan.Server;

/// <summary>
/// Keeping the database file the daemon's: checked at each gate exit (a <c>stat</c>, before the burst's actions run),
/// repaired when it was deleted, replaced, rewritten or could not be written, with the jails' current bans; the log
/// names the file. Bans never depend on it: they are enforced from memory meanwhile.
/// </summary>
internal sealed partial class JailServer
{
    private bool _restoreFromDatabase;
    private Func<IReadOnlyList<JailBans>>? _currentBans;

    /// <summary>One check or repair attempt of the database when due (always with <paramref name="force"/>: at shutdown).</summary>
    private void MaintainDatabase(bool force)
    {
        if (Database?.Maintain(_currentBans ??= CurrentBans, force) is not { } attempt)
        {
            return;
        }

        if (!attempt.Succeeded)
        {
            Log.DatabaseUnusable(_log, Database.Path, attempt.Error!, BanDatabase.Seconds(attempt.RetrySeconds));
            _expiryChanged.Release(); // housekeeping re-plans its wake-up for the next attempt
            return;
        }

        foreach (var jail in _jails.Values)
        {
            jail.WindowsLost(); // saved again at the next gate exit
        }

        if (attempt.Cause == DatabaseTrouble.Failed)
        {
            Log.DatabaseUsableAgain(_log, Database.Path, attempt.Outcome!);
        }
        else
        {
            Log.DatabaseRecreated(_log, Database.Path, attempt.Change, attempt.Outcome!);
        }

        if (attempt.RestoreBans && !force)
        {
            // the file has bans of its own (a restored copy, a file unusable at start): housekeeping restores them
            _restoreFromDatabase = true;
            _expiryChanged.Release();
        }
    }

    /// <summary>What a repaired file is given: every jail with its current bans.</summary>
    private List<JailBans> CurrentBans() =>
        [.. _jails.Values.Select(static j => new JailBans(j.Name, j.Bans.BanTime, [.. j.Bans.Tickets]))];

    /// <summary>Under the gate (housekeeping): the running jails restore the bans of a repaired file that they do not have.</summary>
    private async Task RestoreFromDatabaseAsync()
    {
        if (!_restoreFromDatabase)
        {
            return;
        }

        _restoreFromDatabase = false;
        foreach (var jail in _jails.Values.Where(static j => j.IsRunning).ToList())
        {
            await jail.RestoreMissingBansAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Seconds until the database wants a check or another repair attempt (housekeeping sleeps at most that long).</summary>
    private double? UntilDatabaseMaintenance() => Database is { } db ? db.NextMaintenance - _context.Now() : null;
}

using SharpBan.Engine.Jails;

namespace SharpBan.Server.Jails;

/// <summary>
/// The <c>thresholds</c> windows kept in the database (<see cref="Storage.BanDatabase.SaveFailureWindows"/>): restored
/// when the jail starts, their changes saved at every gate exit in the same transaction as the log positions, so a
/// restart or a crash neither forgets nor counts twice a failure of a line already read.
/// </summary>
internal sealed partial class Jail
{
    /// <summary>The windows whose changes the database follows (null: none, so nothing of this jail is saved).</summary>
    private ThresholdCounter? _savedWindows;

    /// <summary>
    /// Under the gate, before the database commits: saves the windows' changes since the last call. Not before the jail
    /// started (<see cref="RestoreWindows"/> first reads what the last run saved; a jail added and given its options by
    /// separate commands would otherwise find it deleted).
    /// </summary>
    public void SaveWindows()
    {
        if (Database is null || !IsRunning)
        {
            return;
        }

        var windows = Failures.Windows;
        if (!ReferenceEquals(windows, _savedWindows))
        {
            // thresholds turned off (the saved failures are stale), or on again with empty windows
            Database.DeleteFailureWindows(Name);
            _savedWindows = windows;
            windows?.MarkAllChanged();
        }

        if (windows is null)
        {
            return;
        }

        var changed = windows.TakeChanged();
        if (changed.Count > 0)
        {
            Database.SaveFailureWindows(Name, [.. changed.Select(id => (id, windows.TryGet(id, out var times) ? times.Entries : null))]);
        }
    }

    /// <summary>After the database file was repaired: it lost what was saved, so everything is saved again.</summary>
    public void WindowsLost() => Failures.Windows?.MarkAllChanged();

    /// <summary>
    /// At start: the windows get back the failures saved by the last run (those still inside the longest window); a jail
    /// without <c>thresholds</c> now drops what an earlier run saved.
    /// </summary>
    private void RestoreWindows()
    {
        _savedWindows = Failures.Windows;
        if (Database is null)
        {
            return;
        }

        if (Failures.Windows is not { } windows)
        {
            Database.DeleteFailureWindows(Name);
            return;
        }

        var saved = Database.GetFailureWindows(Name);
        foreach (var (id, failures) in saved)
        {
            windows.Restore(id, failures);
        }

        windows.Cleanup(_context.Now());
        if (windows.Count > 0)
        {
            Log.ThresholdsRestored(_log, Name, windows.Count);
        }
    }
}

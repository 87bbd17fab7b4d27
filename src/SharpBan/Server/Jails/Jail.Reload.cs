using SharpBan.Engine.Actions;
using SharpBan.Engine.Firewall;
using SharpBan.Engine.Jails;

namespace SharpBan.Server.Jails;

/// <summary>
/// fail2ban's in-place reload of a running jail. <see cref="BeginReload"/> clears the list options the configuration
/// stream adds to (failregex, ignoreregex, ignoreip, journalmatch) and remembers the log paths and actions; while the
/// stream is applied, a log path or action it names again is kept as it is (<see cref="KeepLogPath"/>,
/// <see cref="ReloadAction"/>). <see cref="EndReloadAsync"/> then drops what the stream did not name and runs the
/// actions' side of it: <c>actionreload</c> for kept actions, flush (or unban each) and <c>actionstop</c> for removed
/// ones, <c>actionstart</c> and the current bans for new ones. Bans and failure counts are never touched.
/// </summary>
internal sealed partial class Jail
{
    /// <summary>The action properties fail2ban resets before the stream sets them again (its <c>clearAllParams</c>).</summary>
    private static readonly string[] ReloadedActionProperties =
    [
        "actionstart", "actionban", "actionreban", "actionunban", "actioncheck", "actionrepair", "actionflush",
        "actionstop", "actionreload", "timeout",
    ];

    private ReloadState? _reload;

    /// <summary>Between <see cref="BeginReload"/> and <see cref="EndReloadAsync"/>.</summary>
    public bool IsReloading => _reload is not null;

    public void BeginReload()
    {
        _reload = new ReloadState(
            [.. LogPaths.Select(l => l.Path)],
            JournalMatchText(),
            ActionOrder.Where(IsNativeAction).ToDictionary(n => n, n => Snapshot(Actions[n].Properties), StringComparer.Ordinal));
        FailRegex.Clear();
        IgnoreRegex.Clear();
        Ignore.Clear();
        JournalMatch.Clear();
        BanPrefix = BanPrefix.Off; // streamed only when set: a configuration without it goes back to the default
        Failures.MaxTracked = FailManager.DefaultMaxTracked; // likewise; nothing is forgotten before the next new address
        InvalidateFilter();
    }

    /// <summary>During a reload: the stream set <c>thresholds</c>, which therefore stays as set.</summary>
    private void NoteThresholdsSet()
    {
        if (_reload is not null)
        {
            _reload.ThresholdsSet = true;
        }
    }

    /// <summary>During a reload: true when <paramref name="path"/> is already monitored (it stays, at its position).</summary>
    public bool KeepLogPath(string path) => _reload?.StaleLogPaths.Remove(path) == true;

    /// <summary>
    /// During a reload: true when the action exists; it is kept (started state, bans) with its standard commands
    /// cleared for the stream to set again.
    /// </summary>
    public bool ReloadAction(string name)
    {
        if (_reload is null || !Actions.TryGetValue(name, out var action) || _reload.NewActions.Contains(name))
        {
            return false;
        }

        foreach (var property in ReloadedActionProperties)
        {
            action.Properties.Remove(property);
        }

        _reload.KeptActions.Add(name);
        return true;
    }

    /// <summary>
    /// Applies the end of a reload (see the type's summary); returns the log paths no longer monitored and whether
    /// the journal matches changed (the server re-opens those sources).
    /// </summary>
    public async Task<(IReadOnlyList<string> RemovedLogPaths, bool JournalMatchChanged)> EndReloadAsync()
    {
        var state = _reload ?? throw new InvalidOperationException($"jail '{Name}' is not being reloaded");
        _reload = null;
        if (!state.ThresholdsSet)
        {
            Failures.Thresholds = Thresholds.Off; // streamed only when set; the windows' failures stay when it is set again
        }

        LogPaths.RemoveAll(l => state.StaleLogPaths.Contains(l.Path));
        var now = _context.Now();

        var removed = ActionOrder.Where(n => !state.KeptActions.Contains(n) && !state.NewActions.Contains(n)).ToList();
        var removedActions = removed.Select(n => Actions[n]).ToList();
        foreach (var name in removed)
        {
            Actions.Remove(name);
            ActionOrder.Remove(name);
        }

        await ResizeSchedulerAsync().ConfigureAwait(false);

        bool WasNative(string name) => state.NativeProperties.ContainsKey(name);
        bool IsNew(string name) => state.NewActions.Contains(name);
        bool NativeChanged(string name) => state.NativeProperties.TryGetValue(name, out var before) && !Snapshot(Actions[name].Properties).SequenceEqual(before);

        // kept command actions: actionreload (fail2ban's CommandAction.reload), after every property was set
        foreach (var action in CommandActions.Where(a => !IsNew(a.Name) && !WasNative(a.Name)))
        {
            Enqueue(action, null, () => action.ReloadAsync(now, _stopping.Token));
        }

        // actions gone (or no longer run by their commands): their bans removed from them, then stopped in reverse order
        var retired = removedActions.Where(a => !WasNative(a.Name))
            .Concat(ActionOrder.Where(n => !IsNew(n) && !WasNative(n) && IsNativeAction(n)).Select(n => Actions[n]))
            .ToList();
        RetireActions(retired, removedActions, now);

        // native actions gone, switched to commands or with other settings: their chain removed (then re-created below)
        foreach (var name in removed.Where(WasNative).Concat(ActionOrder.Where(n => WasNative(n) && (!IsNativeAction(n) || NativeChanged(n)))).ToList())
        {
            await StopNativeActionAsync(name).ConfigureAwait(false);
        }

        // new actions (and those that switched between native and commands): started with the jail's current bans
        foreach (var action in CommandActions.Where(a => IsNew(a.Name) || WasNative(a.Name)))
        {
            AdoptBans(action, now);
        }

        var bans = Bans.Tickets.Select(t => NativeEntry(t, now)).OfType<BanEntry>().ToList();
        foreach (var name in ActionOrder.Where(n => IsNativeAction(n) && (IsNew(n) || !WasNative(n) || NativeChanged(n))).ToList())
        {
            await StartNativeActionAsync(name, bans).ConfigureAwait(false);
        }

        ExpiryChanged?.Invoke(); // bantime may have changed
        return ([.. state.StaleLogPaths], JournalMatchText() != state.JournalMatch);
    }

    /// <summary>Records an action added by the stream of a reload (started at its end, not now).</summary>
    private void NoteNewAction(string name) => _reload?.NewActions.Add(name);

    /// <summary>fail2ban's flush of removed actions: the jail's bans removed from each, then each stopped, in reverse.</summary>
    private void RetireActions(List<CommandAction> retired, List<CommandAction> disposeAfter, double now)
    {
        var tickets = Bans.Tickets.ToList();
        foreach (var action in retired)
        {
            EnqueueFlush(action, tickets, now);
        }

        foreach (var action in Enumerable.Reverse(retired))
        {
            Enqueue(action, null, () => action.StopAsync(now, CancellationToken.None));
        }

        foreach (var action in disposeAfter)
        {
            Enqueue(null, () =>
            {
                action.Dispose();
                return Task.CompletedTask;
            });
        }
    }

    /// <summary>A new action of a running jail: <c>actionstart</c>, then the bans the jail holds (unless <c>norestored</c>).</summary>
    private void AdoptBans(CommandAction action, double now)
    {
        Enqueue(action, null, () => action.StartAsync(now, _stopping.Token));
        if (action.NoRestored)
        {
            return;
        }

        foreach (var ticket in Bans.Tickets.ToList())
        {
            var values = Tags(ticket, now);
            Enqueue(action, ticket.Id, () => action.BanAsync(ticket, values, now, _stopping.Token));
        }
    }

    /// <summary>A changed <c>concurrency</c> takes effect: the old scheduler finishes its work before the new one gets any.</summary>
    private async Task ResizeSchedulerAsync()
    {
        var lanes = ActionLanes();
        if (_scheduler is null || (_scheduler.Lanes.Count == lanes.Count && !lanes.Except(_scheduler.Lanes).Any()))
        {
            return;
        }

        var old = _scheduler;
        _scheduler = new ActionScheduler(ActionScheduler.DefaultConcurrency, ActionException, lanes);
        await old.DisposeAsync().ConfigureAwait(false);
    }

    private string JournalMatchText() => string.Join('\n', JournalMatch.Select(g => string.Join(' ', g)));

    private static List<KeyValuePair<string, string>> Snapshot(Dictionary<string, string> properties) =>
        [.. properties.OrderBy(p => p.Key, StringComparer.Ordinal)];

    private sealed record ReloadState(HashSet<string> StaleLogPaths, string JournalMatch, Dictionary<string, List<KeyValuePair<string, string>>> NativeProperties)
    {
        public HashSet<string> KeptActions { get; } = new(StringComparer.Ordinal);

        public HashSet<string> NewActions { get; } = new(StringComparer.Ordinal);

        /// <summary>The stream set <c>thresholds</c> (else it goes back to off at the end).</summary>
        public bool ThresholdsSet { get; set; }
    }
}

using System.Collections.Concurrent;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;

namespace SharpBan.Server.Jails;

/// <summary>
/// Keeping the firewall in step with the ban list when something outside SharpBan broke it (a firewall reload, <c>nft
/// flush ruleset</c>, <c>iptables -F</c>). As fail2ban: a banned address that still fails more than 3 s after its ban
/// means its block is missing, so each action's <c>actioncheck</c> runs (at most every 3 s per jail) and a broken
/// environment is repaired (<c>actionrepair</c>, or stop and start). Beyond fail2ban, which re-applies a ban only when
/// that address shows up again, every ban of the repaired action and family is sent again at once (<c>actionreban</c>,
/// else <c>actionban</c>), so no other ban stays lost; bans applied since the repair are skipped
/// (<see cref="CommandAction.Epoch"/>).
/// </summary>
internal sealed partial class Jail
{
    private const double ConsistencyInterval = 3;

    private readonly ConcurrentQueue<(string Action, string Family)> _repaired = new();
    private double _lastConsistencyCheck = double.NegativeInfinity;

    /// <summary>Called (on any thread) when an action was repaired: the server sends its bans again under its gate.</summary>
    private void OnRepaired(string action, string family)
    {
        _repaired.Enqueue((action, family));
        ExpiryChanged?.Invoke(); // wakes the server's housekeeping, which calls ReapplyRepaired
    }

    /// <summary>A failure of <paramref name="banned"/> (a ban id) came <paramref name="late"/> seconds after its ban.</summary>
    private void CheckConsistency(string banned, double late, double now)
    {
        if (late <= ConsistencyInterval || now <= _lastConsistencyCheck + ConsistencyInterval)
        {
            return;
        }

        _lastConsistencyCheck = now;
        foreach (var action in CommandActions)
        {
            Enqueue(action, null, () => action.ConsistencyCheckAsync(now, _stopping.Token));
        }

        foreach (var (name, native) in _native)
        {
            var target = NativeTarget(Bans.TryGet(banned, out var ticket) ? ticket.Ip : banned);
            Enqueue("native " + name, null, () => CheckNativeAsync(name, native, target));
        }
    }

    /// <summary>
    /// A native action whose chain is gone, or whose set lost the element of the address that failed again: logged as
    /// fail2ban's failed check, and noted for a restart with every ban.
    /// </summary>
    private async Task CheckNativeAsync(string name, Firewall.NativeNftablesJail native, Engine.Firewall.NftTarget? banned)
    {
        try
        {
            if (await NativeBackend!().IsIntactAsync(native, banned, _stopping.Token).ConfigureAwait(false))
            {
                return;
            }
        }
        catch (Exception e) when (e is Firewall.NftablesException or InvalidOperationException or IOException)
        {
            Log.NativeFailed(_log, Name, name, "check", e.Message);
        }

        Engine.Log.InvariantCheckFailed(_log, Name, name);
        OnRepaired(name, "");
    }

    /// <summary>Sends every ban again to the actions repaired since the last call (server gate held).</summary>
    public void ReapplyRepaired()
    {
        if (_repaired.IsEmpty)
        {
            return;
        }

        var repaired = new HashSet<(string, string)>();
        while (_repaired.TryDequeue(out var item))
        {
            repaired.Add(item);
        }

        if (!IsRunning)
        {
            return;
        }

        var now = _context.Now();
        foreach (var (name, family) in repaired)
        {
            if (!Actions.TryGetValue(name, out var action))
            {
                continue;
            }

            if (IsNativeAction(name))
            {
                RestartNative(name, now);
                continue;
            }

            foreach (var ticket in Bans.Tickets.Where(t => action.InFamily(t, family)).ToList())
            {
                Log.Reban(_log, Name, ticket.Id, name);
                var values = Tags(ticket, now);
                Enqueue(action, ticket.Id, () => action.RebanAsync(ticket, values, now, _stopping.Token));
            }
        }
    }

    /// <summary>Creates a native action's chain and sets again with every current ban, in one transaction.</summary>
    private void RestartNative(string name, double now)
    {
        if (!_native.TryGetValue(name, out var native))
        {
            return;
        }

        var bans = Bans.Tickets.Select(t => NativeEntry(t, now)).OfType<Engine.Firewall.BanEntry>().ToList();
        Log.NativeRestarted(_log, Name, name, bans.Count);
        _nativeDeferred.Add(() => Track(name, "restart", () => NativeBackend!().RestartAsync(native, bans, _stopping.Token)));
    }
}

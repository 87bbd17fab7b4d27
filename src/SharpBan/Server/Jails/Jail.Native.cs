using SharpBan.Engine.Actions;
using SharpBan.Engine.Firewall;
using SharpBan.Engine.Jails;
using SharpBan.Firewall;

namespace SharpBan.Server.Jails;

/// <summary>
/// Actions handled by the native nftables backend (<c>native = nftables</c> among their properties): instead of
/// running their (empty) commands, the jail starts a <see cref="NativeNftablesJail"/> on the server's shared
/// <see cref="NativeNftablesBackend"/> with its restored bans in one transaction, and sends every ban and unban to it.
/// Requests are held back until the server committed the database (<see cref="ReleaseNative"/>), consecutive bans
/// coalesced into one request, then queued in call order (the backend's queue is first in, first out), so they need
/// not be awaited one by one; failures are logged.
/// </summary>
internal sealed partial class Jail
{
    private readonly Dictionary<string, NativeNftablesJail> _native = new(StringComparer.Ordinal);
    private List<BanEntry>? _nativeRestoring;
    private readonly List<BanEntry> _nativeBanBatch = [];
    private readonly List<Action> _nativeDeferred = [];
    private Task _nativeTail = Task.CompletedTask;

    /// <summary>The server's shared native backend (created on first use); null when the daemon has none.</summary>
    public Func<NativeNftablesBackend>? NativeBackend { get; set; }

    /// <summary>Whether the action <paramref name="name"/> is handled by the native backend, not by its commands.</summary>
    public bool IsNativeAction(string name) =>
        NativeBackend is not null && Actions.TryGetValue(name, out var a) && NativeActionSettings.IsNative(a.Properties);

    /// <summary>The actions whose commands run (every action that is not native).</summary>
    private IEnumerable<CommandAction> CommandActions => ActionOrder.Where(n => !IsNativeAction(n)).Select(n => Actions[n]);

    private bool HasNativeActions => ActionOrder.Any(IsNativeAction);

    /// <summary>Before restoring bans: collect them for the start transaction instead of sending them one by one.</summary>
    private void BeginNativeStart()
    {
        if (HasNativeActions)
        {
            _nativeRestoring = [];
        }
    }

    /// <summary>Starts every native action with the bans collected since <see cref="BeginNativeStart"/>.</summary>
    private async Task CompleteNativeStartAsync()
    {
        var restored = _nativeRestoring ?? [];
        _nativeRestoring = null;
        foreach (var name in ActionOrder.Where(IsNativeAction).ToList())
        {
            await StartNativeActionAsync(name, restored).ConfigureAwait(false);
        }
    }

    /// <summary>Starts one native action with <paramref name="bans"/> (those of its families) in one transaction.</summary>
    private async Task StartNativeActionAsync(string name, IReadOnlyList<BanEntry> bans)
    {
        try
        {
            var settings = NativeActionSettings.Create(Actions[name].Properties, Name, AllowIpv6);
            var handled = bans.Where(b => Handles(settings, b.Target)).ToList();
            _native[name] = await NativeBackend!().StartAsync(settings, handled, _stopping.Token).ConfigureAwait(false);
            Log.NativeStarted(_log, Name, name, handled.Count);
        }
        catch (Exception e) when (e is NftablesException or ArgumentException or InvalidOperationException)
        {
            // as fail2ban with a failing actionstart: logged, the jail runs on
            Log.NativeFailed(_log, Name, name, "start", e.Message);
            Counters.ActionFailed();
        }
    }

    /// <summary>
    /// An action given its properties by client commands while the jail runs (<c>set JAIL addaction NAME</c>, then
    /// <c>set JAIL action NAME native nftables</c> and the rest, one by one): once it is native it is started natively
    /// with the jail's current bans, and started again when a later property changes its settings; an action that stops
    /// being native has its chain removed and gets the bans through its commands. A reload does the same at its end,
    /// with every property known (its properties arrive after the action, so nothing waits for them here).
    /// </summary>
    public async Task SyncNativeActionAsync(string name, double now)
    {
        if (!IsRunning || IsReloading || !Actions.TryGetValue(name, out var action))
        {
            return;
        }

        _native.TryGetValue(name, out var running);
        if (!IsNativeAction(name))
        {
            if (running is not null)
            {
                await StopNativeActionAsync(name).ConfigureAwait(false);
                AdoptBans(action, now);
            }

            return;
        }

        NativeJailSettings? wanted = null;
        try
        {
            wanted = NativeActionSettings.Create(action.Properties, Name, AllowIpv6);
        }
        catch (ArgumentException)
        {
            // not valid (yet): the start below logs why
        }

        if (running is not null && wanted is not null && running.Settings.Equals(wanted))
        {
            return;
        }

        if (running is not null)
        {
            await StopNativeActionAsync(name).ConfigureAwait(false);
        }

        Database?.Commit(); // the bans it starts with are the jail's, committed first as for every native request
        ReleaseNative();
        var bans = Bans.Tickets.Select(t => NativeEntry(t, now)).OfType<BanEntry>().ToList();
        await StartNativeActionAsync(name, bans).ConfigureAwait(false);
    }

    /// <summary>Removes one native action's chain and sets, after the requests already held back.</summary>
    private async Task StopNativeActionAsync(string name)
    {
        Database?.Commit();
        ReleaseNative();
        if (!_native.Remove(name, out var native))
        {
            return;
        }

        try
        {
            await native.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NftablesException e)
        {
            Log.NativeFailed(_log, Name, name, "stop", e.Message);
            Counters.ActionFailed();
        }
    }

    /// <summary>The firewall element of a ban: its address or network and remaining time; null for a ticket that is neither.</summary>
    private BanEntry? NativeEntry(BanTicket ticket, double now)
    {
        if (NativeTarget(ticket.Ip) is not { } target)
        {
            return null; // not an address (a host name ticket): nothing a firewall set can hold
        }

        var end = ticket.EndOfBan(Bans.BanTime);
        TimeSpan? remaining = double.IsInfinity(end) ? null : TimeSpan.FromSeconds(Math.Max(0, end - now));
        return new BanEntry(target.Address, remaining, target.PrefixLength);
    }

    /// <summary>
    /// A ban's address (its <c>&lt;ip&gt;</c>: the address beside an F-ID, else the id) as the native backend names it:
    /// an address, or a network (<c>addr/len</c>) with its length; null for anything else. Read as fail2ban reads
    /// addresses (inet_pton): .NET's own parser also takes <c>7</c> (0.0.0.7), <c>1.2</c> (1.0.0.2) and octal
    /// quads (<c>192.030.0.6</c> as 192.24.0.6), which would ban an address nobody logged.
    /// </summary>
    private static NftTarget? NativeTarget(string ip) => IpEntry.FromBanId(ip) switch
    {
        null => null,
        { IsSingle: true } address => new NftTarget(address.ToAddress()),
        { } network => new NftTarget(network.ToAddress(), network.PrefixLength),
    };

    private void NativeBan(BanTicket ticket, double now)
    {
        if (_native.Count == 0 && _nativeRestoring is null)
        {
            return;
        }

        if (NativeEntry(ticket, now) is not { } entry)
        {
            return;
        }

        if (_nativeRestoring is not null)
        {
            _nativeRestoring.Add(entry);
            return;
        }

        if (_native.Count > 0)
        {
            _nativeBanBatch.Add(entry);
        }
    }

    private void NativeUnban(IReadOnlyCollection<BanTicket> tickets)
    {
        DeferNativeBans();
        foreach (var (name, native) in _native)
        {
            var addresses = tickets.Select(t => NativeTarget(t.Ip)).OfType<NftTarget>()
                .Where(a => Handles(native.Settings, a)).ToList();
            if (addresses.Count > 0)
            {
                _nativeDeferred.Add(() => Track(name, "unban", () => native.UnbanAsync(addresses, CancellationToken.None)));
            }
        }
    }

    /// <summary>Sends the held-back requests to the backend in their order (after the database commit).</summary>
    private void ReleaseNative()
    {
        DeferNativeBans();
        foreach (var send in _nativeDeferred)
        {
            send();
        }

        _nativeDeferred.Clear();
    }

    /// <summary>Turns the bans collected so far into one request per native action.</summary>
    private void DeferNativeBans()
    {
        if (_nativeBanBatch.Count == 0)
        {
            return;
        }

        var batch = _nativeBanBatch.ToList();
        _nativeBanBatch.Clear();
        foreach (var (name, native) in _native)
        {
            var entries = batch.Where(e => Handles(native.Settings, e.Target)).ToList();
            if (entries.Count > 0)
            {
                _nativeDeferred.Add(() => Track(name, "ban", () => native.BanAsync(entries, CancellationToken.None)));
            }
        }
    }

    /// <summary>Removes every native action's chain and sets (the backend's table with the last jail).</summary>
    private async Task StopNativeAsync()
    {
        Database?.Commit();
        ReleaseNative();
        foreach (var (name, native) in _native)
        {
            try
            {
                await native.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (NftablesException e)
            {
                Log.NativeFailed(_log, Name, name, "stop", e.Message);
                Counters.ActionFailed();
            }
        }

        _native.Clear();
        await DrainNativeAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until the last native request sent so far has run (the backend runs them in order).</summary>
    private Task DrainNativeAsync() => _nativeTail;

    private void Track(string action, string operation, Func<Task> request)
    {
        Task task;
        try
        {
            task = request();
        }
        catch (ArgumentException e)
        {
            Log.NativeFailed(_log, Name, action, operation, e.Message);
            Counters.ActionFailed();
            return;
        }

        _nativeTail = task.ContinueWith(
            t =>
            {
                if (t.Exception?.GetBaseException() is { } e)
                {
                    Log.NativeFailed(_log, Name, action, operation, e.Message);
                    Counters.ActionFailed();
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static bool Handles(NativeJailSettings settings, NftTarget target) =>
        NftAddress.TryFormat(target, out var family, out _, out _) && (settings.Families & family) != 0;
}

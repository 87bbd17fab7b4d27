using SharpBan.Engine.Matching;
using SharpBan.Server.Jails;

namespace SharpBan.Server;

internal sealed partial class JailServer
{
    /// <summary>Failures waiting for their host names' lookups at most; more are dropped, with a warning a minute.</summary>
    private const int MaxUnresolved = 10_000;

    private int _unresolvedWaiting;
    private long _unresolvedDropped;
    private double _lastDroppedReport = double.NegativeInfinity;

    /// <summary>
    /// Hands the failures whose host names the resolver did not answer in time (<c>usedns</c> yes/warn) to lookups of
    /// their own, outside the gate: each is counted by its jail once its name resolves. Called under the gate.
    /// </summary>
    private void CountUnresolvedLater()
    {
        foreach (var jail in _jails.Values)
        {
            foreach (var hit in jail.TakeUnresolved())
            {
                if (_unresolvedWaiting >= MaxUnresolved)
                {
                    _unresolvedDropped++;
                    continue;
                }

                _unresolvedWaiting++;
                _ = CountWhenResolvedAsync(jail, hit, _stop.Token);
            }
        }

        if (_unresolvedDropped > 0 && _context.Now() - _lastDroppedReport >= 60)
        {
            Log.UnresolvedDropped(_filterLog, _unresolvedDropped, MaxUnresolved);
            _unresolvedDropped = 0;
            _lastDroppedReport = _context.Now();
        }
    }

    private async Task CountWhenResolvedAsync(Jail jail, FilterHit hit, CancellationToken stop)
    {
        try
        {
            var addresses = await _context.Dns.ResolveAsync(hit.UnresolvedHost!).WaitAsync(stop).ConfigureAwait(false);
            await EnterGateAsync(stop).ConfigureAwait(false);
            try
            {
                _unresolvedWaiting--;
                if (_jails.TryGetValue(jail.Name, out var current) && current == jail)
                {
                    await jail.AddResolvedAsync(hit, addresses).ConfigureAwait(false);
                }
            }
            finally
            {
                ExitGate();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // the daemon stops: a failure still waiting for its lookup is not counted
        }
    }
}

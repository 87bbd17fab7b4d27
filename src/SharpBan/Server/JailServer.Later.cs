using SharpBan.Server.Jails;

namespace SharpBan.Server;

/// <summary>
/// A jail's work that waits for something outside the gate (a host name's DNS lookup, a slow ignorecommand: both can
/// be made slow by an attacker) and then finishes under the gate (<see cref="Jail.TakeLater"/>): the gate is free
/// meanwhile, so other jails, commands and unbans go on.
/// </summary>
internal sealed partial class JailServer
{
    /// <summary>Failures waiting outside the gate at most; more are dropped, with a warning a minute.</summary>
    private const int MaxLater = 10_000;

    private int _laterWaiting;
    private long _laterDropped;
    private long _laterDroppedTotal;
    private double _lastDroppedReport = double.NegativeInfinity;

    /// <summary>Hands each jail's waiting work to a task of its own. Called under the gate.</summary>
    private void StartLaterWork()
    {
        foreach (var jail in _jails.Values)
        {
            foreach (var (outside, inside) in jail.TakeLater())
            {
                if (Volatile.Read(ref _laterWaiting) >= MaxLater)
                {
                    _laterDropped++;
                    _laterDroppedTotal++;
                    continue;
                }

                Interlocked.Increment(ref _laterWaiting);
                _ = FinishLaterAsync(jail, outside, inside, _stop.Token);
            }
        }

        if (_laterDropped > 0 && _context.Now() - _lastDroppedReport >= 60)
        {
            Log.LaterDropped(_filterLog, _laterDropped, MaxLater);
            _laterDropped = 0;
            _lastDroppedReport = _context.Now();
        }
    }

    private async Task FinishLaterAsync(Jail jail, Task outside, Func<Task> inside, CancellationToken stop)
    {
        try
        {
            await outside.WaitAsync(stop).ConfigureAwait(false);
            await EnterGateAsync(stop).ConfigureAwait(false);
            try
            {
                if (_jails.TryGetValue(jail.Name, out var current) && current == jail)
                {
                    await inside().ConfigureAwait(false);
                }
            }
            finally
            {
                ExitGate();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // the daemon or the jail stops: a failure still waiting is not counted
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // deliberate: nobody awaits this task, so what went wrong is logged here and the daemon goes on
            Log.LaterFailed(_filterLog, jail.Name, e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _laterWaiting);
        }
    }
}

namespace SharpBan.Engine.Actions;

/// <summary>
/// Keeps an action's repair apart from its ban and unban commands: the commands share the gate (many at once), a
/// repair holds it alone. A repair waits for the commands in flight and holds back new ones, so every command ran
/// either wholly before the repair (and its ban is sent again afterwards) or wholly after it (and is not): no firewall
/// gets a ban twice, none loses one. Waiting repairs go first (new commands wait behind them).
/// </summary>
internal sealed class RepairGate : IDisposable
{
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _repairs = new(1, 1);
    private int _commands;
    private bool _repairing;
    private TaskCompletionSource _repairDone = Completed();
    private TaskCompletionSource? _commandsDone;

    /// <summary>Enters for one command; waits while a repair runs or waits.</summary>
    public async Task<Pass> EnterCommandAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_sync)
            {
                if (!_repairing)
                {
                    _commands++;
                    return new Pass(this, repair: false);
                }

                wait = _repairDone.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Enters alone, once the commands in flight are done.</summary>
    public async Task<Pass> EnterRepairAsync(CancellationToken cancellationToken)
    {
        await _repairs.WaitAsync(cancellationToken).ConfigureAwait(false);
        Task? wait = null;
        lock (_sync)
        {
            _repairing = true;
            _repairDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_commands > 0)
            {
                _commandsDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _commandsDone.Task;
            }
        }

        if (wait is not null)
        {
            try
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ExitRepair();
                throw;
            }
        }

        return new Pass(this, repair: true);
    }

    public void Dispose() => _repairs.Dispose();

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private void ExitCommand()
    {
        lock (_sync)
        {
            if (--_commands == 0)
            {
                _commandsDone?.TrySetResult();
                _commandsDone = null;
            }
        }
    }

    private void ExitRepair()
    {
        lock (_sync)
        {
            _repairing = false;
            _commandsDone = null;
            _repairDone.TrySetResult();
        }

        _repairs.Release();
    }

    /// <summary>Leaves the gate when disposed.</summary>
    internal readonly struct Pass(RepairGate gate, bool repair) : IDisposable
    {
        public void Dispose()
        {
            if (repair)
            {
                gate.ExitRepair();
            }
            else
            {
                gate.ExitCommand();
            }
        }
    }
}

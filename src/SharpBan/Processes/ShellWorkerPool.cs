using System.Collections.Concurrent;
using SharpBan.Engine.Actions;

namespace SharpBan.Processes;

/// <summary>
/// The daemon's <see cref="IProcessRunner"/>: runs action commands on a pool of <see cref="ShellWorker"/>s (a
/// fork per command instead of a fork and an exec of <c>/bin/sh</c>). Values from log lines stay environment
/// variables of the command, as with <see cref="ShellProcessRunner"/>, which still runs anything a worker cannot
/// encode. A worker is started on demand and kept while at most <see cref="MaxIdle"/> are idle.
/// </summary>
internal sealed class ShellWorkerPool : IProcessRunner, IDisposable
{
    private readonly ConcurrentStack<ShellWorker> _idle = new();
    private readonly ShellProcessRunner _fallback = new();
    private volatile bool _disposed;
    private int _started;

    /// <summary>Idle workers kept for the next commands (the action schedulers run up to 4 per core at once).</summary>
    public int MaxIdle { get; init; } = 4 * Environment.ProcessorCount;

    /// <summary>Workers started so far (tests: crash recovery).</summary>
    public int Started => _started;

    public async Task<ProcessResult> RunAsync(ShellCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // 122 bits from the system CSPRNG (Guid.NewGuid reads getrandom/urandom; RandomNumberGenerator would load
        // libcrypto, 3.4 MB of RSS). Commands may print log-derived text; they can never guess the nonce.
        var nonce = Guid.NewGuid().ToString("N");
        var request = ShellWorkerRequest.TryEncode(command, nonce);
        if (request is null)
        {
            return await _fallback.RunAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        }

        // A worker that died while idle is noticed on use, before the command started: then one fresh worker.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var worker = Rent();
            ProcessResult? result;
            try
            {
                result = await worker.RunAsync(request, nonce, timeout, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Return(worker);
            }

            if (result is not null)
            {
                return result;
            }
        }

        return new ProcessResult(-1, "no shell worker could run the command\n");
    }

    private ShellWorker Rent()
    {
        while (_idle.TryPop(out var worker))
        {
            if (!worker.Dead)
            {
                return worker;
            }

            worker.Dispose();
        }

        Interlocked.Increment(ref _started);
        return ShellWorker.Start();
    }

    private void Return(ShellWorker worker)
    {
        if (worker.Dead || _disposed || _idle.Count >= MaxIdle)
        {
            worker.Dispose();
            return;
        }

        _idle.Push(worker);
        if (_disposed && _idle.TryPop(out var late))
        {
            late.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryPop(out var worker))
        {
            worker.Dispose();
        }
    }
}

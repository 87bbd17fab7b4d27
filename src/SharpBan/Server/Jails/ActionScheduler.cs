using System.Threading.Channels;

namespace SharpBan.Server.Jails;

/// <summary>
/// Runs a jail's action work with bounded concurrency. Work keyed by an address (ban, unban) runs in parallel with
/// work of other addresses, up to <see cref="Concurrency"/> items in flight, but always after earlier work of the same
/// address (a ban before its unban). Unkeyed work (<c>actionstart</c>, <c>actionstop</c>, flush, drain) is a barrier:
/// it waits for everything before it and runs alone. With a concurrency of 1 this is fail2ban's one-at-a-time queue.
/// </summary>
internal sealed class ActionScheduler : IAsyncDisposable
{
    private readonly Channel<(string? Key, Func<Task> Work)> _queue =
        Channel.CreateUnbounded<(string? Key, Func<Task> Work)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly Action<Exception> _failed;
    private readonly Task _loop;

    public ActionScheduler(int concurrency, Action<Exception> failed)
    {
        Concurrency = Math.Max(1, concurrency);
        _slots = new SemaphoreSlim(Concurrency, Concurrency);
        _failed = failed;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Default in-flight limit: four action commands per core (a forked command mostly waits for exec).</summary>
    public static int DefaultConcurrency => 4 * Environment.ProcessorCount;

    public int Concurrency { get; }

    /// <summary>Queues work; false once the scheduler was completed.</summary>
    public bool TryEnqueue(string? key, Func<Task> work) => _queue.Writer.TryWrite((key, work));

    /// <summary>Accepts no more work; ends when everything queued has run.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _slots.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var (key, work) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (key is null)
            {
                await WhenAllInFlightAsync().ConfigureAwait(false);
                await RunOneAsync(work).ConfigureAwait(false);
                continue;
            }

            await _slots.WaitAsync().ConfigureAwait(false);
            var previous = _tails.GetValueOrDefault(key);
            _tails[key] = Task.Run(() => RunAfterAsync(previous, work));
            if (_tails.Count > 4 * Concurrency)
            {
                foreach (var done in _tails.Where(t => t.Value.IsCompleted).Select(t => t.Key).ToList())
                {
                    _tails.Remove(done);
                }
            }
        }

        await WhenAllInFlightAsync().ConfigureAwait(false);
    }

    private async Task RunAfterAsync(Task? previous, Func<Task> work)
    {
        try
        {
            if (previous is not null)
            {
                await previous.ConfigureAwait(false); // never faults: RunOneAsync reports failures
            }

            await RunOneAsync(work).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task RunOneAsync(Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // deliberate: one failing action command must not stop the jail's actions
            _failed(e);
        }
        catch (OperationCanceledException)
        {
            // the jail is stopping: the remaining work of this item is abandoned
        }
    }

    private async Task WhenAllInFlightAsync()
    {
        if (_tails.Count == 0)
        {
            return;
        }

        await Task.WhenAll(_tails.Values).ConfigureAwait(false);
        _tails.Clear();
    }
}

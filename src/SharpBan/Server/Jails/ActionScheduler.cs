using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SharpBan.Server.Jails;

/// <summary>
/// Runs a jail's action work with bounded concurrency. Work keyed by an address (ban, unban) runs in parallel with
/// work of other addresses, but always after earlier work of the same address in the same lane (a ban before its
/// unban). Each lane (one per action) has its own limit of items in flight and its own barriers (its
/// <c>actionstart</c>, <c>actionstop</c>, flush), so a slow action (a mail server that does not answer, an API that
/// times out) holds up only its own work, never a firewall's bans. A barrier waits for everything before it in its
/// lane and runs alone there; a global barrier (no lane: drain, dispose of retired actions) waits for all lanes. With
/// one lane and a limit of 1 this is fail2ban's one-at-a-time queue. The queue is never blocked: each item waits for
/// what it must follow (its address's previous work, its lane's last barrier, the last global barrier) on its own.
/// </summary>
internal sealed class ActionScheduler : IAsyncDisposable
{
    private readonly Channel<(string? Lane, string? Key, Func<Task> Work, StrongBox<int> Waiting)> _queue =
        Channel.CreateUnbounded<(string?, string?, Func<Task>, StrongBox<int>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, StrongBox<int>> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Lane, string Key), Task> _tails = [];
    private readonly Dictionary<string, Task> _barriers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SemaphoreSlim> _slots = new(StringComparer.Ordinal);
    private readonly Action<Exception> _failed;
    private readonly Task _loop;
    private Task _global = Task.CompletedTask;

    /// <param name="concurrency">The limit of a lane not named in <paramref name="lanes"/>.</param>
    /// <param name="lanes">Lanes with a limit of their own (an action's <c>concurrency</c> option).</param>
    public ActionScheduler(int concurrency, Action<Exception> failed, IReadOnlyDictionary<string, int>? lanes = null)
    {
        Concurrency = Math.Max(1, concurrency);
        Lanes = lanes?.ToDictionary(static l => l.Key, static l => Math.Max(1, l.Value), StringComparer.Ordinal) ?? [];
        _failed = failed;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Default in-flight limit: four action commands per core (a forked command mostly waits for exec).</summary>
    public static int DefaultConcurrency => 4 * Environment.ProcessorCount;

    /// <summary>The in-flight limit of a lane without one of its own.</summary>
    public int Concurrency { get; }

    /// <summary>The lanes with a limit of their own.</summary>
    public IReadOnlyDictionary<string, int> Lanes { get; }

    /// <summary>Queues keyed work in the default lane, or (no key) a global barrier; false once the scheduler was completed.</summary>
    public bool TryEnqueue(string? key, Func<Task> work) => TryEnqueue(key is null ? null : "", key, work);

    /// <summary>
    /// Queues work: keyed in <paramref name="lane"/>, a barrier of <paramref name="lane"/> without a key, or a global
    /// barrier without a lane. False once the scheduler was completed.
    /// </summary>
    public bool TryEnqueue(string? lane, string? key, Func<Task> work)
    {
        var waiting = _waiting.GetOrAdd(lane ?? "", static _ => new StrongBox<int>());
        Interlocked.Increment(ref waiting.Value);
        if (_queue.Writer.TryWrite((lane, key, work, waiting)))
        {
            return true;
        }

        Interlocked.Decrement(ref waiting.Value);
        return false;
    }

    /// <summary>Work queued or running, not finished yet, in all lanes.</summary>
    public int Waiting => _waiting.Values.Sum(static w => Volatile.Read(ref w.Value));

    /// <summary>
    /// Per lane (an action's name; <c>""</c> for global barriers), the work queued or running and not finished yet. A
    /// count that keeps growing is an action whose commands take longer than the bans come (a mail server or API that
    /// does not answer within the action's timeout): its work waits in memory until it ends.
    /// </summary>
    public IEnumerable<(string Lane, int Count)> WaitingByLane() =>
        _waiting.Select(static w => (w.Key, Volatile.Read(ref w.Value.Value))).Where(static w => w.Item2 > 0);

    /// <summary>Accepts no more work; ends when everything queued has run.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        foreach (var slots in _slots.Values)
        {
            slots.Dispose();
        }
    }

    private async Task RunAsync()
    {
        await foreach (var (lane, key, work, waiting) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (lane is null)
            {
                var before = Task.WhenAll([.. _tails.Values, .. _barriers.Values, _global]);
                _tails.Clear();
                _barriers.Clear();
                _global = Task.Run(() => RunAfterAsync(before, null, work, waiting));
            }
            else if (key is null)
            {
                var inLane = _tails.Where(t => t.Key.Lane == lane).ToList();
                foreach (var (k, _) in inLane)
                {
                    _tails.Remove(k);
                }

                var before = Task.WhenAll([.. inLane.Select(static t => t.Value), _barriers.GetValueOrDefault(lane) ?? _global]);
                _barriers[lane] = Task.Run(() => RunAfterAsync(before, null, work, waiting));
            }
            else
            {
                // the latest thing this work must follow; each of them already follows the ones before it
                var before = _tails.GetValueOrDefault((lane, key)) ?? _barriers.GetValueOrDefault(lane) ?? _global;
                var slots = Slots(lane);
                _tails[(lane, key)] = Task.Run(() => RunAfterAsync(before, slots, work, waiting));
                if (_tails.Count > 1024)
                {
                    foreach (var done in _tails.Where(static t => t.Value.IsCompleted).Select(static t => t.Key).ToList())
                    {
                        _tails.Remove(done);
                    }
                }
            }
        }

        await Task.WhenAll([.. _tails.Values, .. _barriers.Values, _global]).ConfigureAwait(false);
    }

    private SemaphoreSlim Slots(string lane)
    {
        if (!_slots.TryGetValue(lane, out var slots))
        {
            var limit = Lanes.TryGetValue(lane, out var own) ? own : Concurrency;
            _slots[lane] = slots = new SemaphoreSlim(limit, limit);
        }

        return slots;
    }

    /// <summary>
    /// Runs <paramref name="work"/> once <paramref name="before"/> is done, in one of <paramref name="slots"/> (a barrier
    /// needs none); <paramref name="waiting"/> counts it until it has run.
    /// </summary>
    private async Task RunAfterAsync(Task before, SemaphoreSlim? slots, Func<Task> work, StrongBox<int> waiting)
    {
        try
        {
            await before.ConfigureAwait(false); // never faults: RunOneAsync reports failures
            if (slots is null)
            {
                await RunOneAsync(work).ConfigureAwait(false);
                return;
            }

            await slots.WaitAsync().ConfigureAwait(false);
            try
            {
                await RunOneAsync(work).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiting.Value);
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
}

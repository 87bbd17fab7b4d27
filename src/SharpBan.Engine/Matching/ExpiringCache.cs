using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpBan.Engine.Matching;

/// <summary>
/// fail2ban's <c>Utils.Cache</c>: at most <c>maxCount</c> entries, each living <c>maxSeconds</c> from when it was set;
/// when full, entries are evicted oldest first (expired or not) until one live entry was dropped or there is room.
/// Used for the multi-line session cache (<c>&lt;F-MLFID&gt;</c>) and for <c>ignorecache</c>.
/// </summary>
internal sealed class ExpiringCache<TValue>(TimeProvider time, int maxCount = 100, double maxSeconds = 300)
{
    private readonly Dictionary<string, (TValue Value, double Expires, LinkedListNode<string> Node)> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();

    /// <summary>The cache's clock in Unix seconds (a caller that reads and then sets may pass one reading to both).</summary>
    public double Now
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
    }

    public int Count => _entries.Count;

    public int MaxCount => maxCount;

    public double MaxSeconds => maxSeconds;

    public bool TryGet(string key, out TValue value) => TryGet(key, Now, out value);

    /// <summary>The value of <paramref name="key"/> if it has not expired at <paramref name="now"/> (an expired one is removed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGet(string key, double now, out TValue value)
    {
        if (_entries.TryGetValue(key, out var e))
        {
            if (e.Expires > now)
            {
                value = e.Value;
                return true;
            }

            Unset(key);
        }

        value = default!;
        return false;
    }

    public void Set(string key, TValue value) => Set(key, value, Now);

    /// <summary>
    /// Sets <paramref name="key"/>, expiring <see cref="MaxSeconds"/> after <paramref name="now"/>. A full cache first
    /// drops its oldest entries, as fail2ban's FIFO does, also when the key is already there: the expired ones at its
    /// head and one that has not expired. A key that stays keeps its place; one dropped on the way comes back last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Set(string key, TValue value, double now)
    {
        if (_entries.Count >= maxCount)
        {
            while (_order.First is { } first)
            {
                _order.RemoveFirst();
                _entries.Remove(first.Value, out var dropped);
                if (dropped.Expires > now && _entries.Count < maxCount)
                {
                    break;
                }
            }
        }

        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, key, out var exists);
        entry = (value, now + maxSeconds, exists ? entry.Node : _order.AddLast(key));
    }

    public void Unset(string key)
    {
        if (_entries.Remove(key, out var e))
        {
            _order.Remove(e.Node); // O(1): the node is kept with the entry
        }
    }
}

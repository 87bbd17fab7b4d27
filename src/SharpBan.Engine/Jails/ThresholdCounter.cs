namespace SharpBan.Engine.Jails;

/// <summary>
/// The <c>thresholds</c> windows of one jail (a SharpBan extension): per id, the times of its recent failures
/// (<see cref="FailureTimes"/>), so that an id with at least COUNT failures within any TIME of failure time is banned,
/// an exact sliding window beside fail2ban's own maxretry/findtime estimate (<see cref="FailManager"/>, which owns this).
/// <para>
/// An id keeps the failures of the last two longest windows before its newest one, at most twice the largest count:
/// enough for the windows to be exact for failures that arrive up to one longest window late (no window can hold more
/// than the largest count without a ban). At most <c>maxtracked</c> ids are kept, forgotten in the failure manager's
/// order: the id whose last failure was recorded longest ago among those seen once, else among the others.
/// </para>
/// Not thread-safe: owned by one jail.
/// </summary>
internal sealed class ThresholdCounter(Thresholds thresholds)
{
    private readonly Dictionary<string, FailureTimes> _ids = new(StringComparer.Ordinal);
    private readonly LinkedList<FailureTimes> _once = new();
    private readonly LinkedList<FailureTimes> _repeated = new();
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    /// <summary>The pairs; a change applies from the next failure, the failures kept stay.</summary>
    public Thresholds Thresholds { get; set; } = thresholds;

    /// <summary>Ids with failures kept.</summary>
    public int Count => _ids.Count;

    /// <summary>Ids forgotten because of <c>maxtracked</c> since the jail started.</summary>
    public long Evicted { get; private set; }

    public bool TryGet(string id, out FailureTimes times) => _ids.TryGetValue(id, out times!);

    /// <summary>
    /// Adds a failure of <paramref name="id"/> counted <paramref name="weight"/> times; returns the first pair (in the
    /// order written) that the id has now reached, and then forgets the id, or null.
    /// </summary>
    /// <param name="maxTracked">The most ids kept (0: no limit); room is made for a new id by forgetting one.</param>
    public Threshold? Add(string id, double time, int weight, int maxTracked)
    {
        if (_ids.TryGetValue(id, out var times))
        {
            var newest = times.Newest;
            times.Add(time, weight);
            Touch(times, time > newest);
        }
        else
        {
            while (maxTracked > 0 && _ids.Count >= maxTracked)
            {
                EvictOldest();
            }

            times = new FailureTimes(id) { Repeated = weight > 1 };
            times.Add(time, weight);
            _ids[id] = times;
            times.Node = QueueOf(times).AddLast(times);
        }

        _changed.Add(id);
        foreach (var pair in Thresholds.Pairs)
        {
            if (times.Units >= pair.Count && times.MostWithin(time, pair.Seconds) >= pair.Count)
            {
                Remove(id);
                return pair;
            }
        }

        times.Trim(times.Newest - (2 * Thresholds.LongestWindow), 2L * Thresholds.LargestCount);
        return null;
    }

    /// <summary>Forgets the ids whose newest failure is at least the longest window old.</summary>
    public void Cleanup(double now)
    {
        List<string>? old = null;
        foreach (var (id, times) in _ids)
        {
            if (times.Newest <= now - Thresholds.LongestWindow)
            {
                (old ??= []).Add(id);
            }
        }

        old?.ForEach(Remove);
    }

    public void Remove(string id)
    {
        if (_ids.Remove(id, out var times))
        {
            QueueOf(times).Remove(times.Node!);
            _changed.Add(id);
        }
    }

    public void Clear()
    {
        _changed.UnionWith(_ids.Keys);
        _ids.Clear();
        _once.Clear();
        _repeated.Clear();
    }

    /// <summary>
    /// The ids added to, changed or forgotten since the last call (for the database: an id that <see cref="TryGet"/>
    /// still finds is saved, any other deleted).
    /// </summary>
    public IReadOnlyList<string> TakeChanged()
    {
        if (_changed.Count == 0)
        {
            return [];
        }

        List<string> changed = [.. _changed];
        _changed.Clear();
        return changed;
    }

    /// <summary>Every id counts as changed (the database lost what was saved).</summary>
    public void MarkAllChanged() => _changed.UnionWith(_ids.Keys);

    /// <summary>
    /// Gives back an id's failures as saved (ascending times, with weights), at the newest end of the eviction order;
    /// restore the ids oldest first. Not marked as changed: the database has them.
    /// </summary>
    public void Restore(string id, IReadOnlyList<(double Time, int Weight)> failures)
    {
        if (failures.Count == 0 || _ids.ContainsKey(id))
        {
            return;
        }

        var times = new FailureTimes(id) { Repeated = failures.Count > 1 || failures[0].Weight > 1 };
        foreach (var (time, weight) in failures)
        {
            times.Add(time, Math.Max(1, weight));
        }

        times.Trim(times.Newest - (2 * Thresholds.LongestWindow), 2L * Thresholds.LargestCount);
        _ids[id] = times;
        times.Node = QueueOf(times).AddLast(times);
    }

    /// <summary>As <see cref="FailManager"/>: a second failure moves an id among the repeated ones, a later one to the newest end.</summary>
    private void Touch(FailureTimes times, bool later)
    {
        if (!times.Repeated)
        {
            _once.Remove(times.Node!);
            times.Repeated = true;
            _repeated.AddLast(times.Node!);
        }
        else if (later)
        {
            _repeated.Remove(times.Node!);
            _repeated.AddLast(times.Node!);
        }
    }

    private void EvictOldest()
    {
        var victim = (_once.First ?? _repeated.First!).Value;
        Remove(victim.Id);
        Evicted++;
    }

    private LinkedList<FailureTimes> QueueOf(FailureTimes times) => times.Repeated ? _repeated : _once;
}

namespace SharpBan.Engine.Jails;

/// <summary>
/// The failures of one id for the <c>thresholds</c> windows: their times in ascending order, each with its weight (how
/// many failures it counts for), in two arrays used as a queue (the oldest are dropped from the front, a failure in
/// time order is appended; a late one is inserted at its place). Not thread-safe.
/// </summary>
internal sealed class FailureTimes(string id)
{
    private double[] _times = new double[4];
    private int[] _weights = new int[4];
    private int _start;
    private int _count;

    public string Id { get; } = id;

    /// <summary>Failures kept (an entry counts its weight).</summary>
    public long Units { get; private set; }

    /// <summary>Entries kept (failures at one time with one weight each).</summary>
    public int Count => _count;

    /// <summary>The time of the newest failure kept.</summary>
    public double Newest => _times[_start + _count - 1];

    /// <summary>Failed more than once: forgotten only after every id seen once (as <see cref="FailManager.MaxTracked"/>).</summary>
    public bool Repeated { get; set; }

    /// <summary>This id's place in the eviction order of <see cref="ThresholdCounter"/>, created once.</summary>
    public LinkedListNode<FailureTimes>? Node { get; set; }

    /// <summary>The failures kept, oldest first, each with its weight.</summary>
    public IEnumerable<(double Time, int Weight)> Entries
    {
        get
        {
            for (var i = _start; i < _start + _count; i++)
            {
                yield return (_times[i], _weights[i]);
            }
        }
    }

    /// <summary>Adds a failure at its place in time order (after any kept at the same time).</summary>
    public void Add(double time, int weight)
    {
        if (_start + _count == _times.Length)
        {
            MakeRoom();
        }

        var end = _start + _count;
        var at = end;
        while (at > _start && _times[at - 1] > time)
        {
            at--; // a late failure: usually only a few steps back
        }

        if (at < end)
        {
            Array.Copy(_times, at, _times, at + 1, end - at);
            Array.Copy(_weights, at, _weights, at + 1, end - at);
        }

        _times[at] = time;
        _weights[at] = weight;
        _count++;
        Units += weight;
    }

    /// <summary>
    /// The most failures in one window of <paramref name="seconds"/> that contains <paramref name="time"/> (a window
    /// holds failures whose times differ by less than <paramref name="seconds"/>): every window that a failure at that
    /// time can have completed, also one in the past when the failure came late.
    /// </summary>
    public long MostWithin(double time, double seconds)
    {
        var end = _start + _count;
        var first = _start;
        while (first < end && _times[first] <= time - seconds)
        {
            first++;
        }

        long best = 0;
        long sum = 0;
        var next = first;
        for (var i = first; i < end && _times[i] <= time; i++)
        {
            // the window starting at failure i, which holds [time(i), time(i) + seconds) and so contains time
            while (next < end && _times[next] < _times[i] + seconds)
            {
                sum += _weights[next++];
            }

            best = Math.Max(best, sum);
            sum -= _weights[i];
        }

        return best;
    }

    /// <summary>
    /// Drops the failures at or before <paramref name="oldest"/> and then the oldest beyond <paramref name="maxUnits"/>
    /// failures (the oldest entry keeping part of its weight when needed).
    /// </summary>
    public void Trim(double oldest, long maxUnits)
    {
        while (_count > 1 && (_times[_start] <= oldest || Units - _weights[_start] >= maxUnits))
        {
            Units -= _weights[_start];
            _start++;
            _count--;
        }

        if (Units > maxUnits && maxUnits > 0)
        {
            var excess = (int)(Units - maxUnits);
            _weights[_start] -= excess;
            Units -= excess;
        }
    }

    /// <summary>Moves the entries to the front, or doubles the arrays when more than half is in use.</summary>
    private void MakeRoom()
    {
        if (_count > _times.Length / 2)
        {
            var times = new double[_times.Length * 2];
            var weights = new int[_weights.Length * 2];
            Array.Copy(_times, _start, times, 0, _count);
            Array.Copy(_weights, _start, weights, 0, _count);
            (_times, _weights) = (times, weights);
        }
        else
        {
            Array.Copy(_times, _start, _times, 0, _count);
            Array.Copy(_weights, _start, _weights, 0, _count);
        }

        _start = 0;
    }
}

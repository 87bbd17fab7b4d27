namespace SharpBan.Engine.Jails;

/// <summary>
/// Counts failures per id with fail2ban's semantics (§4.2 of the behaviour notes): not a strict sliding window but a
/// rate-scaled estimate once failures spread over more than findtime. A ticket that reaches maxretry leaves the manager
/// and is handed back to the caller for banning. Not thread-safe: owned by one jail.
/// </summary>
internal sealed class FailManager
{
    private readonly Dictionary<string, FailTicket> _tickets = new(StringComparer.Ordinal);
    private double _lastCleanup = double.NegativeInfinity;

    public int MaxRetry { get; set; } = 3;

    public double FindTime { get; set; } = 600;

    public int MaxMatches { get; set; } = 5;

    /// <summary>Ids with failures in progress ("Currently failed").</summary>
    public int Count => _tickets.Count;

    /// <summary>Failures added since the jail started ("Total failed").</summary>
    public long TotalFailed { get; private set; }

    public bool TryGet(string id, out FailTicket ticket) => _tickets.TryGetValue(id, out ticket!);

    /// <summary>
    /// Adds one failure (counted <paramref name="count"/> times towards maxretry) and returns the ticket when it is
    /// to be banned now; null while below maxretry.
    /// </summary>
    /// <param name="integerTime">The failure's date is a Python int (a date with a zone).</param>
    public FailTicket? AddFailure(string id, double time, IReadOnlyList<string> matches, IReadOnlyDictionary<string, object?> data, int count = 1, bool integerTime = false)
    {
        if (_tickets.TryGetValue(id, out var ticket))
        {
            var last = ticket.LastTime;
            ticket.AdjustTime(time, FindTime);
            if (ticket.LastTime != last)
            {
                ticket.LastTimeIsInteger = integerTime;
            }

            ticket.Increment(MaxMatches > 0 ? matches : [], attempts: 1, count);
            ticket.TrimMatches(MaxMatches);
        }
        else
        {
            ticket = new FailTicket(id, time, data) { LastTimeIsInteger = integerTime };
            if (count > 1)
            {
                ticket.Retry = count;
            }

            ticket.Matches.AddRange(matches); // fail2ban keeps a new ticket's lines as they are: maxmatches cuts later ones
            _tickets[id] = ticket;
        }

        TotalFailed++;
        if (ticket.Retry >= MaxRetry)
        {
            _tickets.Remove(id);
            return ticket;
        }

        return null;
    }

    /// <summary>
    /// fail2ban's observer for a known bad address (bantime.increment): the failure just added counts
    /// <paramref name="count"/> more times, as one more failure whose lines (unless it created the ticket) are kept again.
    /// Nothing when the id has no ticket any more (banned meanwhile). Returns the ticket when it is to be banned now.
    /// </summary>
    public FailTicket? AddObserved(string id, double time, IReadOnlyList<string> matches, int count)
    {
        if (!_tickets.TryGetValue(id, out var ticket))
        {
            return null;
        }

        ticket.AdjustTime(time, FindTime);
        ticket.Increment(MaxMatches > 0 ? matches : [], attempts: 1, count);
        ticket.TrimMatches(MaxMatches);
        TotalFailed++;
        if (ticket.Retry >= MaxRetry)
        {
            _tickets.Remove(id);
            return ticket;
        }

        return null;
    }

    /// <summary>Forgets tickets whose last failure is at least findtime old (at most every 5 s unless forced).</summary>
    public void Cleanup(double now, bool force = false)
    {
        if (!force && now - _lastCleanup < 5)
        {
            return;
        }

        _lastCleanup = now;
        List<string>? old = null;
        foreach (var (id, ticket) in _tickets)
        {
            if (ticket.LastTime <= now - FindTime)
            {
                (old ??= []).Add(id);
            }
        }

        old?.ForEach(id => _tickets.Remove(id));
    }

    public void Remove(string id) => _tickets.Remove(id);

    public void Clear() => _tickets.Clear();
}

using System.Globalization;

namespace SharpBan.Engine.Jails;

/// <summary>
/// Counts failures per id with fail2ban's semantics (§4.2 of the behaviour notes): not a strict sliding window but a
/// rate-scaled estimate once failures spread over more than findtime. A ticket that reaches maxretry leaves the manager
/// and is handed back to the caller for banning. At most <see cref="MaxTracked"/> ids are tracked (a SharpBan
/// extension): beyond, the id whose last failure was recorded longest ago is forgotten, ids seen only once before any
/// that failed again. With <see cref="Thresholds"/> set (a SharpBan extension), each failure is also counted in exact
/// sliding windows (<see cref="ThresholdCounter"/>) and reaching one of them bans as maxretry does; unset, nothing of it
/// runs. Not thread-safe: owned by one jail.
/// </summary>
internal sealed class FailManager
{
    /// <summary>The default of <see cref="MaxTracked"/>.</summary>
    public const int DefaultMaxTracked = 100_000;

    private readonly Dictionary<string, FailTicket> _tickets = new(StringComparer.Ordinal);
    private readonly TicketQueue _once = new();
    private readonly TicketQueue _repeated = new();
    private double _lastCleanup = double.NegativeInfinity;
    private ThresholdCounter? _windows;

    public int MaxRetry { get; set; } = 3;

    public double FindTime { get; set; } = 600;

    public int MaxMatches { get; set; } = 5;

    /// <summary>
    /// The most ids tracked at once (the <c>maxtracked</c> jail option); 0 is no limit. Lowering it forgets the
    /// excess at the next new id. Banned ids are not tracked here and never forgotten.
    /// </summary>
    public int MaxTracked { get; set; } = DefaultMaxTracked;

    /// <summary>
    /// The extra pairs of the <c>thresholds</c> jail option; <see cref="Jails.Thresholds.Off"/> (the default) forgets
    /// the windows' failures. A change of pairs keeps them.
    /// </summary>
    public Thresholds Thresholds
    {
        get => _windows?.Thresholds ?? Thresholds.Off;
        set
        {
            if (!value.Enabled)
            {
                _windows = null;
            }
            else if (_windows is null)
            {
                _windows = new ThresholdCounter(value);
            }
            else
            {
                _windows.Thresholds = value;
            }
        }
    }

    /// <summary>The windows of <see cref="Thresholds"/>; null when it is off.</summary>
    public ThresholdCounter? Windows => _windows;

    /// <summary>Ids forgotten because of <see cref="MaxTracked"/> since the jail started.</summary>
    public long Evicted { get; private set; }

    /// <summary>Ids with failures in progress ("Currently failed").</summary>
    public int Count => _tickets.Count;

    /// <summary>Failures added since the jail started ("Total failed").</summary>
    public long TotalFailed { get; private set; }

    public bool TryGet(string id, out FailTicket ticket) => _tickets.TryGetValue(id, out ticket!);

    /// <summary>
    /// Adds one failure (counted <paramref name="count"/> times towards maxretry) and returns the ticket when it is
    /// to be banned now; null while below maxretry.
    /// </summary>
    /// <param name="data">The failure's groups, kept for a new ticket only.</param>
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
            Touch(ticket, ticket.LastTime != last);
        }
        else
        {
            while (MaxTracked > 0 && _tickets.Count >= MaxTracked)
            {
                EvictOldest();
            }

            ticket = new FailTicket(id, time, data) { LastTimeIsInteger = integerTime, Repeated = count > 1 };
            if (count > 1)
            {
                ticket.Retry = count;
            }

            ticket.Matches.AddRange(matches); // fail2ban keeps a new ticket's lines as they are: maxmatches cuts later ones
            _tickets[id] = ticket;
            QueueOf(ticket).AddNewest(ticket);
        }

        TotalFailed++;
        if (_windows is { } windows && windows.Add(id, time, count, MaxTracked) is { } reached && ticket.Retry < MaxRetry)
        {
            ticket.Threshold = reached;
            Remove(ticket.Id);
            return ticket;
        }

        return TakeIfBanned(ticket);
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

        var last = ticket.LastTime;
        ticket.AdjustTime(time, FindTime);
        ticket.Increment(MaxMatches > 0 ? matches : [], attempts: 1, count);
        ticket.TrimMatches(MaxMatches);
        Touch(ticket, ticket.LastTime != last);
        TotalFailed++;
        return TakeIfBanned(ticket);
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

        old?.ForEach(Remove);
        _windows?.Cleanup(now);
    }

    /// <summary>Forgets the ticket of <paramref name="id"/> (the failures of the <see cref="Thresholds"/> windows stay).</summary>
    public void Remove(string id)
    {
        if (_tickets.Remove(id, out var ticket))
        {
            QueueOf(ticket).Remove(ticket);
        }
    }

    public void Clear()
    {
        _tickets.Clear();
        _once.Clear();
        _repeated.Clear();
        _windows?.Clear();
    }

    /// <summary>
    /// Reads a <c>maxtracked</c> value: a whole number, 0 for no limit.
    /// </summary>
    /// <exception cref="FormatException">Not a whole number from 0 up (the message says so).</exception>
    public static int ParseMaxTracked(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"must be a whole number of addresses, 0 for no limit, not '{text}'");

    /// <summary>
    /// A failure of a tracked ticket: a second failure moves it among the repeated ones; a later last failure makes it
    /// the newest of its queue (a failure dated before the last one leaves it in place).
    /// </summary>
    private void Touch(FailTicket ticket, bool later)
    {
        if (!ticket.Repeated)
        {
            _once.Remove(ticket);
            ticket.Repeated = true;
            _repeated.AddNewest(ticket);
        }
        else if (later)
        {
            _repeated.Remove(ticket);
            _repeated.AddNewest(ticket);
        }
    }

    private FailTicket? TakeIfBanned(FailTicket ticket)
    {
        if (ticket.Retry < MaxRetry)
        {
            return null;
        }

        Remove(ticket.Id);
        _windows?.Remove(ticket.Id);
        return ticket;
    }

    /// <summary>Forgets the ticket that matters least: the oldest of those seen once, else the oldest repeated one.</summary>
    private void EvictOldest()
    {
        var victim = _once.Oldest ?? _repeated.Oldest!;
        Remove(victim.Id);
        Evicted++;
    }

    private TicketQueue QueueOf(FailTicket ticket) => ticket.Repeated ? _repeated : _once;
}

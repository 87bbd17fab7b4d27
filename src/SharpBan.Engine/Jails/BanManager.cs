namespace SharpBan.Engine.Jails;

/// <summary>
/// The bans of one jail (fail2ban's <c>BanManager</c>): adding with "already banned"/"expired" outcomes, prolonging,
/// expiry against a clock value. Not thread-safe: owned by one jail. The bans are kept in the order they were made, as
/// the Python dict of fail2ban lists them (<c>status</c>, <c>banned</c>): an address banned again after an unban goes last.
/// </summary>
internal sealed class BanManager
{
    private readonly Dictionary<string, LinkedListNode<BanTicket>> _bans = new(StringComparer.Ordinal);
    private readonly LinkedList<BanTicket> _order = new();

    /// <summary>Jail ban time in seconds; <see cref="BanTicket.Permanent"/> (-1) bans for ever.</summary>
    public long BanTime { get; set; } = 600;

    public int Count => _bans.Count;

    /// <summary>Bans added since the jail started ("Total banned").</summary>
    public long TotalBanned { get; private set; }

    public IEnumerable<BanTicket> Tickets => _order;

    public bool TryGet(string id, out BanTicket ticket)
    {
        var found = _bans.TryGetValue(id, out var node);
        ticket = node?.Value!;
        return found;
    }

    public BanAddResult Add(BanTicket ticket, double now)
    {
        var end = ticket.EndOfBan(BanTime);
        if (end < now)
        {
            return BanAddResult.Expired;
        }

        if (TryGet(ticket.Id, out var old))
        {
            if (end > old.EndOfBan(BanTime))
            {
                var bantime = ticket.EffectiveBanTime(BanTime);
                if (bantime != BanTicket.Permanent)
                {
                    var diff = ticket.Time - old.Time;
                    if (diff > 0)
                    {
                        bantime += diff; // fractions of a second too, as fail2ban: the end is the new ban's end
                    }
                }

                old.BanTime = bantime;
            }

            return BanAddResult.AlreadyBanned;
        }

        _bans[ticket.Id] = _order.AddLast(ticket);
        TotalBanned++;
        ticket.BanCount++;
        return BanAddResult.Added;
    }

    public bool Remove(string id, out BanTicket ticket)
    {
        if (!_bans.Remove(id, out var node))
        {
            ticket = null!;
            return false;
        }

        _order.Remove(node);
        ticket = node.Value;
        return true;
    }

    /// <summary>Removes and returns up to <paramref name="max"/> bans whose end lies before <paramref name="now"/>.</summary>
    public List<BanTicket> TakeExpired(double now, int max = int.MaxValue)
    {
        var expired = new List<BanTicket>();
        foreach (var ticket in _order)
        {
            if (expired.Count >= max)
            {
                break;
            }

            if (now > ticket.EndOfBan(BanTime))
            {
                expired.Add(ticket);
            }
        }

        foreach (var t in expired)
        {
            _ = Remove(t.Id, out _);
        }

        return expired;
    }

    /// <summary>The earliest end of ban, or null without expiring bans.</summary>
    public double? NextEnd()
    {
        double? next = null;
        foreach (var t in _order)
        {
            var end = t.EndOfBan(BanTime);
            if (!double.IsPositiveInfinity(end) && (next is null || end < next))
            {
                next = end;
            }
        }

        return next;
    }

    /// <summary>Ids ordered by end of ban (fail2ban's <c>get JAIL banip</c> order).</summary>
    public List<BanTicket> OrderedByEnd() => [.. _order.OrderBy(t => t.EndOfBan(BanTime))];

    public List<BanTicket> TakeAll()
    {
        var all = _order.ToList();
        _bans.Clear();
        _order.Clear();
        return all;
    }
}

/// <summary>What <see cref="BanManager.Add"/> did.</summary>
internal enum BanAddResult
{
    Added,
    AlreadyBanned,
    Expired,
}

namespace SharpBan.Engine.Jails;

/// <summary>
/// The bans of one jail (fail2ban's <c>BanManager</c>): adding with "already banned"/"expired" outcomes, prolonging,
/// expiry against a clock value. Not thread-safe: owned by one jail.
/// </summary>
internal sealed class BanManager
{
    private readonly Dictionary<string, BanTicket> _bans = new(StringComparer.Ordinal);

    /// <summary>Jail ban time in seconds; <see cref="BanTicket.Permanent"/> (-1) bans for ever.</summary>
    public long BanTime { get; set; } = 600;

    public int Count => _bans.Count;

    /// <summary>Bans added since the jail started ("Total banned").</summary>
    public long TotalBanned { get; private set; }

    public IEnumerable<BanTicket> Tickets => _bans.Values;

    public bool TryGet(string id, out BanTicket ticket) => _bans.TryGetValue(id, out ticket!);

    public BanAddResult Add(BanTicket ticket, double now)
    {
        var end = ticket.EndOfBan(BanTime);
        if (end < now)
        {
            return BanAddResult.Expired;
        }

        if (_bans.TryGetValue(ticket.Id, out var old))
        {
            if (end > old.EndOfBan(BanTime))
            {
                var bantime = ticket.EffectiveBanTime(BanTime);
                if (bantime != BanTicket.Permanent)
                {
                    var diff = ticket.Time - old.Time;
                    if (diff > 0)
                    {
                        bantime += (long)diff;
                    }
                }

                old.BanTime = bantime;
            }

            return BanAddResult.AlreadyBanned;
        }

        _bans[ticket.Id] = ticket;
        TotalBanned++;
        ticket.BanCount++;
        return BanAddResult.Added;
    }

    public bool Remove(string id, out BanTicket ticket) => _bans.Remove(id, out ticket!);

    /// <summary>Removes and returns up to <paramref name="max"/> bans whose end lies before <paramref name="now"/>.</summary>
    public List<BanTicket> TakeExpired(double now, int max = int.MaxValue)
    {
        var expired = new List<BanTicket>();
        foreach (var ticket in _bans.Values)
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
            _bans.Remove(t.Id);
        }

        return expired;
    }

    /// <summary>The earliest end of ban, or null without expiring bans.</summary>
    public double? NextEnd()
    {
        double? next = null;
        foreach (var t in _bans.Values)
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
    public List<BanTicket> OrderedByEnd() => [.. _bans.Values.OrderBy(t => t.EndOfBan(BanTime))];

    public List<BanTicket> TakeAll()
    {
        var all = _bans.Values.ToList();
        _bans.Clear();
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

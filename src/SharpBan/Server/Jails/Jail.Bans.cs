using System.Net;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;

namespace SharpBan.Server.Jails;

internal sealed partial class Jail
{
    /// <summary>Bans a ticket: bantime.increment, ban manager, log line, database row, then every action's ban.</summary>
    public Task<bool> BanAsync(BanTicket ticket)
    {
        var now = _context.Now();
        ticket.Time = Math.Min(ticket.Time, now);
        var oldBanTime = ticket.EffectiveBanTime(Bans.BanTime);
        var restoredFromDatabase = ticket.Restored;
        (int Count, double TimeOfBan)? bad = null; // a known bad address: said after its Ban line, as fail2ban's observer does
        string? incrementError = null; // likewise: the ban goes ahead with the jail's bantime, the error follows its Ban line
        // bantime.increment only for a new ban: fail2ban's observer sees only bans the ban list took (an address that
        // is already banned keeps its ban, at most prolonged to the new end)
        if (!ticket.Restored && ticket.BanTime is null && Bans.BanTime != BanTicket.Permanent && Bans.BanTime > 0
            && Increment.Enabled && Database is not null && !Bans.TryGet(ticket.Id, out _))
        {
            var previous = Database.GetLastBan(ticket.Id, Name, Increment.OverallJails);
            if (previous is { BanCount: > 0 })
            {
                ticket.BanCount = previous.BanCount;
                // as fail2ban's observer: a formula that fails (a typo, a division by zero) must not cost the ban
                // (the plain ban then, neither restored nor reported as a known bad address)
                incrementError = TryIncrease(ticket, previous.BanCount);
                if (incrementError is null && ticket.Time <= previous.TimeOfBan)
                {
                    ticket.Restored = true;
                }
                else if (incrementError is null)
                {
                    bad = (previous.BanCount, previous.TimeOfBan);
                }
            }
        }

        switch (Bans.Add(ticket, now))
        {
            case BanAddResult.Expired:
                Log.IgnoreExpired(_log, Name, ticket.Id);
                return Task.FromResult(false);
            case BanAddResult.AlreadyBanned:
                if (Bans.TryGet(ticket.Id, out var banned))
                {
                    // how long after its ban the address failed again: the log level, and whether its block may be gone
                    var late = ticket.Time - banned.Time;
                    LogAlreadyBanned(ticket.Id, late);
                    CheckConsistency(ticket.Id, late, now);
                }

                return Task.FromResult(false);
        }

        if (restoredFromDatabase)
        {
            Log.RestoreBan(_log, Name, ticket.Id);
        }
        else
        {
            Log.Ban(_log, Name, ticket.Id);
            if (bad is { } known)
            {
                Log.IpIsBad(_observerLog, Name, ticket.Id, known.Count, _context.FormatTime(known.TimeOfBan), Seconds(Bans.BanTime), Seconds((long)(ticket.BanTime ?? Bans.BanTime)));
            }

            if (incrementError is not null)
            {
                Log.BanTimeIncrementFailed(_observerLog, Name, ticket.Id, incrementError);
            }

            var newBanTime = ticket.EffectiveBanTime(Bans.BanTime);
            if (newBanTime != oldBanTime)
            {
                var end = ticket.EndOfBan(Bans.BanTime);
                Log.IncreaseBan(_observerLog, Name, ticket.Id, ticket.BanCount, newBanTime == BanTicket.Permanent ? "permanent" : Seconds((long)newBanTime), _context.FormatTime(end));
            }

            if (!ticket.Restored)
            {
                Database?.AddBan(Name, ticket, Bans.BanTime); // a file that cannot take it gets it when repaired
            }
        }

        NativeBan(ticket, now);
        var values = Tags(ticket, now);
        var prolonged = !restoredFromDatabase && ticket.EffectiveBanTime(Bans.BanTime) != oldBanTime;
        foreach (var action in CommandActions)
        {
            if (ticket.Restored && action.NoRestored)
            {
                continue;
            }

            Enqueue(action, ticket.Id, () => action.BanAsync(ticket, values, now, _stopping.Token));
            if (prolonged && !string.IsNullOrWhiteSpace(action.Properties.GetValueOrDefault("actionprolong")))
            {
                // "Increase Ban": actions that keep their own timeout (ipset, firewalld) get actionprolong, after the ban
                // (same address chain: runs after this ban and before any later unban)
                Enqueue(action, ticket.Id, () => action.BanAsync(ticket, values, now, _stopping.Token, "actionprolong"));
            }
        }

        ExpiryChanged?.Invoke();
        return Task.FromResult(true);
    }

    /// <summary>
    /// Sets the ticket's increased ban time from <c>bantime.formula</c> (or its multipliers), at most <c>maxtime</c>;
    /// returns why it could not (an error of the formula or factor, or no number), the ticket then keeps the jail's.
    /// </summary>
    private string? TryIncrease(BanTicket ticket, int banCount)
    {
        double seconds;
        try
        {
            seconds = Increment.Compute(Bans.BanTime, banCount, Random.Shared.NextDouble());
        }
        catch (ExpressionException e)
        {
            return e.Message;
        }

        if (double.IsNaN(seconds))
        {
            return "the formula gives no number (nan)";
        }

        ticket.BanTime = (long)seconds; // an infinite time saturates: as good as permanent, as in fail2ban
        return null;
    }

    /// <summary>Raised when a ban was added (the server re-plans its unban timer).</summary>
    public Action? ExpiryChanged { get; set; }

    /// <summary>Unbans bans whose end is reached; returns the next end of ban.</summary>
    public double? ExpireBans()
    {
        var now = _context.Now();
        foreach (var ticket in Bans.TakeExpired(now))
        {
            UnbanTicket(ticket, now);
        }

        return Bans.NextEnd();
    }

    /// <summary><c>unbanip</c>: removes the ban and, as fail2ban, the address's database history in this jail.</summary>
    public bool Unban(string ip)
    {
        Database?.DeleteBans(Name, ip);
        if (!Bans.Remove(ip, out var ticket))
        {
            return false;
        }

        UnbanTicket(ticket, _context.Now());
        return true;
    }

    /// <summary>
    /// The banned ids <paramref name="entry"/> unbans, as fail2ban's <c>removeBannedIP</c>: the id as given, else for a
    /// network (<c>addr/len</c>, <c>addr/mask</c>) every banned address or network whose address lies in it (a single
    /// address written as a network, <c>192.0.2.1/32</c>, only as given).
    /// </summary>
    public List<string> BannedMatching(string entry)
    {
        if (Bans.TryGet(entry, out _))
        {
            return [entry];
        }

        if (entry.Contains('/', StringComparison.Ordinal) && TryParseNetwork(entry) is { IsValid: true, IsSingle: false } network)
        {
            return [.. Bans.Tickets.Where(t => IpEntry.FromBanId(t.Id) is { } a && network.Contains(a)).Select(t => t.Id)];
        }

        return [];
    }

    private static IpEntry? TryParseNetwork(string entry)
    {
        try
        {
            return IpEntry.Parse(entry);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Unbans everything (jail stop, <c>unban --all</c>): actionflush where defined, else one unban each.</summary>
    public Task<int> UnbanAllAsync(bool deleteFromDatabase)
    {
        var now = _context.Now();
        var tickets = Bans.TakeAll();
        if (deleteFromDatabase)
        {
            Database?.DeleteBans(Name, null);
        }

        foreach (var action in CommandActions.Where(static a => !string.IsNullOrWhiteSpace(a.Properties.GetValueOrDefault("actionflush"))))
        {
            Engine.Log.Flush(_log, Name, action.Name); // fail2ban's order: each flush, then every ticket's Unban line
        }

        foreach (var ticket in tickets)
        {
            Log.Unban(_log, Name, ticket.Id);
        }

        if (IsRunning)
        {
            NativeUnban(tickets); // on stop, removing the jail's sets unbans everything at once
        }

        foreach (var action in CommandActions)
        {
            EnqueueFlush(action, tickets, now);
        }

        return Task.FromResult(tickets.Count);
    }

    /// <summary>Removes <paramref name="tickets"/> from one action: <c>actionflush</c> where defined, else one unban each.</summary>
    private void EnqueueFlush(CommandAction action, IReadOnlyList<BanTicket> tickets, double now) => Enqueue(action, null, async () =>
    {
        if (!await action.FlushAsync(now, CancellationToken.None).ConfigureAwait(false))
        {
            foreach (var ticket in tickets)
            {
                await action.UnbanAsync(ticket, Tags(ticket, now), now, CancellationToken.None).ConfigureAwait(false);
            }
        }
    });

    /// <summary>The tags of one action call for <paramref name="ticket"/>: fail2ban's ActionInfo for this jail.</summary>
    private TicketTagValues Tags(BanTicket ticket, double now) => new(Name, ticket, "", now, Bans.BanTime, Database, _context.HostOfAddress, JailInfo);

    /// <summary>fail2ban's <c>&lt;jail.banned&gt;</c>, <c>&lt;jail.banned_total&gt;</c>, <c>&lt;jail.found&gt;</c>, <c>&lt;jail.found_total&gt;</c>, read when substituted.</summary>
    private long? JailInfo(string tag) => tag switch
    {
        "jail.banned" => Bans.Count,
        "jail.banned_total" => Bans.TotalBanned,
        "jail.found" => Failures.Count,
        "jail.found_total" => Failures.TotalFailed,
        _ => null,
    };

    private void UnbanTicket(BanTicket ticket, double now)
    {
        Log.Unban(_log, Name, ticket.Id);
        NativeUnban([ticket]);
        var values = Tags(ticket, now);
        foreach (var action in CommandActions)
        {
            Enqueue(action, ticket.Id, () => action.UnbanAsync(ticket, values, now, _stopping.Token));
        }
    }

    /// <summary>
    /// After the server repaired the database file: the bans of that file the jail does not have (a restored copy of
    /// the file, a file that could not be read at start), restored as at start.
    /// </summary>
    public Task RestoreMissingBansAsync() => RestoreBansAsync(missingOnly: true);

    private async Task RestoreBansAsync(bool missingOnly = false)
    {
        if (Database is null)
        {
            return;
        }

        var now = _context.Now();
        // fail2ban's getMaxBanTime: with bantime.increment a stored ban is cut only to bantime.maxtime (none: kept as
        // stored, also a permanent one); without it, to the jail's bantime
        var maxTime = Increment.Enabled ? Increment.MaxTime ?? BanTicket.Permanent : Bans.BanTime;
        foreach (var row in Database.GetRestorable(Name, now, Bans.BanTime, Increment.Enabled))
        {
            if (missingOnly && Bans.TryGet(row.Ip, out _))
            {
                continue;
            }

            // -2: written by fail2ban's upgrade of an old database ("unknown"), restored with the jail's bantime
            var bantime = row.BanTime == -2 ? Bans.BanTime : row.BanTime;
            if (maxTime > 0 && (bantime == BanTicket.Permanent || bantime > maxTime))
            {
                bantime = (long)maxTime;
            }

            // the ban list counts the restored ban once more (fail2ban: the row's count, then incrBanCount)
            var ticket = new BanTicket(row.Ip, row.TimeOfBan)
            {
                IntegerTime = true,
                BanTime = bantime,
                BanCount = row.BanCount,
                Failures = row.Failures,
                Matches = [.. row.Matches.TakeLast(Math.Max(0, Failures.MaxMatches))],
                Restored = true,
            };
            if (ticket.EndOfBan(Bans.BanTime) <= now)
            {
                continue;
            }

            if (await Ignore.CheckAsync(row.Ip, null, _stopping.Token).ConfigureAwait(false) is not null)
            {
                continue;
            }

            await BanAsync(ticket).ConfigureAwait(false);
        }
    }

    private void LogAlreadyBanned(string id, double diff)
    {
        if (diff < 3)
        {
            Log.AlreadyBannedDebug(_log, Name, id);
        }
        else if (diff < 60)
        {
            Log.AlreadyBannedNotice(_log, Name, id);
        }
        else
        {
            Log.AlreadyBannedWarning(_log, Name, id);
        }
    }

    private static string Seconds(long seconds) => DurationText.Of(seconds);
}

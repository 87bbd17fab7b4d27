namespace SharpBan.Engine.Jails;

/// <summary>
/// Tickets in the order their last failure was recorded, oldest first: an intrusive doubly linked list through
/// <see cref="FailTicket.Older"/>/<see cref="FailTicket.Newer"/>, so that moving a ticket to the newest end and taking
/// the oldest cost O(1) and no allocation. A ticket is in at most one queue. Not thread-safe.
/// </summary>
internal sealed class TicketQueue
{
    public FailTicket? Oldest { get; private set; }

    private FailTicket? _newest;

    public void AddNewest(FailTicket ticket)
    {
        ticket.Older = _newest;
        ticket.Newer = null;
        if (_newest is null)
        {
            Oldest = ticket;
        }
        else
        {
            _newest.Newer = ticket;
        }

        _newest = ticket;
    }

    public void Remove(FailTicket ticket)
    {
        if (ticket.Older is null)
        {
            Oldest = ticket.Newer;
        }
        else
        {
            ticket.Older.Newer = ticket.Newer;
        }

        if (ticket.Newer is null)
        {
            _newest = ticket.Older;
        }
        else
        {
            ticket.Newer.Older = ticket.Older;
        }

        ticket.Older = null;
        ticket.Newer = null;
    }

    public void Clear()
    {
        Oldest = null;
        _newest = null;
    }
}

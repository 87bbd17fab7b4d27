using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public class TicketQueueTests
{
    private static readonly Dictionary<string, object?> NoData = [];

    [Fact]
    public void RemoveAndAddNewest_AnyPosition_KeepsTheOrder()
    {
        var queue = new TicketQueue();
        var tickets = Enumerable.Range(0, 4).Select(i => new FailTicket($"t{i}", i, NoData)).ToList();
        tickets.ForEach(queue.AddNewest);

        queue.Remove(tickets[0]); // oldest
        queue.Remove(tickets[2]); // middle
        queue.AddNewest(tickets[0]);
        queue.Remove(tickets[0]); // newest

        Assert.Equal(["t1", "t3"], Order(queue));
        queue.Remove(tickets[1]);
        queue.Remove(tickets[3]);
        Assert.Null(queue.Oldest);
        queue.AddNewest(tickets[2]);
        Assert.Equal(["t2"], Order(queue));
    }

    private static List<string> Order(TicketQueue queue)
    {
        var ids = new List<string>();
        for (var t = queue.Oldest; t is not null; t = t.Newer)
        {
            ids.Add(t.Id);
        }

        return ids;
    }
}

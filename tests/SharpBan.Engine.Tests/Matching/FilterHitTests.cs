using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Tests.Matching;

public class FilterHitTests
{
    /// <summary>A ticket keeps the hit's groups, not its lines split around the date (it has them as text already).</summary>
    [Fact]
    public void TicketData_HitWithLinesAndGroups_ACopyWithoutTheLines()
    {
        var data = new Dictionary<string, object?>
        {
            ["user"] = "root",
            ["ip4"] = "192.0.2.1",
            ["dns"] = null,
            ["matches"] = new List<LineTuple> { new("", "Aug 14 11:58:59", " host sshd[1]: Failed password") },
        };
        var hit = new FilterHit(0, "192.0.2.1", 1000, data);

        var copy = hit.TicketData();
        data["user"] = "changed later by the mlfid session";

        Assert.Equal(["user", "ip4", "dns"], copy.Keys);
        Assert.Equal("root", copy["user"]);
        Assert.Single(hit.Matches); // the hit itself keeps them
    }
}

using SharpBan.Engine.Matching;
using SharpBan.RegexTool;

namespace SharpBan.Tests.RegexTool;

public sealed class FailureOutputTests
{
    private static string Out(string format, FilterHit hit)
    {
        using var o = new StringWriter { NewLine = "\n" };
        FailureOutput.WriteOut(o, format, hit, static () => 0);
        return o.ToString();
    }

    private static readonly FilterHit IdBesideAddress = new(0, "7", 1124013600, new Dictionary<string, object?> { ["fid"] = "7", ["ip4"] = "192.0.2.7", ["ip"] = "192.0.2.7" });

    [Fact]
    public void Template_IdBesideAddress_IpIsTheAddressFidTheId() =>
        Assert.Equal("192.0.2.7 7 inet4 7.2.0.192.\n", Out("<ip> <fid> <family> <ip-rev>", IdBesideAddress));

    [Fact]
    public void Row_TupleId_TheTupleNotItsTextQuoted()
    {
        var hit = new FilterHit(0, "('bob', '41')", null, new Dictionary<string, object?> { ["fid"] = new object?[] { "bob", "41" } });
        Assert.Equal("[('bob', '41'),\tNone,\t{'fid': ('bob', '41')}],\n", Out("row", hit));
    }

    [Fact]
    public void Row_TextId_Quoted() =>
        Assert.StartsWith("['7',\t1124013600.0,\t", Out("row", IdBesideAddress), StringComparison.Ordinal);
}

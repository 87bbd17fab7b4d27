using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Jails;

public class BanTimeIncrementTests
{
    [Fact]
    public void Compute_Multipliers_UseCountAsIndex()
    {
        var inc = new BanTimeIncrement().With("multipliers", "1 5 30 60");
        Assert.Equal(3000, inc.Compute(600, 1));
        Assert.Equal(36000, inc.Compute(600, 9));
    }

    // fail2ban splits on single spaces and int() refuses the empty words two spaces (or one at an end) leave
    [Theory]
    [InlineData("1  2")]
    [InlineData(" 1 2")]
    [InlineData("1 2 ")]
    public void With_MultipliersWithEmptyWord_RefusedAsFail2Ban(string multipliers) =>
        Assert.Throws<FormatException>(() => new BanTimeIncrement().With("multipliers", multipliers));

    [Fact]
    public void Compute_MaxTime_Caps()
    {
        var inc = new BanTimeIncrement().With("maxtime", "1h");
        Assert.Equal(3600, inc.Compute(600, 5));
    }

    [Fact]
    public void With_FormulaWithCode_Throws() =>
        Assert.Throws<ExpressionException>(() => new BanTimeIncrement().With("formula", "__import__('os')").Compute(600, 1));

    [Fact]
    public void Get_ReportsOnlyWhatWasSet_AsFail2banDoes()
    {
        var b = new BanTimeIncrement();
        Assert.Null(b.Get("increment"));
        Assert.Null(b.Get("factor"));
        b = b.With("increment", "true").With("factor", "2").With("maxtime", "1d").With("formula", "");
        Assert.Equal(true, b.Get("increment"));
        Assert.Equal("2", b.Get("factor"));
        Assert.Equal(86400L, b.Get("maxtime"));
        Assert.Equal("2629800.0", b.With("rndtime", "1mo").Get("rndtime")); // a float in fail2ban (months are 30.4375 days)
        Assert.Null(b.Get("formula"));
        Assert.Equal(false, b.With("increment", "").Get("increment"));
        Assert.Null(b.With("factor", "").Get("factor"));
    }
}

using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Tests.Matching;

public sealed class PyValueTests
{
    // Python's repr(float): plain from 1e-4 up to below 1e16 (".0" when whole), else d.ddde±XX; inf, nan
    [Theory]
    [InlineData(600.0, "600.0")]
    [InlineData(2629800.0, "2629800.0")]
    [InlineData(1124013600.5, "1124013600.5")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(3.15576e16, "3.15576e+16")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NaN, "nan")]
    public void FloatRepr_AsPython(double value, string expected) => Assert.Equal(expected, PyValue.FloatRepr(value));

    // fail2ban's _as_bool (bantime.increment, ignoreself): exactly these words in any case, nothing around them
    [Theory]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("On", true)]
    [InlineData("1", true)]
    [InlineData(" true", false)]
    [InlineData("enabled", false)]
    [InlineData("yeſ", false)]
    [InlineData("false", false)]
    public void AsBool_AsFail2bansAsBool(string value, bool expected) => Assert.Equal(expected, PyValue.AsBool(value));
}

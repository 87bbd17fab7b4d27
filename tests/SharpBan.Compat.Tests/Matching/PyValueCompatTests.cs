using System.Globalization;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Engine.Matching;

namespace SharpBan.Compat.Tests.Matching;

/// <summary>
/// <see cref="PyValue.FloatRepr"/> (times in <c>sharpban regex</c> output, <c>--str2sec</c>, <c>bantime.maxtime</c>)
/// against Python's <c>repr(float)</c> on generated doubles of every magnitude, whole and fractional, both signs, at
/// the plain/exponent boundaries, zeros and the non-finite ones.
/// </summary>
public sealed class PyValueCompatTests
{
    [OracleFact]
    public void FloatRepr_GeneratedDoubles_SameAsPython()
    {
        var random = new Random(20261128);
        var values = new List<double> { 0.0, -0.0, 1.0, 0.1, 1e15, 1e16, 1e17, 9999999999999998, 1e-4, 1e-5, 0.00012, 123456789012345680, 5e-324, double.MaxValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN };
        for (var i = 0; i < 20000; i++)
        {
            var magnitude = Math.Pow(10, random.Next(-30, 30));
            var v = random.Next(4) switch
            {
                0 => Math.Round(random.NextDouble() * 1000) * magnitude,
                1 => Math.Floor(random.NextDouble() * 1e6),
                _ => random.NextDouble() * magnitude,
            };
            values.Add(random.Next(3) == 0 ? -v : v);
        }

        var expected = PythonOracle.Run(
            "import sys, struct\nfor l in sys.stdin:\n  print(repr(struct.unpack('<d', bytes.fromhex(l.strip()))[0]))",
            [.. values.Select(static v => Convert.ToHexString(BitConverter.GetBytes(v)))]);

        var differences = values.Select((v, i) => (Value: v, Ours: PyValue.FloatRepr(v), Python: expected[i])).Where(static d => d.Ours != d.Python).ToList();
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {values.Count} differ, e.g. " + string.Join("; ", differences.Take(8).Select(static d => $"{d.Value.ToString("R", CultureInfo.InvariantCulture)}: ours {d.Ours}, Python {d.Python}")));
    }
}

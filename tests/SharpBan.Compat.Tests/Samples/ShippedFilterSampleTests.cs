using Xunit.Abstractions;

namespace SharpBan.Compat.Tests.Samples;

/// <summary>Our shipped filters (config/filter.d) against our own annotated sample logs (SampleLogs/), with the
/// same semantics as fail2ban's sample suite. Needs no reference installation: these are our files.</summary>
public sealed class ShippedFilterSampleTests(ITestOutputHelper output)
{
    private static readonly string Config = Path.Join(AppContext.BaseDirectory, "config");
    private static readonly string Logs = Path.Join(AppContext.BaseDirectory, "SampleLogs");

    public static TheoryData<string> Filters() =>
        new(Directory.EnumerateFiles(Logs).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Filters))]
    public void SampleLog_ShippedFilter_EveryAnnotatedLinePasses(string filter)
    {
        Assert.True(File.Exists(Path.Join(Config, "filter.d", filter + ".conf")), $"no shipped filter for sample log {filter}");
        var cases = new SampleSuite().Run(filter, Config, Logs);
        foreach (var failed in cases.Where(c => !c.Passed))
        {
            output.WriteLine("FAIL " + failed);
        }

        Assert.True(cases.Count >= 5, $"only {cases.Count} annotated cases in {filter}");
        Assert.All(cases, c => Assert.True(c.Passed, c.ToString()));
    }
}

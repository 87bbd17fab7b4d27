using System.Globalization;
using SharpBan.Compat.Tests.Oracle;
using Xunit.Abstractions;

namespace SharpBan.Compat.Tests.Samples;

/// <summary>fail2ban 1.0.2's own sample logs against its shipped filters (issue 3, done-when #1).</summary>
public sealed class SampleSuiteTests(ITestOutputHelper output)
{
    private const double RequiredPassRate = 0.995;

    [RegexOracleFact]
    public void SampleLogs_AllShippedFilters_PassAtLeast995Permille() => RunSuite(aheadOfTime: false);

    /// <summary>The same cases through the regex tool's pipeline path (date, prefregex and failregexes searched ahead).</summary>
    [RegexOracleFact]
    public void SampleLogs_SearchedAhead_PassAtLeast995Permille() => RunSuite(aheadOfTime: true);

    private void RunSuite(bool aheadOfTime)
    {
        var suite = new SampleSuite(aheadOfTime);
        var filters = SampleSuite.Filters().ToList();
        List<SampleCase> cases;
        try
        {
            cases = filters.SelectMany(f => suite.Run(f.Name, f.BaseDir)).ToList();
        }
        finally
        {
            // the zzz-* test filters are read from a temporary copy: remove it
            foreach (var dir in filters.Select(f => f.BaseDir).Distinct(StringComparer.Ordinal)
                         .Where(d => d.StartsWith(Path.GetTempPath(), StringComparison.Ordinal)))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        var failed = cases.Where(static c => !c.Passed).ToList();
        var passed = cases.Count - failed.Count;
        var summary = string.Create(CultureInfo.InvariantCulture, $"sample suite: {passed} of {cases.Count} checked cases passed ({100.0 * passed / Math.Max(1, cases.Count):F2}%), {failed.Count} failed");
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var f in failed)
        {
            output.WriteLine("FAIL " + f);
            Console.WriteLine("FAIL " + f);
        }

        Assert.True(cases.Count > 1000, "too few sample cases found: " + cases.Count);
        Assert.True(passed >= RequiredPassRate * cases.Count, summary + Environment.NewLine + string.Join(Environment.NewLine, failed.Take(50)));
    }
}

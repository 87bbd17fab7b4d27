using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.RegexTool;
using Xunit.Abstractions;

namespace SharpBan.Compat.Tests.Samples;

/// <summary>
/// Our shipped filters over fail2ban's own sample logs, beside fail2ban's stock filter of the same name: where both
/// count a line as a failure, they blame the same address. Our filters may count fewer lines (designed apart, some
/// lines refused as ambiguous) or more, but never another address: that would be one of them reading a client-written
/// address (which found the sshd filter blaming the address in forged details after "ssh2:").
/// </summary>
public sealed class ShippedFilterVersusStockTests(ITestOutputHelper output)
{
    private static readonly string Config = Path.Join(AppContext.BaseDirectory, "config");

    [RegexOracleFact]
    public void ShippedFilters_OnFail2bansSampleLogs_NeverBlameAnotherAddressThanStock()
    {
        var filters = Directory.EnumerateFiles(Path.Join(Config, "filter.d"), "*.conf").Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .Where(static f => File.Exists(Path.Join(OraclePaths.SampleLogs, f))).Order(StringComparer.Ordinal).ToList();
        Assert.True(filters.Count >= 60, $"only {filters.Count} filters with a sample log");
        var conflicts = new List<string>();
        var (both, oursOnly, stockOnly) = (0, 0, 0);
        foreach (var filter in filters)
        {
            var log = Path.Join(OraclePaths.SampleLogs, filter);
            var stock = Failures(OraclePaths.ConfigDirectory, log, filter);
            var ours = Failures(Config, log, filter);
            foreach (var (line, hosts) in ours)
            {
                if (!stock.TryGetValue(line, out var stockHosts))
                {
                    oursOnly++;
                    continue;
                }

                both++;
                if (!hosts.SetEquals(stockHosts))
                {
                    conflicts.Add($"{filter}:{line}: ours {string.Join(",", hosts)}, stock {string.Join(",", stockHosts)}");
                }
            }

            stockOnly += stock.Keys.Count(l => !ours.ContainsKey(l));
        }

        output.WriteLine($"{filters.Count} filters: {both} lines counted by both, {oursOnly} by ours only, {stockOnly} by stock only");
        Assert.True(both > 500, $"only {both} lines counted by both");
        Assert.True(conflicts.Count == 0, "another address blamed:\n" + string.Join("\n", conflicts.Take(20)));
    }

    /// <summary>Per input line number, the addresses blamed for it (<c>sharpban regex --json</c>, fail2ban's "now" of its sample suite).</summary>
    private static Dictionary<long, HashSet<string>> Failures(string config, string log, string filter)
    {
        var (exit, text) = RegexToolRun.Ours(["-c", config, "--json", "--now", "1124013600", log, filter]);
        Assert.True(exit == 0, $"{filter} with {config}: {text}");
        var result = new Dictionary<long, HashSet<string>>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var node = JsonNode.Parse(line)!;
            var number = node["line"]!.GetValue<long>();
            (result.TryGetValue(number, out var hosts) ? hosts : result[number] = new HashSet<string>(StringComparer.Ordinal))
                .Add(node["host"]!.GetValue<string>());
        }

        return result;
    }
}

using SharpBan.Tests.RegexTool;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// The shipped filters against fail2ban's stock ones on logs a real server wrote in an attack test
/// (<c>fail2ban-regex</c> and <c>sharpban regex</c>, both <c>-o "&lt;ip&gt; &lt;msg&gt;"</c>): every failure fail2ban's
/// filter finds must be ours too, unless <c>documentedDifference</c> names the reason, and ours may blame only the
/// addresses that sent requests. Findings go to the test output; what is wrong is collected in <see cref="Problems"/>.
/// </summary>
/// <param name="documentedDifference">Given filter, mode and a failure only fail2ban finds: why, or null.</param>
internal sealed class ShippedFilterComparison(ITestOutputHelper output, IReadOnlyCollection<string> senders,
    Func<string, string, string, string?> documentedDifference)
{
    public const string Fail2BanRegex = "/usr/bin/fail2ban-regex";

    public static readonly string ShippedConfig = Path.Join(AppContext.BaseDirectory, "config");

    public List<string> Problems { get; } = [];

    /// <summary>
    /// Whether fail2ban-regex is there to compare with; an assertion failure when it is not and CI requires it.
    /// </summary>
    public static bool OracleAvailable(ITestOutputHelper output)
    {
        if (File.Exists(Fail2BanRegex))
        {
            return true;
        }

        Assert.False(Environment.GetEnvironmentVariable("SHARPBAN_REQUIRE_ORACLE") == "1", "fail2ban-regex is required");
        output.WriteLine("skipped: fail2ban is not installed");
        return false;
    }

    /// <param name="required">fail2ban's filter must find something (else the comparison proves nothing).</param>
    /// <param name="stockFilter">fail2ban's filter argument where it needs other options than ours.</param>
    public void Compare(string log, string filter, string mode, bool required = true, string? stockFilter = null)
    {
        var what = $"{filter}[mode={mode}] on {Path.GetFileName(log)}";
        var theirs = Failures(Shell.Check(Fail2BanRegex, "-o", "<ip> <msg>", log, stockFilter ?? $"{filter}[mode={mode}]"));
        var ours = Ours(log, $"{filter}[mode={mode}]");
        if (required)
        {
            Assert.True(theirs.Count > 0, $"fail2ban found nothing: {what}");
        }

        foreach (var missed in theirs.Except(ours))
        {
            if (documentedDifference(filter, mode, missed) is { } why)
            {
                output.WriteLine($"{what}: not ours ({why}): {missed}");
            }
            else
            {
                Problems.Add($"{what}: ours misses {missed}");
            }
        }

        foreach (var extra in ours.Except(theirs))
        {
            output.WriteLine($"{what}: only ours: {extra}");
        }

        Problems.AddRange(ours.Where(f => !senders.Contains(f.Split(' ')[0])).Select(f => $"{what}: ours blames a non-sender: {f}"));
        output.WriteLine($"{what}: ours {ours.Count}, fail2ban's {theirs.Count}");
    }

    /// <summary>Ours counts exactly <paramref name="expected"/> (<c>ADDR LINE</c>, from what the server itself wrote).</summary>
    public void CountsExactly(string log, string filterArgument, IReadOnlySet<string> expected)
    {
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(StringComparer.Ordinal), Ours(log, filterArgument).Order(StringComparer.Ordinal));
        output.WriteLine($"{filterArgument}: ours counts all {expected.Count} lines the server wrote for it");
    }

    private static HashSet<string> Ours(string log, string filterArgument)
    {
        var (exit, text) = RegexCli.Run("-c", ShippedConfig, "-o", "<ip> <msg>", log, filterArgument);
        Assert.Equal(0, exit);
        return Failures(text);
    }

    private static HashSet<string> Failures(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
}

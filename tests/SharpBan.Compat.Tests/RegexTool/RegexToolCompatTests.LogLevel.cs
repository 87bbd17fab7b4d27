using System.Text.RegularExpressions;
using SharpBan.Compat.Tests.Oracle;

namespace SharpBan.Compat.Tests.RegexTool;

/// <summary>
/// <c>-l LEVEL</c>: the name-resolution warnings fail2ban-regex logs (a name that does not resolve; each name a
/// <c>usedns = warn</c> filter resolved), in its format and place in the report; nothing at the default level.
/// Log times, process ids and the order inside Python's set of addresses are set aside.
/// </summary>
public sealed partial class RegexToolCompatTests
{
    private const string NameLines =
        "Aug 14 11:10:03 gate sshd[1]: Failed password for root from localhost port 22 ssh2\n" +
        "Aug 14 11:10:04 gate sshd[1]: Failed password for root from name-that-does-not-resolve.invalid port 22 ssh2\n" +
        "Aug 14 11:10:05 gate sshd[1]: Failed password for root from localhost port 22 ssh2";

    private static readonly Dictionary<string, string[]> LogLevelCases = new(StringComparer.Ordinal)
    {
        ["default level: no log"] = [NameLines, "sshd"],
        ["-l warning"] = ["-l", "warning", NameLines, "sshd"],
        ["-l NOTICE"] = ["-l", "NOTICE", NameLines, "sshd"],
        ["-l 30, --usedns yes: no lookup warning"] = ["-l", "30", "--usedns", "yes", NameLines, "sshd"],
        ["-l error: warnings not shown"] = ["-l", "error", NameLines, "sshd"],
        ["-l warning -o id"] = ["-l", "warning", "-o", "id", NameLines, "sshd"],
        ["-l warning -v"] = ["-l", "warning", "-v", NameLines, "sshd"],
        ["-l info: the filter's files as they are read"] = ["-l", "info", NameLines, "sshd"],
        ["-l info -L 3, filter options"] = ["-l", "info", "-L", "3", NameLines, "sshd[mode=aggressive]"],
        ["-l INFO -vv"] = ["-l", "INFO", "-vv", NameLines, "sshd"],
        ["-l info -o id"] = ["-l", "info", "-o", "id", NameLines, "sshd"],
        ["-l info, a filter without includes"] = ["-l", "info", NameLines, "nginx-http-auth"],
        ["an unknown --usedns at -l info: an error first"] = ["-l", "info", "--usedns", "BoGus", NameLines, "sshd"],
        ["dates that are no dates at -l error: each said"] = ["-l", "error", "2024-02-30 12:00:00 fail from 192.0.2.1\nFeb 30 12:00:00 fail from 192.0.2.2\nFeb 30 12:00:01 x", "fail from <HOST>$"],
        ["a failure without a date at -l warning"] = ["-l", "warning", "fail from 192.0.2.1", "^fail from <HOST>$"],
        ["failures without a date at -l info (said once)"] = ["-l", "info", "x fail from 192.0.2.1\nfail from 192.0.2.2", "fail from <HOST>$"], // not -v: it shows each failure's time, now
    };

    public static TheoryData<string> LogLevelCaseNames() => new(LogLevelCases.Keys);

    [RegexOracleTheory]
    [MemberData(nameof(LogLevelCaseNames))]
    public void LogLevel_SameArguments_SameLogLinesAsFail2BanRegex(string name)
    {
        string[] args = ["-c", OraclePaths.ConfigDirectory, .. LogLevelCases[name]];
        var (referenceExit, reference) = RegexToolRun.Reference(args);
        var (exit, ours) = RegexToolRun.Ours(args);
        Assert.Equal(0, referenceExit);
        Assert.Equal(referenceExit, exit);
        Assert.Equal(NormalizeLog(RegexToolRun.WithoutTiming(reference)), NormalizeLog(RegexToolRun.WithoutTiming(ours)));
        if (name.StartsWith("-l info", StringComparison.OrdinalIgnoreCase) && !name.Contains("-o", StringComparison.Ordinal))
        {
            Assert.Contains("  Loading files: [", ours, StringComparison.Ordinal);
        }

        if (name.Contains("no dates", StringComparison.Ordinal))
        {
            Assert.Equal(3, ours.Split('\n').Count(static l => l.Contains("ERROR  E: findFailure failed to parse timeText: ", StringComparison.Ordinal)));
        }

        if (name.Contains("without a date", StringComparison.Ordinal))
        {
            Assert.Single(ours.Split('\n'), static l => l.Contains("WARNINGW: [~jailless~] Found a match but no valid date/time found for ''.", StringComparison.Ordinal));
        }

        if (name.StartsWith("-l warning", StringComparison.Ordinal))
        {
            Assert.Contains("Unable to find a corresponding IP address for name-that-does-not-resolve.invalid: ", ours, StringComparison.Ordinal);
            Assert.Contains("Determined IP using DNS Lookup: localhost = {", ours, StringComparison.Ordinal);
        }
    }

    [RegexOracleFact]
    public void LogLevel_Unknown_RefusedWithExitOne()
    {
        string[] args = ["-c", OraclePaths.ConfigDirectory, "-l", "loud", NameLines, "sshd"];
        Assert.Equal(1, RegexToolRun.Reference(args).Exit);
        var (exit, ours) = RegexToolRun.Ours(args);
        Assert.Equal(1, exit);
        Assert.Contains("Invalid log level 'loud'", ours, StringComparison.Ordinal);
    }

    private static string NormalizeLog(string output) =>
        LogAddresses().Replace(ThreadStamp().Replace(LogStamp().Replace(output, "TIME fail2ban.${name}[PID]:"), " TIME THREAD "),
            m => "{" + string.Join(", ", m.Groups[1].Value.Split(", ").Order(StringComparer.Ordinal)) + "}");

    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} fail2ban\.(?<name>\S+)\s*\[\d+\]:", RegexOptions.Multiline)]
    private static partial Regex LogStamp();

    /// <summary>-vv's format: the time and the thread (Python's thread id, our managed thread number).</summary>
    [GeneratedRegex(@"^ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [0-9A-F]+ ", RegexOptions.Multiline)]
    private static partial Regex ThreadStamp();

    [GeneratedRegex(@"\{('[^}]*')\}")]
    private static partial Regex LogAddresses();
}

using SharpBan.Compat.Tests.Oracle;

namespace SharpBan.Compat.Tests.RegexTool;

/// <summary>
/// Every stock filter over every sample log at once: lines meant for other filters are what a filter meets in a real
/// log, and mixing all the logs' date formats moves the date templates around (fail2ban reorders them by hits).
/// </summary>
public sealed partial class RegexToolCompatTests
{
    [RegexOracleFact]
    public void Report_EveryStockFilterOverAllSampleLogsMixed_SameAsFail2BanRegex()
    {
        var log = Path.Join(Path.GetTempPath(), $"sharpban-mixed-samples-{Environment.ProcessId}.log");
        try
        {
            File.WriteAllLines(log, Directory.EnumerateFiles(OraclePaths.SampleLogs).Order(StringComparer.Ordinal)
                .SelectMany(File.ReadLines).Where(static l => !l.StartsWith('#')));
            var filters = Directory.EnumerateFiles(Path.Join(OraclePaths.ConfigDirectory, "filter.d"), "*.conf")
                .Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList();
            Assert.True(filters.Count >= 80, $"only {filters.Count} filters");
            string[] Args(string filter) => ["-c", OraclePaths.ConfigDirectory, "-vv", "--print-all-matched", "--print-all-missed", log, filter];

            var references = new System.Collections.Concurrent.ConcurrentDictionary<string, (int Exit, string Output)>(StringComparer.Ordinal);
            Parallel.ForEach(filters, new ParallelOptions { MaxDegreeOfParallelism = 2 }, f => references[f] = RegexToolRun.Reference(Args(f)));

            var differences = new List<string>();
            var compared = 0;
            foreach (var filter in filters)
            {
                var (referenceExit, reference) = references[filter];
                var (exit, ours) = RegexToolRun.Ours(Args(filter));
                if (reference.Contains("Traceback (most recent call last)", StringComparison.Ordinal))
                {
                    // fail2ban-regex crashes on an include-only file whose options need a including filter's values;
                    // we print its message as an error instead of a Python traceback
                    if (!ours.Contains("ERROR: ", StringComparison.Ordinal) || exit == 0)
                    {
                        differences.Add($"{filter}: fail2ban-regex crashed, we did not report an error (exit {exit})");
                    }

                    continue;
                }

                compared++;
                AddDifference(differences, filter, (referenceExit, reference), (exit, ours));
            }

            Assert.True(compared >= 80, $"only {compared} filters compared");
            Assert.True(differences.Count == 0, $"{differences.Count} of {filters.Count} reports differ:\n" + string.Join('\n', differences));
        }
        finally
        {
            File.Delete(log);
        }
    }

    /// <summary>
    /// Lines end at '\n' only: a carriage return inside a line stays in it (a forged line after it is not read as a
    /// line of its own), trailing ones are trimmed, a last line without a newline is left out unless it ends in '\r'.
    /// The separators U+001C–U+001F are whitespace to Python's <c>\s</c>: a failure followed by one still counts
    /// (it was missed, which let a client that controls the end of a line escape the ban).
    /// </summary>
    [RegexOracleTheory]
    [InlineData("Nov 25 10:00:00 h sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2\r\r\n"
        + "Nov 25 10:00:01 h sshd[2]: Failed password for x\rNov 25 10:00:01 h sshd[2]: Failed password for root from 192.0.2.9 port 22 ssh2\r\n"
        + "Nov 25 10:00:03 h sshd[3]: Failed password for root from 192.0.2.3 port 22 ssh2\r")]
    [InlineData("Nov 25 10:00:00 h sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2\rNov 25 10:00:03 h sshd[3]: Failed password for root from 192.0.2.3 port 22 ssh2")]
    [InlineData("Nov 25 10:00:00 h sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2\n\r\n\rx\n\x1f \u2028\u00a0\n")]
    [InlineData("Nov 25 10:00:00 h sshd[1]: Invalid user bob from 192.0.2.7 port 22\u001c\n"
        + "Nov 25 10:00:01 h sshd[2]: Failed password for root from 192.0.2.8 port 22 ssh2\u001f\u001c\n")]
    public void Report_ControlCharactersInALogFile_SameAsFail2BanRegex(string text)
    {
        var log = Path.Join(Path.GetTempPath(), $"sharpban-cr-{Environment.ProcessId}-{text.Length}.log");
        try
        {
            File.WriteAllText(log, text);
            string[] args = ["-c", OraclePaths.ConfigDirectory, "--print-all-matched", "--print-all-missed", log, "sshd"];
            var (referenceExit, reference) = RegexToolRun.Reference(args);
            var (exit, ours) = RegexToolRun.Ours(args);

            Assert.Equal(0, referenceExit);
            Assert.Equal(RegexToolRun.WithoutTiming(reference), RegexToolRun.WithoutTiming(ours));
            Assert.Equal(referenceExit, exit);
        }
        finally
        {
            File.Delete(log);
        }
    }

    /// <summary>
    /// An mlfid session merges the later lines' groups into the first line's dictionary after removing keys from it
    /// (nofail, matches): as in Python, a key added later comes last (a .NET dictionary reuses a removed key's slot).
    /// </summary>
    [RegexOracleTheory]
    [InlineData("Feb 12 04:09:18 localhost sshd[26713]: Connection from 192.0.2.77 port 51353\n"
        + "Feb 12 04:09:21 localhost sshd[26713]: Disconnecting: Too many authentication failures for root [preauth]", "sshd")]
    public void Out_Row_MergedSession_KeyOrderSameAsFail2BanRegex(string lines, string filter)
    {
        string[] args = ["-c", OraclePaths.ConfigDirectory, "-o", "row", lines, filter];
        var (referenceExit, reference) = RegexToolRun.Reference(args);
        var (exit, ours) = RegexToolRun.Ours(args);

        Assert.Contains("'user'", reference, StringComparison.Ordinal);
        Assert.Equal(reference, ours);
        Assert.Equal(referenceExit, exit);
    }

    /// <summary>
    /// A date with a zone offset (in the line, or from <c>--timezone</c>) is an int in fail2ban (it converts with
    /// <c>calendar.timegm</c>); without one it is a float. Fractions of a second are dropped either way.
    /// </summary>
    [RegexOracleTheory]
    [InlineData("2005-08-14 10:00:00.750 +0100 failed login from 192.0.2.7")]
    [InlineData("2005-08-14T10:00:00Z failed login from 192.0.2.7")]
    [InlineData("Aug 14 10:00:00 CEST failed login from 192.0.2.7", "-d", "%b %d %H:%M:%S %Z")]
    [InlineData("2005-08-14 10:00:00.750 failed login from 192.0.2.7")]
    [InlineData("2005-08-14 10:00:00.750 failed login from 192.0.2.7", "--timezone", "UTC")]
    [InlineData("2005-08-14 10:00:00 failed login from 192.0.2.7", "--timezone", "UTC-0530")]
    [InlineData("1124013600.5 failed login from 192.0.2.7", "--timezone", "UTC")]
    public void Out_TimeOfDatesWithAndWithoutZone_SameAsFail2BanRegex(string line, params string[] options)
    {
        foreach (var format in (ReadOnlySpan<string>)["row", "<time> <ip>"])
        {
            string[] args = ["-c", OraclePaths.ConfigDirectory, .. options, "-o", format, line, "failed login from <HOST>$"];
            var (referenceExit, reference) = RegexToolRun.Reference(args);
            var (exit, ours) = RegexToolRun.Ours(args);

            Assert.Contains("192.0.2.7", reference, StringComparison.Ordinal);
            Assert.Equal(reference, ours);
            Assert.Equal(referenceExit, exit);
        }
    }
}

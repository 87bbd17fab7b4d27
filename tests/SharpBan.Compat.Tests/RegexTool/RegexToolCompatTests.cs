using System.Globalization;
using System.Text.RegularExpressions;
using SharpBan.Compat.Tests.Oracle;

namespace SharpBan.Compat.Tests.RegexTool;

/// <summary>
/// <c>sharpban regex</c> against <c>fail2ban-regex</c> on the same arguments: the <c>Lines:</c> summary, the per-failregex
/// hits and the whole report (run time aside) must be identical. The multi-line rows use fail2ban's sample logs of the
/// filters that set <c>maxlines</c> &gt; 1 (or get it from <c>-L</c>), where lines a match consumes move from missed
/// to matched.
/// </summary>
public sealed partial class RegexToolCompatTests
{
    private static readonly Dictionary<string, string[]> Cases = new(StringComparer.Ordinal)
    {
        ["ejabberd-auth"] = [Log("ejabberd-auth"), "ejabberd-auth"],
        ["ejabberd-auth:-L 2:all"] = ["-L", "2", "--print-all-matched", "--print-all-missed", Log("ejabberd-auth"), "ejabberd-auth"],
        ["guacamole:all"] = ["--print-all-matched", "--print-all-missed", Log("guacamole"), "guacamole"],
        ["mongodb-auth:all"] = ["--print-all-matched", "--print-all-missed", Log("mongodb-auth"), "mongodb-auth"],
        ["mongodb-auth:-v"] = ["-v", Log("mongodb-auth"), "mongodb-auth"],
        ["slapd:all"] = ["--print-all-matched", "--print-all-missed", Log("slapd"), "slapd"],
        ["slapd:-L 30"] = ["-L", "30", Log("slapd"), "slapd"],
        ["sendmail-reject:-L 3:all"] = ["-L", "3", "--print-all-matched", "--print-all-missed", "--print-all-ignored", Log("sendmail-reject"), "sendmail-reject"],
        ["sshd"] = [Log("sshd"), "sshd"],
        ["sshd:-L 5:all"] = ["-L", "5", "--print-all-matched", "--print-all-missed", Log("sshd"), "sshd"],
        ["sshd:-D:all-missed"] = ["-D", "--print-all-missed", Log("sshd"), "sshd"],
        ["guacamole:-D"] = ["-D", Log("guacamole"), "guacamole"],
        ["guacamole:-D:all"] = ["-D", "--print-all-matched", "--print-all-missed", Log("guacamole"), "guacamole"],
        ["slapd:-D:all"] = ["-D", "--print-all-matched", "--print-all-ignored", Log("slapd"), "slapd"],
        ["mongodb-auth:-D:all:-L 3"] = ["-D", "-L", "3", "--print-all-matched", Log("mongodb-auth"), "mongodb-auth"],
        ["sendmail-reject:-D:--usedns no"] = ["-D", "--usedns", "no", "--print-all-ignored", Log("sendmail-reject"), "sendmail-reject"],
        ["literal:single:ignoreregex"] = ["2005-08-14 10:00:00 failed login from 192.0.2.7", "failed login from <HOST>$", "login from 192.0.2.8"],
        ["literal:multi:-d"] = ["-d", "%Y-%m-%d %H:%M:%S", "2005-08-14 10:00:00 failed login from 192.0.2.7\nx\n1\n2\n3\n4", "failed login from <HOST>$"],
        ["literal:-L 2"] = ["-L", "2", "failed login from 192.0.2.7", "failed login from <HOST>$"],
        ["ignoreregex:early check"] = ["--print-all-ignored", Log("sshd"), "sshd", "Connection from"],
        ["ignoreregex:after a failregex hit"] = ["--print-all-ignored", "--print-all-missed", Log("nginx-http-auth"), "nginx-http-auth", "user"],
        ["ignoreregex:filter file"] = ["--print-all-ignored", Log("sshd"), "sshd", Path.Join(OraclePaths.ConfigDirectory, "filter.d", "sshd.conf")],
        ["ignoreregex:-v prefregex groups"] = ["-v", Log("sshd"), "sshd[ignoreregex=root]"],
        ["filter options"] = ["x", "sshd[mode=aggressive]"],
        ["filter path"] = ["x", "/etc/fail2ban/filter.d/sshd.conf"],
        ["filter name.conf"] = ["x", "sshd.conf"],
        ["options given twice: the last wins"] = ["-L", "2", "-L", "4", "-d", "%H", "-d", "{^LN-BEG}", "--usedns", "yes", "--usedns", "no", Log("sshd"), "sshd"],
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [RegexOracleTheory]
    [MemberData(nameof(CaseNames))]
    public void Report_SameArguments_SameAsFail2BanRegex(string name)
    {
        string[] args = ["-c", OraclePaths.ConfigDirectory, .. Cases[name]];
        var (referenceExit, reference) = RegexToolRun.Reference(args);
        var (exit, ours) = RegexToolRun.Ours(args);
        Assert.Equal(0, referenceExit);
        Assert.Equal(referenceExit, exit);
        Assert.NotNull(RegexToolRun.LinesSummary(reference));
        Assert.Equal(RegexToolRun.LinesSummary(reference), RegexToolRun.LinesSummary(ours));
        Assert.Equal(RegexToolRun.FailRegexRows(reference), RegexToolRun.FailRegexRows(ours));
        Assert.Equal(RegexToolRun.WithoutTiming(reference), RegexToolRun.WithoutTiming(ours));
    }

    /// <summary>The multi-line rows do exercise the move: fail2ban-regex counts more matched lines than failregex hits.</summary>
    [RegexOracleTheory]
    [InlineData("guacamole")]
    [InlineData("mongodb-auth")]
    [InlineData("slapd")]
    public void Report_MultiLineFilter_ConsumedLinesCountAsMatched(string filter)
    {
        string[] args = ["-c", OraclePaths.ConfigDirectory, Log(filter), filter];
        var (_, reference) = RegexToolRun.Reference(args);
        var (_, ours) = RegexToolRun.Ours(args);
        var hits = RegexToolRun.FailRegexRows(reference).Sum(static r => int.Parse(HitCount().Match(r).Groups[1].Value, CultureInfo.InvariantCulture));
        var matched = int.Parse(Matched().Match(RegexToolRun.LinesSummary(reference)!).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(matched > hits, $"{filter}: {matched} matched lines, {hits} hits");
        Assert.Equal(RegexToolRun.LinesSummary(reference), RegexToolRun.LinesSummary(ours));
    }

    /// <summary>
    /// Every sample log of fail2ban's test suite that has a stock filter of the same name (89 here), with default
    /// options: the whole report (run time aside) identical to fail2ban-regex's. This pinned down that a file's last
    /// line without a newline is not read (fail2ban's FileContainer waits for the line's end).
    /// </summary>
    [RegexOracleFact]
    public void Report_EverySampleLogWithAStockFilter_SameAsFail2BanRegex() => AssertEverySampleLogSame([]);

    /// <summary>
    /// The same with <c>-vv --VD</c>: the filter's real options, every failregex with each hit's address and time, the prefregex with the groups of the
    /// first matched lines, every date template with its weight, pattern and regex. A failure without a date shows the
    /// time of the report, which differs between the runs.
    /// </summary>
    [RegexOracleFact]
    public void Report_Verbose_EverySampleLogWithAStockFilter_SameAsFail2BanRegex() => AssertEverySampleLogSame(["-vv", "--VD"]);

    private static void AssertEverySampleLogSame(string[] options)
    {
        var names = Directory.EnumerateFiles(OraclePaths.SampleLogs).Select(Path.GetFileName)
            .Where(static n => File.Exists(Path.Join(OraclePaths.ConfigDirectory, "filter.d", n + ".conf")))
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(names.Count >= 80, $"only {names.Count} sample logs with a filter");
        var references = new System.Collections.Concurrent.ConcurrentDictionary<string, (int Exit, string Output)>(StringComparer.Ordinal);
        Parallel.ForEach(names, new ParallelOptions { MaxDegreeOfParallelism = 2 }, n => references[n!] = RegexToolRun.Reference(["-c", OraclePaths.ConfigDirectory, .. options, Log(n!), n!]));

        var differences = new List<string>();
        foreach (var name in names)
        {
            var (referenceExit, reference) = references[name!];
            var (exit, ours) = RegexToolRun.Ours(["-c", OraclePaths.ConfigDirectory, .. options, Log(name!), name!]);
            AddDifference(differences, name!, (referenceExit, reference), (exit, ours));
        }

        Assert.True(differences.Count == 0, $"{differences.Count} of {names.Count} reports differ:\n" + string.Join('\n', differences));
    }

    /// <summary>
    /// <c>-o</c> output, token by token, as fail2ban-regex prints it: times as Python's float (an int for dovecot's TAI64N
    /// labels), a missing group as <c>None</c>, rows with Python's reprs, the tags of fail2ban's action info (family,
    /// reverse name, a fresh ticket's counters, the ticket itself); group names without <c>F-</c> stay as written. (sshd's rows are left out: Python prints its
    /// sets of users in hash order, which changes from run to run.)
    /// </summary>
    [RegexOracleTheory]
    [InlineData("id")]
    [InlineData("ip")]
    [InlineData("msg")]
    [InlineData("host")]
    [InlineData("user")]
    [InlineData("<time> <ip> <F-USER>")]
    [InlineData("row")]
    [InlineData("<ip>|<family>|<ip-rev>|<failures>|<bancount>|<restored>")]
    [InlineData("<raw-ticket>")]
    [InlineData("<user> <ip4> <id> <nosuch>")]
    public void Out_Format_SameAsFail2BanRegex(string format)
    {
        foreach (var name in (ReadOnlySpan<string>)["dovecot", "postfix", "exim", "courier-smtp", "nginx-http-auth"])
        {
            string[] args = ["-c", OraclePaths.ConfigDirectory, "-o", format, Log(name), name];
            var (referenceExit, reference) = RegexToolRun.Reference(args);
            var (exit, ours) = RegexToolRun.Ours(args);

            Assert.True(reference.Length > 0, $"{name}: no output");
            Assert.Equal(reference, ours);
            Assert.Equal(referenceExit, exit);
        }
    }

    /// <summary>
    /// <c>-o</c> over failures whose id is not their address: an <c>F-ID</c> beside the address (the ticket's
    /// <c>&lt;ip&gt;</c>, family and reverse name are the address's, <c>&lt;fid&gt;</c> the id), and a tuple id
    /// (<c>F-TUPLE_*</c>: the row shows the tuple, not its text quoted).
    /// </summary>
    [RegexOracleTheory]
    [InlineData("<ip> <fid> <family> <ip-rev> <F-ID>", @"session <F-ID>\d+</F-ID> port \d+ failed from <HOST>")]
    [InlineData("ip", @"session <F-ID>\d+</F-ID> port \d+ failed from <HOST>")]
    [InlineData("row", @"session <F-ID>\d+</F-ID> port \d+ failed from <HOST>")]
    [InlineData("row", @"session <F-ID>\d+</F-ID> port <F-TUPLE_ID>\d+</F-TUPLE_ID> failed from <HOST>")]
    [InlineData("<ip> <fid> <F-ID>", @"session <F-TUPLE_ID_1>\d+</F-TUPLE_ID_1> port <F-TUPLE_ID_2>\d+</F-TUPLE_ID_2> failed from <F-ID>\S+</F-ID>")]
    [InlineData("row", @"session <F-TUPLE_ID_1>\d+</F-TUPLE_ID_1> port <F-TUPLE_ID_2>\d+</F-TUPLE_ID_2> failed from <F-ID>\S+</F-ID>")]
    public void Out_IdBesideAddress_SameAsFail2BanRegex(string format, string failregex)
    {
        const string Lines = "2005-08-14 10:00:00 session 7 port 22 failed from 192.0.2.7\n"
            + "2005-08-14 10:00:01 session 8 port 23 failed from 2001:db8::9\n";
        string[] args = ["-o", format, Lines, failregex];
        var (referenceExit, reference) = RegexToolRun.Reference(args);
        var (exit, ours) = RegexToolRun.Ours(args);

        Assert.Equal(2, reference.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(reference, ours);
        Assert.Equal(referenceExit, exit);
    }

    /// <summary>A log in Latin-1 read with Python's codec names (<c>latin-1</c> was refused: .NET does not know that name).</summary>
    [RegexOracleTheory]
    [InlineData("latin-1")]
    [InlineData("cp1252")]
    [InlineData("ISO-8859-15")]
    public void Report_LogInALegacyEncoding_SameAsFail2BanRegex(string encoding)
    {
        var log = Path.Join(Path.GetTempPath(), $"sharpban-latin1-{Environment.ProcessId}-{encoding}.log");
        try
        {
            File.WriteAllBytes(log, System.Text.Encoding.Latin1.GetBytes(
                "Aug 14 11:50:00 srv sshd[1]: Failed password for \u00e9t\u00e9 from 192.0.2.7 port 22 ssh2\n"
                + "Aug 14 11:50:01 srv sshd[2]: Invalid user j\u00fcrgen from 192.0.2.8 port 22\n"
                + "Aug 14 11:50:02 srv sshd[3]: Accepted password for \u00e9t\u00e9 from 192.0.2.9 port 22 ssh2\n"));
            string[] args = ["-c", OraclePaths.ConfigDirectory, "-e", encoding, "--print-all-matched", log, "sshd"];
            var (referenceExit, reference) = RegexToolRun.Reference(args);
            var (exit, ours) = RegexToolRun.Ours(args);

            Assert.Equal(0, referenceExit);
            Assert.Contains("j\u00fcrgen", reference, StringComparison.Ordinal);
            Assert.Equal(RegexToolRun.WithoutTiming(reference), RegexToolRun.WithoutTiming(ours));
            Assert.Equal(referenceExit, exit);
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static string Log(string name) => Path.Join(OraclePaths.SampleLogs, name);

    /// <summary>Adds the first line where the two reports differ (run time and today's dates aside), or the exit codes.</summary>
    private static void AddDifference(List<string> differences, string name, (int Exit, string Output) reference, (int Exit, string Output) ours)
    {
        var a = Comparable(reference.Output).Split('\n');
        var b = Comparable(ours.Output).Split('\n');
        if (reference.Exit == ours.Exit && a.SequenceEqual(b))
        {
            return;
        }

        var at = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i]);
        differences.Add($"{name} (exit {reference.Exit}/{ours.Exit}), first difference at line {at + 1}:\n  fail2ban-regex: {a.ElementAtOrDefault(at)}\n  sharpban regex: {b.ElementAtOrDefault(at)}");
    }

    /// <summary>The report without its run time, and with a hit time of today (a failure without a date: now) as "today".</summary>
    private static string Comparable(string output) =>
        Today().Replace(RegexToolRun.WithoutTiming(output), m =>
            DateTime.TryParseExact(m.Groups[2].Value, "ddd MMM dd HH:mm:ss yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            && Math.Abs((t - DateTime.Now).TotalHours) < 1 ? m.Groups[1].Value + "(today)" : m.Value);

    [GeneratedRegex(@"^(\|      \S+  )(\w{3} \w{3} \d\d \d\d:\d\d:\d\d \d{4})", RegexOptions.Multiline)]
    private static partial Regex Today();

    [GeneratedRegex(@"\) \[(\d+)\]")]
    private static partial Regex HitCount();

    [GeneratedRegex(@", (\d+) matched,")]
    private static partial Regex Matched();
}

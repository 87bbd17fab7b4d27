using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;

namespace SharpBan.Compat.Tests.RegexTool;

/// <summary>Inputs written for the test: output templates over multi-line failures, NUL bytes, filter files outside filter.d.</summary>
public sealed partial class RegexToolCompatTests
{
    /// <summary>A template with <c>&lt;msg&gt;</c> is written once per line of a multi-line failure; NUL bytes are escaped.</summary>
    [RegexOracleTheory]
    [InlineData("mongodb-auth", "<ip>:<msg>")]
    [InlineData("sshd", "<F-USER> <msg> <ip>")]
    [InlineData("slapd", "[<msg>] <matches>")]
    public void Out_MessageOfMultiLineFailures_OneRowPerLine(string name, string format)
    {
        string[] args = ["-c", OraclePaths.ConfigDirectory, "-o", format, Log(name), name];
        var (referenceExit, reference) = RegexToolRun.Reference(args);
        var (exit, ours) = RegexToolRun.Ours(args);

        Assert.Equal((0, 0), (referenceExit, exit));
        Assert.True(reference.Split('\n').Length > 4, reference);
        Assert.Equal(reference, ours);
    }

    [RegexOracleFact]
    public void Out_NulInAValue_EscapedAsFail2BanRegexDoes()
    {
        using var temp = new TempDirectory();
        var log = Path.Join(temp.Path, "nul.log");
        File.WriteAllText(log, "2005-08-14 10:00:00 failed login for r\0oot from 192.0.2.7\n");
        foreach (var format in new[] { "<F-USER>", "<F-USER> <msg>", "<matches>" })
        {
            string[] args = ["-o", format, log, @"failed login for <F-USER>\S+</F-USER> from <HOST>$"];
            var (referenceExit, reference) = RegexToolRun.Reference(args);
            var (exit, ours) = RegexToolRun.Ours(args);

            Assert.Equal((0, 0), (referenceExit, exit));
            Assert.Contains("\\x00", reference, StringComparison.Ordinal);
            Assert.Equal(reference, ours);
        }
    }

    /// <summary>A filter file named outside filter.d is read as named, with the .local beside it (fail2ban's readexplicit).</summary>
    [RegexOracleTheory]
    [InlineData("my.txt")]
    [InlineData("noext")]
    [InlineData("my")]
    public void Filter_FileOutsideFilterD_ReadAsNamed(string filter)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Join(temp.Path, "my.txt"), "[Definition]\nfailregex = login for admin from <HOST>$\n");
        File.WriteAllText(Path.Join(temp.Path, "my.conf"), "[Definition]\nfailregex = login for root from <HOST>$\n");
        File.WriteAllText(Path.Join(temp.Path, "my"), "[Definition]\nfailregex = login for (?:root|admin) from <HOST>$\n");
        File.WriteAllText(Path.Join(temp.Path, "my.local"), "[Definition]\nignoreregex = for nobody\n");
        File.WriteAllText(Path.Join(temp.Path, "noext"), "[Definition]\nfailregex = from <HOST>$\n");
        var log = Path.Join(temp.Path, "a.log");
        File.WriteAllText(log, "2005-08-14 10:00:00 login for admin from 192.0.2.7\n2005-08-14 10:00:01 login for root from 192.0.2.8\n");
        string[] args = ["-c", OraclePaths.ConfigDirectory, log, Path.Join(temp.Path, filter)];

        var (referenceExit, reference) = RegexToolRun.Reference(args);
        var (exit, ours) = RegexToolRun.Ours(args);

        Assert.Equal((0, 0), (referenceExit, exit));
        Assert.Equal(RegexToolRun.LinesSummary(reference), RegexToolRun.LinesSummary(ours));
        Assert.Equal(RegexToolRun.WithoutTiming(reference), RegexToolRun.WithoutTiming(ours));
    }

    /// <summary>A filter file that is not valid INI, or a bad -L: refused with fail2ban-regex's exit code and error line.</summary>
    [RegexOracleTheory]
    [InlineData("failregex = x <HOST>\n", "1")]
    [InlineData("[Definition]\nfailregex = a <HOST>\nfailregex = b <HOST>\n", "1")]
    [InlineData("[Definition]\nfailregex = a <HOST>\n", "-1")]
    public void Filter_BrokenFileOrBadMaxLines_RefusedAsFail2BanRegex(string text, string maxLines)
    {
        using var temp = new TempDirectory();
        var filter = Path.Join(temp.Path, "bad.conf");
        File.WriteAllText(filter, text);
        string[] args = ["-L", maxLines, Line, filter];

        var (referenceExit, reference) = RegexToolRun.Reference(args);
        var (exit, ours) = RegexToolRun.Ours(args);

        Assert.Equal(255, referenceExit);
        Assert.Equal(referenceExit, exit);
        var error = reference.Split('\n').Single(l => l.StartsWith("ERROR: ", StringComparison.Ordinal));
        Assert.Contains(error, ours, StringComparison.Ordinal);
    }
}

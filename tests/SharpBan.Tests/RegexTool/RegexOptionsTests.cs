using System.Text;
using SharpBan.Engine.Matching;
using SharpBan.RegexTool;

namespace SharpBan.Tests.RegexTool;

/// <summary>The fail2ban-regex options besides the report: versions, verbosity, debuggex links, tracebacks.</summary>
public sealed class RegexOptionsTests
{
    [Fact]
    public void ShortVersion_WithoutArguments_PrintsTheReproducedFail2BanVersion()
    {
        var (rc, output) = RegexCli.Run("-V");
        Assert.Equal(0, rc);
        Assert.Equal(SharpBanVersion.Fail2Ban + "\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Version_PrintsOwnAndFail2BanVersion()
    {
        var (rc, output) = RegexCli.Run("--version");
        Assert.Equal(0, rc);
        Assert.StartsWith($"sharpban regex {SharpBanVersion.Own} (fail2ban-regex {SharpBanVersion.Fail2Ban})", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-v")]
    [InlineData("-vv")]
    [InlineData("--verbosity=2")]
    public void Verbose_AnyForm_ListsEachHit(string option)
    {
        var (rc, output) = RegexCli.Run(option, "--now", "1124013600", "2005-08-14 10:00:00 failed login from 192.0.2.7", "failed login from <HOST>$", "nothing");
        Assert.Equal(0, rc);
        Assert.Matches(@"\|      192\.0\.2\.7  \w{3} Aug 14 \d\d:00:00 2005", output);
        Assert.Contains("|   1) [0] nothing", output, StringComparison.Ordinal); // verbose lists regexes without hits
    }

    [Fact]
    public void Verbosity_Zero_IsNotVerbose()
    {
        var (_, output) = RegexCli.Run("--verbosity=0", "2005-08-14 10:00:00 failed login from 192.0.2.7", "failed login from <HOST>$", "nothing");
        Assert.DoesNotContain("192.0.2.7  ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_LineAndRegex_SameAsFail2BanRegex()
    {
        // the expected link is what fail2ban 1.0.2's debuggexURL() returns for these arguments
        const string Expected = "https://www.debuggex.com/?re=from+%5C%5B%3F%28%3F%3A%28%3F%3A%3A%3Af%7B4%2C6%7D%3A%29%3F%28%3FP%3Cip4%3E%28%3F%3A%5Cd%7B1%2C3%7D%5C.%29%7B3%7D%5Cd%7B1%2C3%7D%29%7C%28%3FP%3Cip6%3E%28%3F%3A%5B0-9a-fA-F%5D%7B1%2C4%7D%3A%3A%3F%7C%3A%3A%29%7B1%2C7%7D%28%3F%3A%5B0-9a-fA-F%5D%7B1%2C4%7D%7C%28%3F%3C%3D%3A%29%3A%29%29%29%5C%5D%3F%2B&str=a+b%2F%C3%A9&flavor=python&flags=m";
        Assert.Equal(Expected, Debuggex.Url("a b/é", "from <ADDR>+", multiline: true, UseDns.No, Encoding.UTF8));
    }

    [Fact]
    public void Debuggex_MissedLine_RowPerRegexWithUrl()
    {
        var (_, output) = RegexCli.Run("-D", "no date here", "failed <HOST>$", "x");
        Assert.Contains("|  no date here | failed <HOST>$ |  https://www.debuggex.com/?re=failed+", output, StringComparison.Ordinal);
        Assert.Contains("&str=no+date+here&flavor=python\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], false, false)]
    [InlineData(new[] { "-t" }, true, false)]
    [InlineData(new[] { "--log-traceback", "--full-traceback" }, true, true)]
    public void Error_TracebackOptions_AddWhereItWasRaised(string[] options, bool frame, bool full)
    {
        var (rc, output) = RegexCli.Run([.. options, "x", "(?P<x>broken"]);
        Assert.Equal(255, rc);
        Assert.StartsWith("\nRunning tests\n=============\n\nUse   failregex line : (?P<x>broken\nERROR: ", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(frame, output.Contains("PyRegexException", StringComparison.Ordinal));
        Assert.Equal(full, output.Contains("\n   at ", StringComparison.Ordinal));
    }
}

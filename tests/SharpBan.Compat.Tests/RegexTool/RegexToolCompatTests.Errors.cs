using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;

namespace SharpBan.Compat.Tests.RegexTool;

/// <summary>
/// A filter that cannot be set up: the same output as fail2ban-regex (the banner and the "Use …" lines it got through,
/// then Python's error message, positions included) and the same exit code.
/// </summary>
public sealed partial class RegexToolCompatTests
{
    private const string Line = "2005-08-14 10:00:00 failed login from 192.0.2.7";

    private static readonly Dictionary<string, string[]> ErrorCases = new(StringComparer.Ordinal)
    {
        ["unterminated group"] = [Line, "x(( <HOST>"],
        ["unbalanced parenthesis"] = [Line, "a) <HOST>"],
        ["unterminated set"] = [Line, "[a <HOST>"],
        ["nothing to repeat"] = [Line, "*a <HOST>"],
        ["nothing to repeat after ^"] = [Line, "^* <HOST>"],
        ["multiple repeat"] = [Line, "a{2}{3} <HOST>"],
        ["bad escape"] = [Line, @"\q <HOST>"],
        ["bad range"] = [Line, "[z-a] <HOST>"],
        ["min greater than max"] = [Line, "a{3,2} <HOST>"],
        [".NET named group"] = [Line, "(?<n>a) <HOST>"],
        ["unknown group name"] = [Line, "(?P<n>a)(?P=m) <HOST>"],
        ["redefined group name"] = [Line, "(?P<a>x)(?P<a>y) <HOST>"],
        ["redefined by a tag"] = [Line, "<HOST> (?P<ip4>x)?"],
        ["bad group name"] = [Line, "(?P<1a>x) <HOST>"],
        ["invalid group reference"] = [Line, @"(a)\2 <HOST>"],
        ["octal escape out of range"] = [Line, @"\400 <HOST>"],
        ["incomplete \\x escape"] = [Line, @"\x4 <HOST>"],
        ["incomplete \\U escape"] = [Line, @"\U0001F60 <HOST>"],
        ["L flag"] = [Line, "(?L)x <HOST>"],
        ["variable-width look-behind"] = [Line, "(?<=a|bc)x <HOST>"],
        ["variable-width look-behind, repeat"] = [Line, "(?<=lo+gin )failed <HOST>"],
        ["no failure id"] = [Line, "failed login"],
        ["bad ignoreregex after filter lines"] = [Line, "sshd", "(("],
        ["-L and -d lines before a bad regex"] = ["-L", "2", "-d", "%H:%M:%S", Line, "x(("],
        ["-o: no banner"] = ["-o", "id", Line, "x(("],
        ["datepattern: unknown field"] = ["-d", "%Q((", Line, "sshd"],
        ["datepattern: incomplete"] = ["-d", "%H:%M:%S %", Line, "sshd"],
        ["datepattern: unknown key"] = ["-d", "%(foo)s", Line, "sshd"],
        ["datepattern: numeric conversion"] = ["-d", "%5d", Line, "sshd"],
        ["datepattern: after a field"] = ["-L", "3", "-d", "{^LN-BEG}%H %Q", Line, "sshd"],
        ["datepattern: %Ex prefix"] = ["-d", "%ExQ", Line, "sshd"],
    };

    /// <summary>Command lines optparse refuses, with what follows "error: " in its message (null: the help, status 255).</summary>
    private static readonly Dictionary<string, string[]> RefusedLines = new(StringComparer.Ordinal)
    {
        ["unknown long option"] = ["--bogus", Line, "sshd"],
        ["ambiguous prefix"] = ["--print-all", Line, "sshd"],
        ["unknown short option"] = ["-Q", Line, "sshd"],
        ["unknown short option in a cluster"] = ["-rvQ", Line, "sshd"],
        ["not an integer"] = ["-L", "x", Line, "sshd"],
        ["not an integer, long option"] = ["--maxlines=x", Line, "sshd"],
        ["FILTER missing"] = [Line],
    };

    public static TheoryData<string> RefusedLineNames() => new(RefusedLines.Keys);

    [RegexOracleTheory]
    [MemberData(nameof(RefusedLineNames))]
    public void RefusedLine_SameStatusAndErrorAsFail2BanRegex(string name)
    {
        string[] args = ["-c", OraclePaths.ConfigDirectory, .. RefusedLines[name]];
        var (referenceExit, reference) = RegexToolRun.Reference(args);
        using var output = new StringWriter();
        var exit = SharpBanCommand.Run(["regex", .. args], output, output);

        Assert.Equal(referenceExit, exit);
        var referenceError = reference.Split('\n').FirstOrDefault(static l => l.StartsWith("fail2ban-regex: error: ", StringComparison.Ordinal));
        var error = output.ToString().Split('\n').FirstOrDefault(static l => l.StartsWith("sharpban regex: error: ", StringComparison.Ordinal));
        Assert.Equal(referenceError?["fail2ban-regex: ".Length..], error?["sharpban regex: ".Length..]);
    }

    [RegexOracleTheory]
    [InlineData]
    [InlineData("-L", "3", "-d", "%Y")]
    [InlineData("-l", "info")]
    public void BrokenFilterFile_SameLinesAsFail2BanRegexBeforeTheError(params string[] options)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Join(dir.Path, "filter.d"));
        File.WriteAllText(Path.Join(dir.Path, "filter.d", "bad.conf"), "[Definition]\nfailregex = x <HOST>\nnot an option line\n");
        string[] args = ["-c", dir.Path, .. options, Line, "bad[x=1]"];
        var (referenceExit, reference) = RegexToolRun.Reference(args);
        var (exit, ours) = RegexToolRun.Ours(args);

        // the reason is ours (file, line and what was expected); what comes before it and the last line are fail2ban-regex's
        static string[] Before(string output) =>
            [.. output.Split('\n').TakeWhile(static l => !l.StartsWith("Wrong config file: ", StringComparison.Ordinal)).Select(NormalizeLog)];
        Assert.Contains("Use   failregex filter file : bad, basedir: ", ours, StringComparison.Ordinal);
        Assert.Equal(Before(reference), Before(ours));
        Assert.Contains("ERROR: failed to load filter bad[x=1]", ours, StringComparison.Ordinal);
        Assert.Equal(referenceExit, exit);
    }

    public static TheoryData<string> ErrorCaseNames() => new(ErrorCases.Keys);

    [RegexOracleTheory]
    [MemberData(nameof(ErrorCaseNames))]
    public void Error_SameArguments_SameOutputAsFail2BanRegex(string name)
    {
        string[] args = ["-c", OraclePaths.ConfigDirectory, .. ErrorCases[name]];
        var (referenceExit, reference) = RegexToolRun.Reference(args);
        var (exit, ours) = RegexToolRun.Ours(args);

        Assert.NotEqual(0, referenceExit);
        Assert.Contains("ERROR: ", reference, StringComparison.Ordinal);
        Assert.Equal(reference, ours);
        Assert.Equal(referenceExit, exit);
    }
}

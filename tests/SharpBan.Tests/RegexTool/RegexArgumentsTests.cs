using SharpBan.RegexTool;

namespace SharpBan.Tests.RegexTool;

/// <summary>Long options abbreviated as fail2ban-regex's optparse allows.</summary>
public sealed class RegexArgumentsTests
{
    [Theory]
    [InlineData("--conf|/d|--enc=latin-1|--print-no-mi|log|f", "--config|/d|--encoding=latin-1|--print-no-missed|log|f")]
    [InlineData("--no|--date|%H|log|f", "--no-check-all|--datepattern|%H|log|f")]
    [InlineData("--journal|--json|--now|1|log|f", "--journal|--json|--now|1|log|f")]
    [InlineData("--print-all|log|f", "--print-all|log|f")]
    [InlineData("log|--|--conf", "log|--|--conf")]
    public void Normalize_UniquePrefix_BecomesTheOption(string args, string expected) =>
        Assert.Equal(expected.Split('|'), RegexArguments.Normalize(args.Split('|')));

    /// <summary>
    /// Every name of every option <c>sharpban regex</c> declares is known to the optparse-style check, with a value
    /// exactly when it takes one (the check keeps its own lists: an option added to the command alone would be refused
    /// as <c>no such option</c>, or its value taken for LOG).
    /// </summary>
    [Fact]
    public void Refusal_EveryDeclaredOption_KnownAndTakesAValueExactlyWhenDeclaredSo()
    {
        var names = RegexCommand.Create().Options
            .SelectMany(static o => o.Aliases.Prepend(o.Name).Select(n => (Name: n, TakesValue: o.ValueType != typeof(bool))))
            .Where(static o => o.Name is not ("-?" or "/?" or "/h"))
            .ToList();
        Assert.True(names.Count > 30, $"only {names.Count} option names");
        foreach (var (name, takesValue) in names)
        {
            Assert.True(RegexArguments.Refusal([name, "value", "log", "filter"]) is null, name + " refused");
            Assert.True(
                RegexArguments.Refusal([name, "--bogus", "log", "filter"]) == (takesValue ? null : "no such option: --bogus"),
                $"{name}: {(takesValue ? "its value" : "the next argument")} was read wrongly");
        }
    }

    [Theory]
    [InlineData("--bogus|log|f", "no such option: --bogus")]
    [InlineData("--print-all|log|f", "ambiguous option: --print-all (--print-all-ignored, --print-all-matched, --print-all-missed?)")]
    [InlineData("-rvx|log|f", "no such option: -x")]
    [InlineData("-d|-x|log|f", null)] // a value that looks like an option
    [InlineData("-d-x|log|f", null)]
    [InlineData("--datepattern|-x|--out=-y|log|f", null)]
    [InlineData("-vL|3|-|f", null)] // '-' is standard input
    [InlineData("log|--|-x|f", null)] // after '--' nothing is an option
    [InlineData("--journal|--json|--now|1|log|f", null)]
    public void Refusal_UnknownOption_OptparseMessage(string args, string? expected) =>
        Assert.Equal(expected, RegexArguments.Refusal(args.Split('|')));

    [Fact]
    public void Parse_AbbreviatedOptions_AreRead()
    {
        var parse = SharpBanCommand.Parse(["regex", "--conf", "/nonexistent", "--maxl", "3", "x", "failed <HOST>"]);

        Assert.Empty(parse.Errors);
        Assert.Equal("/nonexistent", parse.GetValue<string>("--config"));
        Assert.Equal(3, parse.GetValue<int?>("--maxlines"));
    }
}

using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Tests.Matching.Regex;

public sealed class LiteralPrefilterTests
{
    [Theory]
    [InlineData(@"^Failed \S+ for (?<user>\S+) from x", "Failed ", " from x")]
    [InlineData(@"^abc*d", "ab", "d")]
    [InlineData(@"^ab+cd", "ab", "cd")]
    [InlineData(@"^x{2}yz", null, "yz")]
    [InlineData(@"user (?<u>.*) not found \[here\]", null, " not found [here]")]
    [InlineData(@"a|bcdef", null, null)]
    [InlineData(@"(?i)failed", null, null)]
    [InlineData(@"\d+ ssh\d*$", null, " ssh")]
    [InlineData(@"\p{L}ab\x41def", null, "def")]
    [InlineData(@"[\]x]+literal", null, "literal")]
    [InlineData(@"^(?<nofail>Received (?<mlfforget>disconnect))(?: from) (?<h>\S+)", "Received disconnect from ", null)]
    [InlineData(@"^(?:a|b)cde", null, "cde")]
    [InlineData(@"^(?:ab)?cde", null, "cde")]
    [InlineData(@"^(ab(?=x)c)de", "ab", "cde")]
    public void Create_Pattern_FindsNecessaryLiterals(string pattern, string? prefix, string? required)
    {
        var f = LiteralPrefilter.Create(pattern, multiline: false);
        Assert.Equal(prefix, f.Prefix);
        Assert.Equal(required, f.Required);
    }

    [Theory]
    [InlineData(@"^\S+ (?:\w+: (?:milter-)?reject:|(?:improper command pipelining|too many errors) after \S+) (?<content>.+)$", "reject:| after ")]
    [InlineData(@"^(?<nofail>(?<mlfforget>(Connection (?:closed|reset)|Disconnected))) (?:by|from) x", "Connection |Disconnected")]
    [InlineData(@"abc|de(?:f|g)", "abc|de")]
    [InlineData(@"^x (?:a|b)?c", null)]
    [InlineData(@"^x (?:a|\d+)c", null)]
    [InlineData(@"(?i)abc|def", null)]
    public void Create_Alternation_OneOfTheBranchLiterals(string pattern, string? anyOf)
    {
        var f = LiteralPrefilter.Create(pattern, multiline: false);
        Assert.Equal(anyOf, f.AnyOf is null ? null : string.Join('|', f.AnyOf));
    }

    [Fact]
    public void Create_Multiline_NoPrefix()
    {
        var f = LiteralPrefilter.Create("^Failed here", multiline: true);
        Assert.Null(f.Prefix);
        Assert.Equal("Failed here", f.Required);
    }

    [Theory]
    [InlineData(@"^Failed (?:password|publickey) for \S+ from \S+( port \d+)?")]
    [InlineData(@"^[aA]uthentication (?:failure|error) for .* from \S+\s*$")]
    [InlineData(@"client: \S+, server: \S+ user ""x"" was not found in")]
    [InlineData(@"a(b|c)d?e{1,2}f")]
    [InlineData(@"^(?<nofail>(?:Failed|Accepted) (?<x>\w+))(?: for)? \w+ from")]
    [InlineData(@"^(?:\w+ (?:password|key)|Connection from) (?:for \w+ )?from|zzz")]
    [InlineData(@"(?:(?:Failed|Accepted)|ab)+c")]
    public void MayMatch_NeverRejectsAMatchingLine(string pattern)
    {
        var regex = new System.Text.RegularExpressions.Regex(pattern);
        var f = LiteralPrefilter.Create(pattern, multiline: false);
        string[] lines =
        [
            "Failed password for root from 1.2.3.4 port 22", "Failed publickey for x from y", "authentication failure for bob from h ",
            "client: 1.2.3.4, server: s user \"x\" was not found in", "acdeef", "abdef", "abeef", "zzz", "Failed password bob from", "Accepted key for x from",
        ];
        foreach (var line in lines)
        {
            Assert.True(!regex.IsMatch(line) || f.MayMatch(line), line);
        }
    }
}

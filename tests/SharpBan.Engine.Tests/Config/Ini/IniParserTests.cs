using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Ini;

namespace SharpBan.Engine.Tests.Config.Ini;

public sealed class IniParserTests
{
    private static IniFile Parse(string text) => IniParser.Parse("/cfg/test.conf", text);

    private static string Value(IniFile file, string section, string option) => file.Sections[section][option].Raw;

    [Fact]
    public void Parse_EqualsAndColonDelimiters_FirstDelimiterWins()
    {
        var file = Parse("[s]\na = 1\nb: 2\nc = x: y\nd: http://x=1\n");
        Assert.Equal("1", Value(file, "s", "a"));
        Assert.Equal("2", Value(file, "s", "b"));
        Assert.Equal("x: y", Value(file, "s", "c"));
        Assert.Equal("http://x=1", Value(file, "s", "d"));
        Assert.Empty(file.Diagnostics);
    }

    [Fact]
    public void Parse_OptionNames_AreLowerCasedAndSectionNamesKeepCase()
    {
        var file = Parse("[MySection]\nMaxRetry = 3\n[mysection]\nx = 1\n");
        Assert.Equal("3", Value(file, "MySection", "maxretry"));
        Assert.True(file.Sections.ContainsKey("mysection"));
        Assert.Equal(2, file.Sections.Count);
    }

    [Fact]
    public void Parse_DefaultSection_GoesToDefaults()
    {
        var file = Parse("[DEFAULT]\nbantime = 10m\n[default]\nx = 1\n");
        Assert.Equal("10m", file.Defaults["bantime"].Raw);
        Assert.True(file.Sections.ContainsKey("default"));
    }

    [Fact]
    public void Parse_FullLineComments_AreDroppedEvenInsideMultiLineValues()
    {
        var file = Parse("# top\n; also\n[s]\nfailregex = ^a$\n# inside\n    ; inside too\n            ^b$\n");
        Assert.Equal("^a$\n^b$", Value(file, "s", "failregex"));
    }

    [Fact]
    public void Parse_InlineSemicolon_OnlyAfterWhitespace()
    {
        var file = Parse("[s]\na = x ;comment\nb = x;not\nc = ^c <HOST> # kept\n");
        Assert.Equal("x", Value(file, "s", "a"));
        Assert.Equal("x;not", Value(file, "s", "b"));
        Assert.Equal("^c <HOST> # kept", Value(file, "s", "c"));
    }

    [Fact]
    public void Parse_ContinuationLines_JoinedWithNewlineAndStripped()
    {
        var file = Parse("[s]\naction = one\n         two  \n\tthree\nnext = n\n");
        Assert.Equal("one\ntwo\nthree", Value(file, "s", "action"));
        Assert.Equal("n", Value(file, "s", "next"));
    }

    [Fact]
    public void Parse_EmptyLinesInsideValue_KeptButTrailingOnesRemoved()
    {
        var file = Parse("[s]\nv = a\n\n    b\n\n\nw = 1\n");
        Assert.Equal("a\n\nb", Value(file, "s", "v"));
    }

    [Fact]
    public void Parse_LineIndentedNoDeeperThanKey_StartsNewOption()
    {
        var file = Parse("[s]\n  a = 1\n  b = 2\n");
        Assert.Equal("1", Value(file, "s", "a"));
        Assert.Equal("2", Value(file, "s", "b"));
    }

    [Fact]
    public void Parse_DuplicateOptionInOneFile_IsErrorWithLine()
    {
        var file = Parse("[s]\na = 1\nA = 2\n");
        var d = Assert.Single(file.Diagnostics);
        Assert.Equal(3, d.Location.Line);
        Assert.Equal("option 'a' already exists in section 's' of this file", d.Message);
        Assert.Equal("1", Value(file, "s", "a"));
    }

    [Fact]
    public void Parse_DuplicateSectionInOneFile_IsErrorWithLine()
    {
        var file = Parse("[s]\na = 1\n[t]\n[s]\nb = 2\n");
        var d = Assert.Single(file.Diagnostics);
        Assert.Equal(4, d.Location.Line);
        Assert.Equal("section 's' already exists in this file", d.Message);
    }

    [Fact]
    public void Parse_LineWithoutDelimiter_IsErrorWithLine()
    {
        var file = Parse("[s]\njust words\n");
        var d = Assert.Single(file.Diagnostics);
        Assert.Equal(new SourceLocation("/cfg/test.conf", 2), d.Location);
        Assert.Equal("expected 'name = value', found 'just words'", d.Message);
    }

    [Fact]
    public void Parse_OptionBeforeAnySection_IsErrorWithLine()
    {
        var file = Parse("a = 1\n[s]\n");
        var d = Assert.Single(file.Diagnostics);
        Assert.Equal(1, d.Location.Line);
        Assert.StartsWith("line outside of any section", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CrLfAndCrLineEnds_AreLineEnds()
    {
        var file = Parse("[s]\r\na = 1\rb = 2\r\n");
        Assert.Equal("1", Value(file, "s", "a"));
        Assert.Equal("2", Value(file, "s", "b"));
    }

    [Fact]
    public void Parse_PercentSigns_KeptRawForInterpolation()
    {
        var file = Parse("[s]\ndatepattern = %%Y-%%m-%%d\n");
        Assert.Equal("%%Y-%%m-%%d", Value(file, "s", "datepattern"));
    }

    [Fact]
    public void Parse_ValueLocation_IsKeyLine()
    {
        var file = Parse("[s]\n\na = 1\n   2\n");
        Assert.Equal(3, file.Sections["s"]["a"].Location.Line);
    }

    [Fact]
    public void Parse_HeaderWithTrailingText_UsesTextUpToLastBracket()
    {
        var file = Parse("[Init?family=inet6]\nx = 1\n");
        Assert.True(file.Sections.ContainsKey("Init?family=inet6"));
    }
}

using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Tests.Matching.Regex;

public sealed class PyRegexTranslatorTests
{
    [Theory]
    [InlineData(@"(?P<user>\w+)", @"(?<user>[\p{L}\p{N}_]+)")]
    [InlineData(@"(?P<a>x)(?P=a)", @"(?<a>x)\k<a>")]
    [InlineData(@"a{,3}", @"a{0,3}")]
    [InlineData(@"a{,}", @"a{0,}")]
    [InlineData(@"a{}", @"a{}")]
    [InlineData(@"end\Z", @"end\z")]
    [InlineData(@"[[]x", @"[\[]x")]
    [InlineData(@"(?iu)abc", @"(?i)abc")]
    [InlineData(@"a(?#comment)b", @"ab")]
    [InlineData(@"a++b", @"(?:(?=(?<__pyatomic1>a+))\k<__pyatomic1>)b")]
    [InlineData(@"x(?:ab|c)*+d", @"x(?:(?=(?<__pyatomic1>(?:ab|c)*))\k<__pyatomic1>)d")]
    [InlineData(@"\d{2,3}+x", @"(?:(?=(?<__pyatomic1>\d{2,3}))\k<__pyatomic1>)x")]
    [InlineData(@"[ab]?+b{,2}+", @"(?:(?=(?<__pyatomic1>[ab]?))\k<__pyatomic1>)(?:(?=(?<__pyatomic2>b{0,2}))\k<__pyatomic2>)")]
    [InlineData(@"(?P<q>a)(?P=q)++", @"(?<q>a)(?:(?=(?<__pyatomic1>\k<q>+))\k<__pyatomic1>)")]
    [InlineData(@"((a)b)++c", @"(?:(?=(?<__pyatomic1>(?<__py1>(?<__py2>a)b)+))\k<__pyatomic1>)c")]
    [InlineData(@"(?i)a++", @"(?i)(?:(?=(?<__pyatomic1>a+))\k<__pyatomic1>)")]
    [InlineData(@"a*?b+?x{2}?", @"a*?b+?x{2}?")]
    [InlineData(@"x{a}+", @"x{a}+")]
    [InlineData(@"(?>a+?b?)c", @"(?:(?=(?<__pyatomic1>a+?b?))\k<__pyatomic1>)c")]
    [InlineData(@"a*?b?+(?>x??)", @"a*?(?:(?=(?<__pyatomic1>b?))\k<__pyatomic1>)(?:(?=(?<__pyatomic2>x??))\k<__pyatomic2>)")]
    [InlineData(@"(?(1)a|b)(x)", @"(?(__py1)a|b)(?<__py1>x)")]
    [InlineData(@"(?:(?(2)a|b)(x)(?P<y>z))+", @"(?:(?(y)a|b)(?<__py1>x)(?<y>z))+")]
    [InlineData(@"(?>a+b?)c", @"(?:(?=(?<__pyatomic1>a+b?))\k<__pyatomic1>)c")]
    [InlineData(@"(?<=(?>a??))c", @"(?<=(?>a??))c")]
    public void Translate_PythonConstruct_BecomesDotNetEquivalent(string python, string expected)
    {
        Assert.Equal(expected, PyRegexTranslator.Translate(python).Pattern);
    }

    [Theory]
    [InlineData(@"^a++ab", "aaab", false)]
    [InlineData(@"^a+ab", "aaab", true)]
    [InlineData(@"^(?:a|ab)*+c", "ababc", false)]
    [InlineData(@"^(?:a|ab)*c", "ababc", true)]
    [InlineData(@"^x?+x", "x", false)]
    [InlineData(@"(?>a+?b?)c", "aac", true)]
    [InlineData(@"^(?>a+?b?)c", "aac", false)]
    [InlineData(@"(?:(?>.?){1,3}b)+", "xbxxb", true)]
    [InlineData(@"^(?:(?>.?){1,3}b)+$", "xbxxb", true)]
    public void Translate_PossessiveQuantifier_DoesNotGiveBack(string python, string input, bool matches)
    {
        Assert.Equal(matches, new PyRegex(python).Search(input) is not null);
    }

    /// <summary>
    /// Python's word characters are letters, numbers and <c>_</c>; under its ASCII flag <c>\w \W \d \D \s \S \b \B</c>,
    /// also in classes, know only ASCII, globally or scoped.
    /// </summary>
    [Theory]
    [InlineData(@"(?a)^\w+$", "b\u00f3b", false)]
    [InlineData(@"^\w+$", "b\u00f3b", true)]
    [InlineData(@"(?a)^[\w.]+$", "b\u00f3b", false)]
    [InlineData(@"(?a)^\W$", "\u00f3", true)]
    [InlineData(@"(?a)^[\W]$", "\u00f3", true)]
    [InlineData(@"(?a)^\d$", "\u0663", false)]
    [InlineData(@"(?a)^[^\D]$", "\u0663", false)]
    [InlineData(@"(?a)^\s$", "\u00a0", false)]
    [InlineData(@"(?a)^\S$", "\u00a0", true)]
    [InlineData(@"(?a)^[\S]$", "\u001c", true)]
    [InlineData(@"(?a)^x\b", "x\u00f3", true)]
    [InlineData(@"(?a)^x\B", "x\u00f3", false)]
    [InlineData(@"^(?a:\w)\w$", "b\u00f3", true)]
    [InlineData(@"^(?a:\w\w)$", "b\u00f3", false)]
    [InlineData(@"^((?a)\w)\w$", "b\u00f3", true)]
    [InlineData(@"^(?:(?a)\w)\w$", "\u00f3b", false)]
    [InlineData(@"(?ai)^B\w$", "bB", true)]
    [InlineData(@"^\w$", "\u00b2", true)] // Python's \w: every number (No)
    [InlineData(@"^\w$", "\u2163", true)] // and Nl
    [InlineData(@"^\w$", "\u0301", false)] // but no combining mark (.NET's \w has Mn)
    [InlineData(@"^\w$", "\u203f", false)] // nor connector punctuation other than '_'
    [InlineData(@"^[\w]$", "\u0301", false)]
    [InlineData(@"^\W$", "\u0301", true)]
    [InlineData(@"^[^\w]$", "\u0301", true)]
    [InlineData(@"^x\b", "x\u0301", true)]
    [InlineData(@"^x\B", "x\u00b2", true)]
    [InlineData(@"^[\W]$", "\u00b2", false)]
    [InlineData(@"^[\Wa]$", "\u0301", true)]
    [InlineData(@"^[\Wa]+$", "a-a", true)]
    [InlineData(@"^[\Wa]$", "b", false)]
    [InlineData(@"^[^\Wa]$", "b", true)]
    [InlineData(@"^[^\Wa]$", "a", false)]
    [InlineData(@"^[^\Wa]{2}$", "\u00b2b", true)]
    [InlineData(@"^[^\W]$", "-", false)]
    public void Translate_WordDigitSpaceAndBoundary_ArePythons(string python, string input, bool matches)
    {
        // the translation itself: (?a) inside a group is what fail2ban's scoped (?a:…) becomes in .NET terms
        Assert.Equal(matches, new System.Text.RegularExpressions.Regex(PyRegexTranslator.Translate(python).Pattern).IsMatch(input));
    }

    /// <summary>Python's <c>\N{name}</c>: its messages when malformed, refused in words when well-formed.</summary>
    [Theory]
    [InlineData(@"a\N", "missing { at position 3")]
    [InlineData(@"a\N{}", "missing character name at position 4")]
    [InlineData(@"a\N{EM", "missing }, unterminated name at position 4")]
    [InlineData(@"a\N{EM DASH}", @"character names are not supported (\N{EM DASH}): write the character or its \uXXXX escape at position 1")]
    [InlineData(@"[a\N{EM DASH}]", @"character names are not supported (\N{EM DASH}): write the character or its \uXXXX escape at position 2")]
    public void Translate_CharacterNameEscape_RefusedWithPythonsPosition(string python, string message)
    {
        Assert.Equal(message, Assert.Throws<PyRegexException>(() => PyRegexTranslator.Translate(python)).Message);
    }

    /// <summary>Python's messages for a conditional on a group that never opens, by number (checked at the end) or by name.</summary>
    [Theory]
    [InlineData(@"(?(2)a|b)(x)", "invalid group reference 2 at position 3")]
    [InlineData(@"(?(n)a|b)(?P<n>x)", "unknown group name 'n' at position 3")]
    public void Translate_ConditionalOnMissingGroup_PythonsMessage(string python, string message)
    {
        Assert.Equal(message, Assert.Throws<PyRegexException>(() => PyRegexTranslator.Translate(python)).Message);
    }

    [Fact]
    public void Translate_UnnamedGroups_KeepPythonNumbering()
    {
        var t = PyRegexTranslator.Translate(@"(?P<n>a)(b)\2");
        Assert.Equal(["n", "__py2"], t.PythonGroups);
        Assert.Equal(@"(?<n>a)(?<__py2>b)\k<__py2>", t.Pattern);
    }

    [Fact]
    public void Translate_Conditional_KeptWithGroupName()
    {
        var r = new PyRegex(@"(?P<q>\[)?x(?(q)\])");
        Assert.NotNull(r.Search("[x]"));
        Assert.Equal("x", r.Search("x")!.Value);
    }

    [Theory]
    [InlineData(@"(?P<a>x)(?P<a>y)")]
    [InlineData(@"(?P=missing)")]
    [InlineData(@"[abc")]
    public void Translate_InvalidPattern_Throws(string python)
    {
        Assert.Throws<PyRegexException>(() => PyRegexTranslator.Translate(python));
    }

    [Fact]
    public void Search_CatastrophicPattern_TimesOutAndIsCounted()
    {
        var r = new PyRegex(@"^(a+)+$", timeout: TimeSpan.FromMilliseconds(20), compiled: false);
        Assert.Null(r.Search(new string('a', 40) + "!"));
        Assert.Equal(1, r.Timeouts);
    }

    /// <summary>
    /// Word boundaries behave as Python's: .NET's own \b and \B are mis-optimised next to some sets and loops, and
    /// Python's \B never matches in an empty string.
    /// </summary>
    [Theory]
    [InlineData(@"\b[^a]$", "B:\n", 1, 2)]
    [InlineData(@"\b[^a]\Z", "B:", 1, 2)]
    [InlineData(@"\W+\B-", ":-.Ab", 0, 2)]
    [InlineData(@"(\W+?)\B[\w\-.]{2}", ":-.Ab", 0, 3)]
    [InlineData(@"\B", "", -1, -1)]
    [InlineData(@"\B", "-", 0, 0)]
    [InlineData(@"\bfailed\b", "login failed!", 6, 12)]
    [InlineData(@"\Bail", "failed", 1, 4)]
    public void Translate_WordBoundary_MatchesWherePythonDoes(string python, string input, int start, int end)
    {
        foreach (var options in (ReadOnlySpan<System.Text.RegularExpressions.RegexOptions>)[System.Text.RegularExpressions.RegexOptions.None, System.Text.RegularExpressions.RegexOptions.Compiled])
        {
            var m = new System.Text.RegularExpressions.Regex(PyRegexTranslator.Translate(python).Pattern, options).Match(input);

            Assert.Equal((start, end), m.Success ? (m.Index, m.Index + m.Length) : (-1, -1));
        }
    }

    /// <summary>Python's escapes .NET reads otherwise or not at all: three octal digits, and \U with eight hex digits.</summary>
    [Theory]
    [InlineData(@"\141b", "ab", true)]
    [InlineData(@"\U0001F600", "x\U0001F600", true)]
    [InlineData(@"\U00000041", "A", true)]
    [InlineData(@"\u00e9", "\u00e9", true)]
    [InlineData(@"(a)\1", "aa", true)]
    public void Translate_NumericEscape_MatchesTheCharacter(string python, string input, bool matches)
    {
        Assert.Equal(matches, new System.Text.RegularExpressions.Regex(PyRegexTranslator.Translate(python).Pattern).IsMatch(input));
    }
}

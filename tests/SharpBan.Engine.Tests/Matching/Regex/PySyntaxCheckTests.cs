using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Tests.Matching.Regex;

/// <summary>The expected messages are Python 3.11's <c>re.error</c> texts for the same patterns.</summary>
public sealed class PySyntaxCheckTests
{
    [Theory]
    [InlineData(@"x((", "missing ), unterminated subpattern at position 2")]
    [InlineData(@"a)", "unbalanced parenthesis at position 1")]
    [InlineData(@"[a", "unterminated character set at position 0")]
    [InlineData(@"*a", "nothing to repeat at position 0")]
    [InlineData(@"a**", "multiple repeat at position 2")]
    [InlineData(@"a|*", "nothing to repeat at position 2")]
    [InlineData(@"^*", "nothing to repeat at position 1")]
    [InlineData(@"a{2}{3}", "multiple repeat at position 4")]
    [InlineData(@"a\", "bad escape (end of pattern) at position 1")]
    [InlineData(@"\b*", "nothing to repeat at position 2")]
    [InlineData(@"[z-a]", "bad character range z-a at position 1")]
    [InlineData(@"a{3,2}", "min repeat greater than max repeat at position 2")]
    [InlineData(@"(?<n>a)", "unknown extension ?<n at position 1")]
    [InlineData(@"\q", @"bad escape \q at position 0")]
    [InlineData(@"[\q]", @"bad escape \q at position 1")]
    [InlineData(@"(?Q)", "unknown extension ?Q at position 1")]
    [InlineData(@"a*??", "multiple repeat at position 3")]
    [InlineData(@"(?#x", "missing ), unterminated comment at position 0")]
    [InlineData(@"(?#x\)", "missing ), unterminated comment at position 0")]
    [InlineData(@"((a)", "missing ), unterminated subpattern at position 0")]
    [InlineData(@"x(?:a|b", "missing ), unterminated subpattern at position 1")]
    [InlineData(@"[a-\d]", @"bad character range a-\d at position 1")]
    [InlineData(@"^(?i)a", "global flags not at the start of the expression at position 1")]
    [InlineData(@"a(?i)", "global flags not at the start of the expression at position 1")]
    [InlineData(@"(?i)a(?s)b", "global flags not at the start of the expression at position 5")]
    [InlineData(@"x|(?i)a", "global flags not at the start of the expression at position 2")]
    [InlineData(@"(a|(?i)b)", "global flags not at the start of the expression at position 3")]
    [InlineData(@"(?P<n>(?i)b)", "global flags not at the start of the expression at position 6")]
    [InlineData(@"((?i)b)", "global flags not at the start of the expression at position 1")]
    public void Error_PatternPythonRefuses_PythonsMessage(string pattern, string message)
    {
        Assert.Equal(message, PySyntaxCheck.Error(pattern));
    }

    [Theory]
    [InlineData(@"(?P<n>a)(?P=n)")]
    [InlineData(@"(?<=a)b")]
    [InlineData(@"(?<!a)b")]
    [InlineData(@"(?=a)*")]
    [InlineData(@"a++")]
    [InlineData(@"a*+")]
    [InlineData(@"a{2,3}+")]
    [InlineData(@"(?:a|b)?+")]
    [InlineData(@"[]a]")]
    [InlineData(@"[^]a]")]
    [InlineData(@"a{,3}")]
    [InlineData(@"x{a}")]
    [InlineData(@"(?P<q>\[)?x(?(q)\])")]
    [InlineData(@"(?i)abc")]
    [InlineData(@"(?i:a)b")]
    [InlineData(@"(?>a+)b")]
    [InlineData(@"\d{2,}?")]
    [InlineData(@"[\w-]")]
    [InlineData("(?x) a # (")]
    [InlineData(@"a(?#c)*")]
    [InlineData(@"(?i)(?s)a")]
    [InlineData(@"(?#c)(?i)a")]
    [InlineData(@"(?i:a)(?s:b)")]
    [InlineData(@"a{,}{}")]
    [InlineData(@"a*{}")]
    [InlineData(@"(?#a\)b)x")]
    public void Error_PatternPythonAccepts_None(string pattern)
    {
        Assert.Null(PySyntaxCheck.Error(pattern));
    }

    [Theory]
    [InlineData("(?<=a|bc)x", true)]
    [InlineData("(?<!lo+gin)x", true)]
    [InlineData("(?<=a{1,2})x", true)]
    [InlineData("(?<=a?)x", true)]
    [InlineData("(?<=ab|cd)x", false)]
    [InlineData(@"(?<=[a-z]{3}\s)x", false)]
    [InlineData("(?<=(?:ab|c)d)x", true)]
    [InlineData("(?<=(?:ab|cd)e)x", false)]
    [InlineData("(?<=^|x)y", true)]
    [InlineData(@"(?<=a(?=b)c)x", false)]
    [InlineData(@"(?<=\x41\u0042)x", false)]
    [InlineData(@"(a)(?<=\1)x", false)]
    public void Error_LookBehind_MustHaveAFixedWidth(string pattern, bool refused)
    {
        Assert.Equal(refused ? "look-behind requires fixed-width pattern" : null, PySyntaxCheck.Error(pattern));
    }
}

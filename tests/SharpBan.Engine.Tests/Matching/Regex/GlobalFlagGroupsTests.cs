using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Tests.Matching.Regex;

public sealed class GlobalFlagGroupsTests
{
    /// <summary>fail2ban's rewrite before compiling: only a group opening with global flags becomes scoped.</summary>
    [Theory]
    [InlineData(@"a((?i)b)c", @"a(?i:b)c")]
    [InlineData(@"a(?:(?is)b|c)", @"a(?is:b|c)")]
    [InlineData(@"a\((?i)b)", @"a\((?i)b)")]
    [InlineData(@"(?i)a", @"(?i)a")]
    [InlineData(@"(a|(?i)b)", @"(a|(?i)b)")]
    [InlineData(@"((?-i)b)", @"((?-i)b)")]
    public void Localize_GroupOpeningWithFlags_BecomesScoped(string pattern, string expected)
    {
        Assert.Equal(expected, GlobalFlagGroups.Localize(pattern));
    }

    /// <summary>
    /// A failregex keeps working where fail2ban's does (a group opening with flags, postfix's <c>((?i)LOGIN|PLAIN)</c>)
    /// and is refused where Python 3.11 refuses it: global flags after the start.
    /// </summary>
    [Fact]
    public void FailRegex_GlobalFlags_AcceptedInAGroupOpeningWithThemRefusedElsewhere()
    {
        var scoped = new FailRegex(@"^x ((?i)LOGIN|PLAIN) from <HOST>$", UseDns.No, multiline: false);
        Assert.NotNull(scoped.Regex.Search("x login from 192.0.2.1"));
        Assert.Null(scoped.Regex.Search("X login from 192.0.2.1"));

        var e = Assert.Throws<PyRegexException>(() => new FailRegex(@"^(?i)x from <HOST>$", UseDns.No, multiline: false));
        Assert.Contains("global flags not at the start of the expression at position 1", e.Message, StringComparison.Ordinal);
    }
}

using SharpBan.Engine.Config;

namespace SharpBan.Engine.Tests.Config;

public sealed class TagSubstitutionTests
{
    private static OrderedDictionary<string, string> Tags(params (string Key, string Value)[] items)
    {
        var d = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in items)
        {
            d[k] = v;
        }

        return d;
    }

    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    [Fact]
    public void Substitute_ChainedAndNestedTags()
    {
        var result = TagSubstitution.Substitute(
            Tags(("logtype", "file"), ("lt_file/prefix", "P"), ("prefix", "<lt_<logtype>/prefix>"), ("re", "^<prefix> x$")),
            None);
        Assert.Equal("^P x$", result["re"]);
    }

    [Fact]
    public void Substitute_ReplacementThatShortensTheValueBeforeTheSearchPosition_EndsTheSearch()
    {
        // '<x>' becomes '><a>', which makes a second '<a>' with the '<a' before it; both become ' ' and the value is
        // shorter than where the next search starts (it threw ArgumentOutOfRangeException; found by the compat test)
        var result = TagSubstitution.Substitute(Tags(("a", " "), ("x", "><a>"), ("b", "<a<x>")), None);
        Assert.Equal("  ", result["b"]);
    }

    [Fact]
    public void Substitute_UnknownTagsAreKept()
    {
        var result = TagSubstitution.Substitute(Tags(("re", "^<HOST> <F-USER>x</F-USER> <<a>>")), None);
        Assert.Equal("^<HOST> <F-USER>x</F-USER> <<a>>", result["re"]);
    }

    [Fact]
    public void Substitute_FallbackIsAskedForUnknownTags()
    {
        var result = TagSubstitution.Substitute(Tags(("ban", "add <tablename> <ip>")), None, n => n == "tablename" ? "f2b-sshd" : null);
        Assert.Equal("add f2b-sshd <ip>", result["ban"]);
    }

    [Fact]
    public void Substitute_IgnoredTagsStayAndAreNotSubstituted()
    {
        var result = TagSubstitution.Substitute(Tags(("matches", "<a>"), ("a", "A"), ("ban", "<matches> <a>")), new HashSet<string> { "matches" });
        Assert.Equal("<matches> A", result["ban"]);
        Assert.Equal("<a>", result["matches"]);
    }

    [Fact]
    public void Substitute_ConditionalVariantPreferredWhenActive()
    {
        var tags = Tags(("iptables", "iptables"), ("iptables?family=inet6", "ip6tables"), ("ban", "<iptables> -I"));
        Assert.Equal("ip6tables -I", TagSubstitution.Substitute(tags, None, conditional: "family=inet6")["ban"]);
        Assert.Equal("iptables -I", TagSubstitution.Substitute(tags, None)["ban"]);
    }

    [Fact]
    public void Substitute_SelfReference_IsError()
    {
        var ex = Assert.Throws<ConfigException>(() => TagSubstitution.Substitute(Tags(("a", "x <a>")), None));
        Assert.StartsWith("properties contain self referencing definitions and cannot be resolved, fail tag: a, found: a", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substitute_MutualRecursion_IsErrorAfterLimit()
    {
        var ex = Assert.Throws<ConfigException>(() => TagSubstitution.Substitute(Tags(("a", "<b>"), ("b", "<a>")), None));
        Assert.Contains("self referencing definitions", ex.Message, StringComparison.Ordinal);
    }
}

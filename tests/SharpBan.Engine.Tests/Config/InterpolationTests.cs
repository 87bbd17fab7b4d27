using SharpBan.Engine.Config;

namespace SharpBan.Engine.Tests.Config;

public sealed class InterpolationTests
{
    private static string Get(ConfigSet set, string section, string option, IReadOnlyDictionary<string, string>? vars = null) =>
        ConfigSetTests.Get(set, section, option, vars);

    [Fact]
    public void Interpolate_OptionFromSectionThenDefault()
    {
        var set = ConfigSetTests.Merged("[DEFAULT]\nbase = /var/log\nfile = %(base)s/x.log\n[j]\nbase = /srv\n");
        Assert.Equal("/srv/x.log", Get(set, "j", "file"));
        Assert.Equal("/var/log/x.log", Get(set, "DEFAULT", "file"));
    }

    [Fact]
    public void Interpolate_Name_IsSectionName()
    {
        var set = ConfigSetTests.Merged("[DEFAULT]\nfilter = %(__name__)s[mode=%(mode)s]\nmode = normal\n[sshd]\nx = 1\n");
        Assert.Equal("sshd[mode=normal]", Get(set, "sshd", "filter"));
    }

    [Fact]
    public void Interpolate_NameIsCaseInsensitive()
    {
        var set = ConfigSetTests.Merged("[j]\nPort = 22\nv = %(PORT)s\n");
        Assert.Equal("22", Get(set, "j", "v"));
    }

    [Fact]
    public void Interpolate_DoublePercent_IsLiteralPercent()
    {
        var set = ConfigSetTests.Merged("[j]\ndatepattern = %%Y-%%m-%%d\n");
        Assert.Equal("%Y-%m-%d", Get(set, "j", "datepattern"));
    }

    [Fact]
    public void Interpolate_Vars_TakePrecedenceOverSection()
    {
        var set = ConfigSetTests.Merged("[Definition]\nmode = normal\nre = <%(mode)s>\n");
        Assert.Equal("<aggressive>", Get(set, "Definition", "re", new Dictionary<string, string> { ["mode"] = "aggressive" }));
    }

    [Fact]
    public void Interpolate_OtherSectionOption_IsEvaluatedInCurrentSection()
    {
        var set = ConfigSetTests.Merged("[a]\nv = %(who)s-a\nwho = A\n[b]\nwho = B\nv = %(a/v)s\n");
        Assert.Equal("B-a", Get(set, "b", "v"));
    }

    [Fact]
    public void Interpolate_DefaultSlash_ReadsDefaultRawValue()
    {
        var set = ConfigSetTests.Merged("[DEFAULT]\naction_ = ban[name=%(__name__)s]\n[j]\naction_ = %(default/action_)s[protocol=udp]\n");
        Assert.Equal("ban[name=j][protocol=udp]", Get(set, "j", "action_"));
    }

    [Fact]
    public void Interpolate_Missing_IsPythonStyleErrorWithLocation()
    {
        var set = ConfigSetTests.Merged("[j]\n\nbantime = %(nosuch)s\n");
        var ex = Assert.Throws<ConfigException>(() => set.TryGet("j", "bantime", null, out _));
        Assert.Equal(
            "Bad value substitution: option 'bantime' in section 'j' contains an interpolation key 'nosuch' which is not a valid option name. Raw value: '%(nosuch)s'",
            ex.Message);
        Assert.Equal(new SourceLocation("/cfg/file0.conf", 3), ex.Diagnostic.Location);
        Assert.Equal("j", ex.Diagnostic.Section);
        Assert.Equal("bantime", ex.Diagnostic.Option);
    }

    [Fact]
    public void Interpolate_SelfReference_IsRecursionLimitError()
    {
        var set = ConfigSetTests.Merged("[j]\na = %(b)s\nb = %(a)s\n");
        var ex = Assert.Throws<ConfigException>(() => set.TryGet("j", "a", null, out _));
        Assert.StartsWith(
            "Recursion limit exceeded in value substitution: option 'a' in section 'j' contains an interpolation key which cannot be substituted in 10 steps.",
            ex.Message,
            StringComparison.Ordinal);
        Assert.Equal(2, ex.Diagnostic.Location.Line);
    }

    [Fact]
    public void Interpolate_NineLevels_AreFine()
    {
        var text = "[j]\nv0 = end\n" + string.Concat(Enumerable.Range(1, 9).Select(i => $"v{i} = %(v{i - 1})s\n"));
        Assert.Equal("end", Get(ConfigSetTests.Merged(text), "j", "v9"));
    }

    [Fact]
    public void Interpolate_LonePercent_IsSyntaxError()
    {
        var set = ConfigSetTests.Merged("[j]\ndatepattern = %Y\n");
        var ex = Assert.Throws<ConfigException>(() => set.TryGet("j", "datepattern", null, out _));
        Assert.Equal("'%' must be followed by '%' or '(', found: '%Y'", ex.Message);
    }

    [Fact]
    public void Interpolate_Raw_SkipsInterpolation()
    {
        var set = ConfigSetTests.Merged("[j]\nv = %(x)s\n");
        Assert.Equal(LookupResult.Found, set.TryGet("j", "v", null, out var value, raw: true));
        Assert.Equal("%(x)s", value);
    }

    [Fact]
    public void TryGet_UnknownSectionAndOption_AreReported()
    {
        var set = ConfigSetTests.Merged("[j]\nv = 1\n");
        Assert.Equal(LookupResult.NoSection, set.TryGet("k", "v", null, out _));
        Assert.Equal(LookupResult.NoOption, set.TryGet("j", "w", null, out _));
    }

    [Fact]
    public void TryGetEx_KnownAndSectionForms()
    {
        var set = ConfigSetTests.Merged("[Definition]\nchain = INPUT\n[Other]\nx = <y>\n", "[Definition]\nchain = FORWARD\n");
        Assert.Equal(LookupResult.Found, set.TryGetEx("Definition", "known/chain", null, out var known));
        Assert.Equal("INPUT", known);
        Assert.Equal(LookupResult.Found, set.TryGetEx("Definition", "Other/x", null, out var other));
        Assert.Equal("<y>", other);
    }
}

using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Ini;

namespace SharpBan.Engine.Tests.Config;

public sealed class ConfigSetTests
{
    internal static ConfigSet Merged(params string[] files)
    {
        var set = new ConfigSet("test");
        for (var i = 0; i < files.Length; i++)
        {
            set.Merge(IniParser.Parse($"/cfg/file{i}.conf", files[i]));
        }

        return set;
    }

    internal static string Get(ConfigSet set, string section, string option, IReadOnlyDictionary<string, string>? vars = null)
    {
        Assert.Equal(LookupResult.Found, set.TryGet(section, option, vars, out var value));
        return value;
    }

    [Fact]
    public void Merge_LaterFileOverwritesPerOption()
    {
        var set = Merged("[j]\na = 1\nb = 2\n", "[j]\nb = 3\nc = 4\n");
        Assert.Equal("1", Get(set, "j", "a"));
        Assert.Equal("3", Get(set, "j", "b"));
        Assert.Equal("4", Get(set, "j", "c"));
        Assert.Equal(["a", "b", "c"], set.OwnOptions("j"));
    }

    [Fact]
    public void Merge_OverwrittenValue_IsRememberedInKnownSection()
    {
        var set = Merged("[j]\nfailregex = ^one$\n", "[j]\nfailregex = %(known/failregex)s\n            ^two$\n");
        Assert.Equal("^one$\n^two$", Get(set, "j", "failregex"));
        Assert.DoesNotContain(set.UserSections, s => s.StartsWith("KNOWN/", StringComparison.Ordinal));
    }

    [Fact]
    public void Merge_KnownWithoutHistory_FallsBackToDefault()
    {
        var set = Merged("[DEFAULT]\nport = 22\n[j]\nport = %(known/port)s,80\n");
        Assert.Equal("22,80", Get(set, "j", "port"));
    }

    [Fact]
    public void Merge_ConditionalSection_FoldsIntoBaseWithSuffixedKeys()
    {
        var set = Merged("[Init]\nblocktype = REJECT\n[Init?family=inet6]\nblocktype = REJECT6\n");
        Assert.Equal(["blocktype", "blocktype?family=inet6"], set.OwnOptions("Init"));
        Assert.False(set.HasSection("Init?family=inet6"));
    }

    [Fact]
    public void Merge_ConditionalSection_LeavesOutAnOptionNamedName()
    {
        var set = Merged("[Init]\nport = 22\n[Init?family=inet6]\n__name__ = six\nport = 23\n");
        Assert.Equal(["port", "port?family=inet6"], set.OwnOptions("Init"));
    }

    [Fact]
    public void MergeSection_KnownOptions_LeaveOutAnOptionNamedName()
    {
        var set = Merged("[j]\na = 1\n");
        set.MergeSection("j", [new("failregex", "^x$"), new("__name__", "Definition"), new("known/ident", "i")], "known/", default);
        Assert.Equal(["a", "known/failregex"], set.OwnOptions("j"));
    }

    [Fact]
    public void Defaults_AreVisibleInEverySection_AndSectionWins()
    {
        var set = Merged("[DEFAULT]\nbantime = 10m\nmaxretry = 5\n[j]\nmaxretry = 3\n");
        Assert.Equal("10m", Get(set, "j", "bantime"));
        Assert.Equal("3", Get(set, "j", "maxretry"));
        Assert.Equal(["maxretry", "bantime"], set.OptionsWithDefaults("j"));
    }
}

using SharpBan.Engine.Config;
using SharpBan.Engine.Tests.Support;

namespace SharpBan.Engine.Tests.Config;

public sealed class IncludeResolverTests : IDisposable
{
    private readonly TempConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Expand_LocalIncludingItsOwnConf_ReadsTheConfOnceMoreButNotTheLocal()
    {
        // x.local saying 'before = x.conf': fail2ban re-adds x.local after every x.conf and recurses until Python's
        // recursion limit (the whole configuration fails); the .local already being read is cut with a warning
        _dir.Write("filter.d/x.conf", "[Definition]\nfailregex = ^a$\n");
        _dir.Write("filter.d/x.local", "[INCLUDES]\nbefore = x.conf\n[Definition]\nfailregex = %(known/failregex)s\n  ^b$\n");
        var cache = new ConfigFileCache(_dir.Path);

        var files = IncludeResolver.Expand(cache, [_dir.FullPath("filter.d/x.conf"), _dir.FullPath("filter.d/x.local")]);

        Assert.Equal([_dir.FullPath("filter.d/x.conf"), _dir.FullPath("filter.d/x.conf"), _dir.FullPath("filter.d/x.local")], files);
        var warning = Assert.Single(cache.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(new SourceLocation(_dir.FullPath("filter.d/x.local"), 2), warning.Location);
        var unit = cache.LoadUnit("filter.d/x")!;
        Assert.Equal(LookupResult.Found, unit.TryGet("Definition", "failregex", null, out var failregex));
        Assert.Equal("^a$\n^b$", failregex);
    }

    [Fact]
    public void LoadUnit_FilesLoading_EachFileWhenFirstReadThenTheWholeList()
    {
        // what fail2ban-regex -l info logs for this tree: a file once, when its include chain first reaches it (a
        // missing include too), then the unit's list, in which a file appears as often as it is included
        _dir.Write("filter.d/common.conf", "[INCLUDES]\nafter = common.local\n[DEFAULT]\n");
        _dir.Write("filter.d/common.local", "[DEFAULT]\n");
        _dir.Write("filter.d/f.conf", "[INCLUDES]\nbefore = common.conf\n[Definition]\n");
        _dir.Write("filter.d/f.d/a.conf", "[Definition]\n");
        _dir.Write("filter.d/f.local", "[INCLUDES]\nbefore = extra.conf\n[Definition]\n");
        _dir.Write("filter.d/extra.conf", "[INCLUDES]\nafter = common.conf\n  gone.conf\n[Definition]\n");
        var told = new List<string>();
        var cache = new ConfigFileCache(_dir.Path) { FilesLoading = told.Add };

        Assert.NotNull(cache.LoadUnit("filter.d/f"));

        string Files(params string[] names) => "  Loading files: [" + string.Join(", ", names.Select(n => "'" + _dir.FullPath("filter.d/" + n) + "'")) + "]";
        Assert.Equal(
            [
                Files("f.conf"), Files("common.conf"), Files("common.local"), Files("f.d/a.conf"), Files("f.local"), Files("extra.conf"), Files("gone.conf"),
                Files("common.conf", "common.local", "common.local", "f.conf", "f.d/a.conf", "extra.conf", "common.conf", "common.local", "common.local", "f.local"),
            ],
            told);
    }

    [Fact]
    public void Expand_BeforeInDefault_CountsWhenTheFileHasAnIncludesSection()
    {
        // configparser lists [DEFAULT]'s options among every section's, and fail2ban asks the [INCLUDES] section
        _dir.Write("a.conf", "[DEFAULT]\nbefore = b.conf\n[INCLUDES]\nafter = c.conf\n");
        _dir.Write("b.conf", "[DEFAULT]\n");
        _dir.Write("c.conf", "[DEFAULT]\n");
        _dir.Write("d.conf", "[DEFAULT]\nbefore = b.conf\n");

        var cache = new ConfigFileCache(_dir.Path);

        Assert.Equal([_dir.FullPath("b.conf"), _dir.FullPath("a.conf"), _dir.FullPath("c.conf")], IncludeResolver.Expand(cache, [_dir.FullPath("a.conf")]));
        Assert.Equal([_dir.FullPath("d.conf")], IncludeResolver.Expand(cache, [_dir.FullPath("d.conf")]));
    }

    [Fact]
    public void Expand_NamesAreNotTrimmed_AnEmptyOneIsSkipped()
    {
        // an interpolation can leave a space after a name: fail2ban then looks for "c.conf " (and finds nothing)
        _dir.Write("a.conf", "[DEFAULT]\nsp =\n[INCLUDES]\nbefore = c.conf %(sp)s\n  %(sp)s\nafter = c.conf\n");
        _dir.Write("c.conf", "[DEFAULT]\n");
        var cache = new ConfigFileCache(_dir.Path);

        Assert.Equal([_dir.FullPath("a.conf"), _dir.FullPath("c.conf")], IncludeResolver.Expand(cache, [_dir.FullPath("a.conf")]));
    }
}

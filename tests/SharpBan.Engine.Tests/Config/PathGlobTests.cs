using SharpBan.Engine.Config;
using SharpBan.Engine.Tests.Support;

namespace SharpBan.Engine.Tests.Config;

public sealed class PathGlobTests
{
    [Fact]
    public void Expand_StarQuestionAndClasses_LikePythonGlob()
    {
        using var dir = new TempConfigDirectory();
        foreach (var f in new[] { "a.log", "b.log", ".hidden.log", "x-1.log", "x-2.log", "x-a.log", "sub/c.log", "sub2/c.log" })
        {
            dir.Write(f, string.Empty);
        }

        // sorted here: the order is the directory's own (as Python's glob), checked against Python in the compat tests
        string Rel(IEnumerable<string> paths) => string.Join(",", paths.Select(p => Path.GetRelativePath(dir.Path, p)).Order(StringComparer.Ordinal));
        Assert.Equal("a.log,b.log,x-1.log,x-2.log,x-a.log", Rel(PathGlob.Expand(dir.FullPath("*.log"))));
        Assert.Equal(".hidden.log", Rel(PathGlob.Expand(dir.FullPath(".*.log"))));
        Assert.Equal("x-1.log,x-2.log", Rel(PathGlob.Expand(dir.FullPath("x-[0-9].log"))));
        Assert.Equal("x-a.log", Rel(PathGlob.Expand(dir.FullPath("x-[!0-9].log"))));
        Assert.Equal("sub/c.log,sub2/c.log", Rel(PathGlob.Expand(dir.FullPath("sub*/c.log"))));
        Assert.Equal("a.log,b.log", Rel(PathGlob.Expand(dir.FullPath("?.log"))));
        Assert.Empty(PathGlob.Expand(dir.FullPath("missing-*.log")));
        Assert.Empty(PathGlob.Expand(dir.FullPath("missing.log")));
        Assert.Single(PathGlob.Expand(dir.FullPath("a.log")));
    }

    [Theory]
    [InlineData("*.log", "^.*\\.log$")]
    [InlineData("[!a]?", "^[^a].$")]
    [InlineData("[x", "^\\[x$")]
    public void Translate_FnmatchForms(string pattern, string regex) => Assert.Equal(regex, PathGlob.Translate(pattern));
}

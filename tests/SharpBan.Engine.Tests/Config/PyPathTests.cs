using SharpBan.Engine.Config;

namespace SharpBan.Engine.Tests.Config;

public sealed class PyPathTests
{
    [Theory]
    [InlineData("/etc/fail2ban|filter.d/sshd", "/etc/fail2ban/filter.d/sshd")]
    [InlineData("/etc/fail2ban|filter.d//opt/f2b/custom", "/etc/fail2ban/filter.d//opt/f2b/custom")]
    [InlineData("/etc/fail2ban|/opt/f2b/custom", "/opt/f2b/custom")] // an absolute part starts anew
    [InlineData("/etc/fail2ban/|action.d|/opt/x.py", "/opt/x.py")]
    [InlineData("/etc/fail2ban/|action.d|x.py", "/etc/fail2ban/action.d/x.py")]
    [InlineData("|x", "x")]
    public void Join_AsOsPathJoin(string parts, string expected)
    {
        Assert.Equal(expected, PyPath.Join(parts.Split('|')));
    }

    [Fact]
    public void DefinitionUnit_AbsoluteAndDotSlashNames_AsFail2bansReader()
    {
        Assert.Equal("filter.d/sshd", PyPath.DefinitionUnit("filter.d", "sshd"));
        Assert.Equal("/opt/custom/f", PyPath.DefinitionUnit("filter.d", "/opt/custom/f"));
        Assert.Equal(Path.GetFullPath("custom/f"), PyPath.DefinitionUnit("action.d", "./custom/f"));
    }

    [Theory]
    [InlineData("/a/b.conf", "/a/b")]
    [InlineData("/a/.b", "/a/.b")]
    [InlineData("/a.d/b", "/a.d/b")]
    [InlineData("/a/..b.c", "/a/..b")]
    [InlineData("s.py", "s")]
    public void WithoutExtension_AsSplitext(string path, string expected)
    {
        Assert.Equal(expected, PyPath.WithoutExtension(path));
    }
}

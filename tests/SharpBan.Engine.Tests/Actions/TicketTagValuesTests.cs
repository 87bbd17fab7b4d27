using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Actions;

public sealed class TicketTagValuesTests
{
    private static string Tag(string tag, Dictionary<string, object?> data, IReadOnlyList<string>? matches = null)
    {
        var ticket = new BanTicket("192.0.2.7", 1124013600) { Data = data, Failures = 3, Matches = matches ?? [] };
        Assert.True(new TicketTagValues("sshd", ticket, "inet4", 0, 600).TryGet(tag, out var value, out var untrusted));
        Assert.True(untrusted);
        return value;
    }

    [Fact]
    public void CapturedText_AsItIs() =>
        Assert.Equal("bob", Tag("F-USER", new() { ["user"] = "bob" }));

    [Fact]
    public void TupleGroup_WrittenAsPythonsTuple() =>
        Assert.Equal("('bob', '22')", Tag("F-CONN", new() { ["conn"] = new object?[] { "bob", "22" } }));

    [Fact]
    public void SessionUsers_WrittenAsPythonsSet() =>
        Assert.Equal("{'root', \"o'neil\"}", Tag("F-USERS", new() { ["users"] = new HashSet<string>(StringComparer.Ordinal) { "root", "o'neil" } }));

    [Fact]
    public void Matches_TheTicketsLinesAsPythonsList() =>
        Assert.Equal("['line 1', 'line 2']", Tag("F-MATCHES", [], ["line 1", "line 2"]));

    /// <summary>
    /// Only an address as fail2ban reads one is trusted into a command as it is; .NET's parser also takes <c>7</c>,
    /// octal quads and <c>::1%</c> with anything after it (here letters, which would pass the character check).
    /// </summary>
    [Theory]
    [InlineData("192.0.2.7", false)]
    [InlineData("2001:db8::7", false)]
    [InlineData("192.0.2.0/24", false)]
    [InlineData("7", true)]
    [InlineData("192.030.0.6", true)]
    [InlineData("::1%abc", true)]
    public void Fid_TrustedOnlyWhenAnAddress(string id, bool untrusted)
    {
        var ticket = new BanTicket(id, 1124013600);
        Assert.True(new TicketTagValues("sshd", ticket, "inet4", 0, 600).TryGet("fid", out var value, out var isUntrusted));
        Assert.Equal(id, value);
        Assert.Equal(untrusted, isUntrusted);
        Assert.True(new TicketTagValues("sshd", ticket, "inet4", 0, 600).TryGet("ip", out _, out isUntrusted));
        Assert.Equal(untrusted, isUntrusted);
    }

    [Fact]
    public void GroupThatDidNotTakePart_Empty() =>
        Assert.Equal("", Tag("F-USER", new() { ["user"] = null }));
}

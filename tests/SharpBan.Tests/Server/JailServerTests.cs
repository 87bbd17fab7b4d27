using SharpBan.Server;

namespace SharpBan.Tests.Server;

/// <summary>How a failed command of the configuration stream is named in the log.</summary>
public sealed class JailServerTests
{
    [Fact]
    public void Shown_ActionOptions_AsPythonListsAndTheWordsAsTheyAre()
    {
        List<object?> command = ["multi-set", "sshd", "action", "dummy", new List<object?> { new List<object?> { "timeout", "abc" }, new List<object?> { "name", "it's" } }];

        Assert.Equal("multi-set sshd action dummy [['timeout', 'abc'], ['name', \"it's\"]]", JailServer.Shown(command));
        Assert.Equal("set sshd maxretry 3", JailServer.Shown(["set", "sshd", "maxretry", 3L]));
    }
}

using SharpBan.Client;

namespace SharpBan.Tests.Client;

/// <summary>The client's command line split as fail2ban-client's getopt splits it: options first, then the command.</summary>
public sealed class ClientArgumentsTests
{
    [Theory]
    [InlineData("-c|/d|echo|-v", "-c|/d|--|echo|-v")]
    [InlineData("-c/d|-xf|start", "-c|/d|-x|-f|--|start")]
    [InlineData("-vv|-q|ping", "-v|-q|--|ping")]
    [InlineData("--conf=/d|--timeo|5|ping|-t", "--conf|/d|--timeout|5|--|ping|-t")]
    [InlineData("set|sshd|action|a|p|-d", "--|set|sshd|action|a|p|-d")]
    [InlineData("-d", "-d|--")]
    [InlineData("--|-x|ping", "--|-x|ping")]
    [InlineData("--json|status", "--json|--|status")]
    public void Normalize_OptionsUntilTheFirstCommandWord(string args, string expected) =>
        Assert.Equal(expected.Split('|'), ClientArguments.Normalize(args.Split('|')));

    [Fact]
    public void Parse_OptionAfterTheCommand_IsACommandWord()
    {
        var parse = SharpBanCommand.Parse(["client", "-c", "/nonexistent", "set", "sshd", "action", "a", "p", "-d"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(["set", "sshd", "action", "a", "p", "-d"], parse.GetValue<string[]>("command") ?? []);
        Assert.False(parse.GetValue<bool>("-d"));
    }

    [Fact]
    public void Parse_OptionGivenTwice_TheLastWins()
    {
        // getopt keeps every occurrence and fail2ban-client takes the last
        var parse = SharpBanCommand.Parse(["client", "-s", "/run/a.sock", "--timeout", "3", "-s", "/run/b.sock", "--timeout", "5", "ping"]);

        Assert.Empty(parse.Errors);
        Assert.Equal("/run/b.sock", parse.GetValue<string>("--socket"));
        Assert.Equal("5", parse.GetValue<string>("--timeout"));
        Assert.Equal(["ping"], parse.GetValue<string[]>("command") ?? []);
    }

    [Fact]
    public void Run_OptionWithoutItsValue_Status255AsFail2BanClient()
    {
        using var output = new StringWriter();
        Assert.Equal(255, SharpBanCommand.Run(["client", "-s"], output, output));
        Assert.Contains("'-s'", output.ToString(), StringComparison.Ordinal);
    }
}

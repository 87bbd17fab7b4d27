using System.CommandLine;

namespace SharpBan.RegexTool;

/// <summary><c>sharpban regex</c>: the fail2ban-regex equivalent (issue 3).</summary>
internal static class RegexCommand
{
    public static Command Create()
    {
        var rest = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("regex", "Test filters against log lines (fail2ban-regex equivalent).") { rest };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sharpban regex: not yet implemented");
            return 2;
        });
        return command;
    }
}

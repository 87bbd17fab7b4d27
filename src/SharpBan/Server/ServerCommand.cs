using System.CommandLine;

namespace SharpBan.Server;

/// <summary><c>sharpban server</c>: the daemon (issue 4).</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var rest = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("server", "Run the daemon.") { rest };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sharpban server: not yet implemented");
            return 2;
        });
        return command;
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using SharpBan.Client;
using SharpBan.RegexTool;
using SharpBan.Server;

namespace SharpBan;

/// <summary>The <c>sharpban</c> root command and its subcommands.</summary>
internal static class SharpBanCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("SharpBan: a fail2ban-compatible intrusion-prevention system.");
        root.Subcommands.Add(ClientCommand.Create());
        root.Subcommands.Add(RegexCommand.Create());
        root.Subcommands.Add(ServerCommand.Create());
        return root;
    }

    /// <summary>
    /// Runs the command line. A line the parser refuses ends as fail2ban's tools end then: <c>sharpban regex</c> with
    /// optparse's usage line and error on standard error and status 2, <c>client</c> and <c>server</c> (getopt) with
    /// status 255.
    /// </summary>
    /// <param name="output">Standard output (tests); the console's by default.</param>
    /// <param name="error">Standard error (tests); the console's by default.</param>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        if (args is ["regex", ..])
        {
            JitWarmUp.Start();
        }

        var configuration = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        if (args is ["regex", .. var rest] && RegexArguments.Refusal(rest) is { } refusal)
        {
            return RegexUsageError(configuration.Error, refusal);
        }

        var parse = Parse(args);
        if (parse.Errors.Count > 0 && !parse.Tokens.Any(static t => t.Value is "-h" or "--help" or "-?"))
        {
            switch (args.FirstOrDefault())
            {
                case "regex" when parse.Errors.All(static e => e.SymbolResult is ArgumentResult { Argument.Name: "LOG" or "FILTER" }):
                    parse.Invoke(configuration); // LOG or FILTER missing: fail2ban-regex shows its help and ends with 255
                    return 255;
                case "regex":
                    return RegexUsageError(configuration.Error, parse.Errors[0].Message);
                case "client" or "server":
                    parse.Invoke(configuration); // the errors and the help
                    return 255;
            }
        }

        return parse.Invoke(configuration);
    }

    private static int RegexUsageError(TextWriter error, string message)
    {
        error.WriteLine("Usage: sharpban regex [OPTIONS] <LOG> <REGEX> [IGNOREREGEX]");
        error.WriteLine();
        error.WriteLine("sharpban regex: error: " + message);
        return 2;
    }

    /// <summary>
    /// Parses the command line; the client's arguments are split as fail2ban-client's getopt splits them, the regex
    /// tool's long options completed from prefixes as fail2ban-regex's optparse completes them.
    /// </summary>
    public static ParseResult Parse(string[] args) => Create().Parse(args.Length == 0 ? args : args[0] switch
    {
        "client" => ["client", .. ClientArguments.Normalize(args[1..])],
        "regex" => ["regex", .. RegexArguments.Normalize(args[1..])],
        _ => args,
    });
}

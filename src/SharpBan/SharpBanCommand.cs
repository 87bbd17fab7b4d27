using System.CommandLine;
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

using System.CommandLine;

namespace SharpBan.Client;

/// <summary><c>sharpban client</c>: fail2ban-client's options, plus <c>-d</c> (dump) and <c>-t</c> (test).</summary>
internal static class ClientCommand
{
    public static Command Create()
    {
        var conf = new Option<string?>("--conf", "-c") { Description = "configuration directory (default /etc/sharpban, else the shipped config)" }.LastWins();
        var socket = new Option<string?>("--socket", "-s") { Description = "socket path" }.LastWins();
        var pidfile = new Option<string?>("--pidfile", "-p") { Description = "pidfile path" }.LastWins();
        var dump = new Option<bool>("-d") { Description = "dump the resolved configuration stream, one JSON array per line" };
        var dumpPretty = new Option<bool>("--dp", "--dump-pretty") { Description = "dump the configuration stream, each command as indented JSON" };
        var str2sec = new Option<string?>("--str2sec") { Description = "convert a time abbreviation (1h30m, 2d, 1w …) to seconds and exit" }.LastWins();
        var test = new Option<bool>("--test", "-t") { Description = "test the configuration and report every problem" };
        var loglevel = new Option<string?>("--loglevel") { Description = "logging level" }.LastWins();
        var logtarget = new Option<string?>("--logtarget") { Description = "logging target" }.LastWins();
        var syslogsocket = new Option<string?>("--syslogsocket") { Description = "syslog socket" }.LastWins();
        var json = new Option<bool>("--json") { Description = "answers as JSON" };
        var verbose = new Option<bool>("-v") { Description = "more output" };
        var interactive = new Option<bool>("-i") { Description = "interactive mode: read commands from standard input ('exit' or 'quit' to end)" };
        var quiet = new Option<bool>("-q") { Description = "less output" };
        var shortVersion = new Option<bool>("-V") { Description = $"print the fail2ban version reproduced ({SharpBanVersion.Fail2Ban}) and exit", Action = new PrintAction(SharpBanVersion.Fail2Ban) };
        var version = new Option<bool>("--version") { Description = "print the version and exit", Action = new PrintAction($"sharpban client {SharpBanVersion.Own} (fail2ban-client {SharpBanVersion.Fail2Ban})") };
        var force = new Option<bool>("-x") { Description = "start: remove a stale socket first (the default here)" };
        var foreground = new Option<bool>("-f") { Description = "start: run the server in the foreground" };
        var background = new Option<bool>("-b") { Description = "start: run the server in the background (the default)" };
        var asynchronous = new Option<bool>("--async") { Description = "accepted for fail2ban-client compatibility" };
        var timeout = new Option<string?>("--timeout") { Description = "seconds to wait for the server's answer (default 60)" }.LastWins();
        var pname = new Option<string?>("--pname") { Description = "accepted for fail2ban-client compatibility" }.LastWins();
        var words = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore, Description = "a fail2ban-client command" };

        var command = new Command("client", "Control the server and test the configuration (fail2ban-client grammar).")
        {
            conf, socket, pidfile, dump, dumpPretty, str2sec, test, loglevel, logtarget, syslogsocket, json, verbose, quiet, interactive, shortVersion, version,
            force, foreground, background, asynchronous, timeout, pname, words,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(conf) ?? ConfigDirectory.Default();
            var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
            AddIfSet(overrides, "loglevel", parse.GetValue(loglevel));
            AddIfSet(overrides, "logtarget", parse.GetValue(logtarget));
            AddIfSet(overrides, "syslogsocket", parse.GetValue(syslogsocket));
            if (parse.GetValue(str2sec) is { } time)
            {
                return Str2Sec(time, Console.Out);
            }

            if (parse.GetValue(dump) || parse.GetValue(dumpPretty))
            {
                var rc = ConfigDump.Run(directory, overrides, Console.Out, Console.Error, pretty: parse.GetValue(dumpPretty));
                if (!parse.GetValue(test))
                {
                    return rc;
                }
            }

            if (parse.GetValue(test))
            {
                return ConfigTest.Run(directory, overrides, Console.Out, Server.JournalFallback.SystemJournalPresent());
            }

            var remaining = parse.GetValue(words) ?? [];
            TimeSpan? wait = null;
            if (parse.GetValue(timeout) is { } t)
            {
                if (!double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0))
                {
                    Console.Out.WriteLine($"ERROR: could not convert string to float: {Engine.Config.PyText.Repr(t)}");
                    return ServerControl.Failure;
                }

                wait = TimeSpan.FromSeconds(seconds);
            }

            Task<int> Run(IReadOnlyList<string> command) => ServerControl.RunAsync(
                directory, parse.GetValue(socket), parse.GetValue(pidfile), parse.GetValue(json), command, Console.Out, Console.Error, wait, parse.GetValue(foreground));
            if (parse.GetValue(interactive))
            {
                if (remaining.Length > 0)
                {
                    _ = Run(remaining).GetAwaiter().GetResult(); // fail2ban-client -i runs the given command first
                }

                return Interactive(Console.In, Console.Out, Console.Error, !Console.IsInputRedirected, Run);
            }

            if (remaining.Length == 0)
            {
                // fail2ban-client prints its usage and fails when there is nothing to do
                Console.Out.WriteLine(ServerControl.Help);
                return ServerControl.Failure;
            }

            return Run(remaining).GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>
    /// fail2ban-client <c>-i</c>: one command per line (shell words), answered as on the command line, until
    /// <c>exit</c>, <c>quit</c> or the end of the input; the prompt <c>fail2ban&gt; </c> only on a terminal.
    /// </summary>
    internal static int Interactive(TextReader input, TextWriter output, TextWriter error, bool prompt, Func<IReadOnlyList<string>, Task<int>> run)
    {
        while (true)
        {
            if (prompt)
            {
                output.Write("fail2ban> ");
                output.Flush();
            }

            var line = input.ReadLine();
            if (line is null || line.Trim() is "exit" or "quit")
            {
                return 0;
            }

            IReadOnlyList<string> command;
            try
            {
                command = Engine.Config.ShellWords.Split(line);
            }
            catch (Engine.Config.ConfigException e)
            {
                error.WriteLine("ERROR: " + e.Message); // an unclosed quote: this line is skipped, as fail2ban-client
                continue;
            }

            if (command.Count > 0)
            {
                _ = run(command).GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>fail2ban-client <c>--str2sec</c>: the seconds as Python prints them (an int, or a float such as <c>5400.0</c>).</summary>
    internal static int Str2Sec(string text, TextWriter output)
    {
        if (!Engine.Jails.TimeValue.TryParse(text, out var seconds, out var isFloat))
        {
            output.WriteLine($"ERROR: invalid time value '{text}'");
            return 255;
        }

        output.WriteLine(isFloat ? Engine.Matching.PyValue.FloatRepr(seconds) : ((long)seconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    }

    private static void AddIfSet(Dictionary<string, string> overrides, string key, string? value)
    {
        if (value is not null)
        {
            overrides[key] = value;
        }
    }
}

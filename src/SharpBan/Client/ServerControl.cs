using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using SharpBan.Control;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Server;

namespace SharpBan.Client;

/// <summary>
/// <c>sharpban client COMMAND…</c> against a running server: start/stop/restart locally, everything else sent over
/// the socket and printed as fail2ban-client does, or as JSON with <c>--json</c>. Exit status 0, or 255 on error.
/// </summary>
internal static class ServerControl
{
    public const int Failure = 255;

    private static readonly System.Text.Json.JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="timeout">How long to wait for the server's answer (<c>--timeout</c>); default 60 s.</param>
    /// <param name="foreground"><c>-f</c>: <c>start</c> runs the server in this process.</param>
    public static async Task<int> RunAsync(
        string directory, string? socketOption, string? pidOption, bool json, IReadOnlyList<string> words, TextWriter output, TextWriter error,
        TimeSpan? timeout = null, bool foreground = false)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(60);
        if (!Directory.Exists(directory))
        {
            // fail2ban-client reads its configuration first, also for a command that only needs the socket
            await output.WriteLineAsync(ClientOutput.NoBaseDirectory(directory)).ConfigureAwait(false);
            return 255;
        }

        string socket, pidfile;
        if (socketOption is not null && pidOption is not null)
        {
            (socket, pidfile) = (socketOption, pidOption);
        }
        else
        {
            var global = ConfigResolver.Resolve(directory, new ResolveOptions { AllowMissingLogs = true, Jail = "\0none" }).Global;
            socket = socketOption ?? global?.Socket ?? "/run/sharpban/sharpban.sock";
            pidfile = pidOption ?? global?.PidFile ?? "/run/sharpban/sharpban.pid";
        }

        socket = Path.GetFullPath(socket);
        switch (words[0])
        {
            case "help":
                output.WriteLine(Help);
                return 0;
            case "start" when words.Count == 1 && foreground:
                return ServerCommand.Run(new ServerOptions { ConfigDirectory = Path.GetFullPath(directory), Socket = socket, PidFile = pidfile, Force = true, Foreground = true });
            case "start" when words.Count == 1:
                return await StartAsync(directory, socket, pidfile, json, output, error).ConfigureAwait(false);
            case "restart" when words.Count == 1:
                // as fail2ban-client: the stop's answer ("Shutdown successful"), then the start's ("Server ready")
                var stopped = await SendAsync(socket, ["stop"], json, output, error, wait).ConfigureAwait(false);
                if (stopped == 0)
                {
                    var waited = Stopwatch.StartNew();
                    while (File.Exists(socket) && waited.Elapsed < TimeSpan.FromSeconds(30))
                    {
                        await Task.Delay(100).ConfigureAwait(false);
                    }
                }

                return await StartAsync(directory, socket, pidfile, json, output, error).ConfigureAwait(false);
            case "restart":
                return await ReloadAsync(directory, socket, ["reload", "--restart", .. words.Skip(1)], json, output, error, wait).ConfigureAwait(false);
            case "reload":
                return await ReloadAsync(directory, socket, words, json, output, error, wait).ConfigureAwait(false);
            default:
                return await SendAsync(socket, words, json, output, error, wait).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// fail2ban-client's reload: its options first (<c>--restart</c>, <c>--unban</c>, <c>--if-exists</c>), then at most one
    /// word, a jail or <c>--all</c>; more words are refused ("Unexpected argument(s) for reload") before the server is asked.
    /// </summary>
    private static async Task<int> ReloadAsync(string directory, string socket, IReadOnlyList<string> words, bool json, TextWriter output, TextWriter error, TimeSpan wait)
    {
        var rest = words.Skip(1).ToList();
        var options = new List<string>();
        while (rest.Count > 0 && rest[0] is "--restart" or "--unban" or "--if-exists")
        {
            options.Add(rest[0]);
            rest.RemoveAt(0);
        }

        if (rest.Count > 1)
        {
            var message = "Unexpected argument(s) for reload: [" + string.Join(", ", rest.Select(Engine.Config.PyText.Repr)) + "]";
            return FailLogged(message, json, output, error);
        }

        var jail = rest.Count == 1 && rest[0] != "--all" ? rest[0] : null;
        return MissingJailSection(directory, jail, json, output, error)
            ?? await SendAsync(socket, ["reload", .. options, .. rest], json, output, error, wait).ConfigureAwait(false);
    }

    private static async Task<int> StartAsync(string directory, string socket, string pidfile, bool json, TextWriter output, TextWriter error)
    {
        if (await ControlClient.PingAsync(socket, TimeSpan.FromSeconds(2)).ConfigureAwait(false))
        {
            return Fail("Server already running", json, output, error);
        }

        var options = new ServerOptions { ConfigDirectory = Path.GetFullPath(directory), Socket = socket, PidFile = pidfile, Force = File.Exists(socket) };
        if (await DaemonLauncher.StartAsync(options, socket, TimeSpan.FromSeconds(30)).ConfigureAwait(false) is { } why)
        {
            return Fail("Could not start server: " + why, json, output, error);
        }

        output.WriteLine(json ? "\"Server ready\"" : "Server ready"); // fail2ban-client prints the server-status answer
        return 0;
    }

    private static async Task<int> SendAsync(string socket, IReadOnlyList<string> words, bool json, TextWriter output, TextWriter error, TimeSpan wait)
    {
        ControlAnswer answer;
        try
        {
            answer = await ControlClient.SendAsync(socket, words, wait).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AccessDenied)
        {
            return Fail($"Permission denied to socket: {socket}, (you must be root)", json, output, error);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return Fail($"Failed to access socket path: {socket}. Is sharpban running?", json, output, error);
        }
        catch (OperationCanceledException)
        {
            // as fail2ban-client when its socket times out: the server is there but does not answer
            return Fail($"[timed out] Unable to contact server. Is it running? (no answer on {socket} within {wait.TotalSeconds:0} s)", json, output, error);
        }

        if (!answer.Ok)
        {
            if (json)
            {
                return Fail(answer.Error ?? "error", json, output, error);
            }

            // as fail2ban-client: the server's error on standard output, a NOK line on standard error
            error.WriteLine("ERROR  NOK: " + (answer.Error ?? "error"));
            output.WriteLine(answer.Error ?? "error");
            return Failure;
        }

        output.WriteLine(json ? (answer.Result?.ToJsonString(RelaxedJson) ?? "null") : ClientOutput.Format(words, answer.Result));
        return 0;
    }

    /// <summary>
    /// <c>reload JAIL</c> / <c>restart JAIL</c> read that jail's section first, as fail2ban-client does: a jail the
    /// configuration does not have is an error here (also with <c>--if-exists</c>), before the server is asked.
    /// </summary>
    private static int? MissingJailSection(string directory, string? jail, bool json, TextWriter output, TextWriter error)
    {
        if (jail is null)
        {
            return null;
        }

        var resolution = ConfigResolver.Resolve(directory, new ResolveOptions { AllowMissingLogs = true, Jail = jail });
        if (resolution.Diagnostics.Any(d => d.Severity == Engine.Config.DiagnosticSeverity.Error && d.Message.Contains("was not found among available", StringComparison.Ordinal)))
        {
            var message = $"Failed during configuration: No section: '{jail}'";
            return FailLogged(message, json, output, error);
        }

        return null;
    }

    /// <summary>An error fail2ban-client logs itself (not a server answer): its log line on standard error.</summary>
    private static int FailLogged(string message, bool json, TextWriter output, TextWriter error)
    {
        if (json)
        {
            return Fail(message, json, output, error);
        }

        error.WriteLine("ERROR   " + message);
        return Failure;
    }

    private static int Fail(string message, bool json, TextWriter output, TextWriter error)
    {
        if (json)
        {
            output.WriteLine(new JsonObject { ["error"] = message }.ToJsonString(RelaxedJson));
        }
        else
        {
            error.WriteLine("ERROR: " + message);
        }

        return Failure;
    }

    public const string Help = """
        Usage: sharpban client [OPTIONS] <COMMAND>

        Options: -c DIR (configuration), -s SOCKET, -p PIDFILE, --json (answers as JSON), -d (dump config), -t (test config)

        Commands:
          start | stop | restart [JAIL] | reload [--restart] [--unban] [--if-exists] [--all|JAIL]
          status [JAIL [basic|short]] | status --all | ping | version | echo ARGS | help
          banned [IP ...] | unban --all | unban IP ...
          flushlogs | metrics (Prometheus text format; --json: the same as JSON)
          set loglevel|logtarget|dbfile|dbpurgeage|dbmaxmatches VALUE    get loglevel|logtarget|dbfile|dbpurgeage|dbmaxmatches
          set JAIL banip|unbanip IP ...        set JAIL attempt IP [LINE ...]
          set JAIL findtime|bantime|maxretry|maxmatches|usedns|datepattern|ignorecommand|bantime.* VALUE
          set JAIL addignoreip|delignoreip|addlogpath|dellogpath|addfailregex|delfailregex|addignoreregex|delignoreregex VALUE
          set JAIL addaction|delaction NAME    set JAIL action NAME PROPERTY VALUE    set JAIL idle on|off
          get JAIL OPTION                      get JAIL banned [IP ...]    get JAIL banip [SEP|--with-time]
          get JAIL actions | action NAME PROPERTY | actionproperties NAME | actionmethods NAME
        """;
}

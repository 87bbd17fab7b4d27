using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpBan.Control;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Firewall;
using SharpBan.Processes;
using SharpBan.RegexTool;
using SharpBan.Resolution;
using SharpBan.Server.Logging;

namespace SharpBan.Server;

/// <summary><c>sharpban server [-c DIR] [-f] [-x] [-s SOCKET] [-p PIDFILE]</c>: the daemon on the .NET Generic Host.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var conf = new Option<string?>("--conf", "-c") { Description = "configuration directory (default /etc/sharpban, else the shipped config)" }.LastWins();
        var foreground = new Option<bool>("-f") { Description = "stay in the foreground" };
        var background = new Option<bool>("-b") { Description = "detach (the default)" };
        var force = new Option<bool>("-x") { Description = "remove a stale socket file first" };
        var socket = new Option<string?>("--socket", "-s") { Description = "socket path" }.LastWins();
        var pidfile = new Option<string?>("--pidfile", "-p") { Description = "pidfile path" }.LastWins();
        var loglevel = new Option<string?>("--loglevel") { Description = "logging level" }.LastWins();
        var logtarget = new Option<string?>("--logtarget") { Description = "logging target (file, STDOUT, STDERR, SYSLOG)" }.LastWins();
        var command = new Command("server", "Run the daemon.") { conf, foreground, background, force, socket, pidfile, loglevel, logtarget };
        command.SetAction(parse =>
        {
            var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
            if (parse.GetValue(loglevel) is { } level)
            {
                overrides["loglevel"] = level;
            }

            if (parse.GetValue(logtarget) is { } target)
            {
                overrides["logtarget"] = target;
            }

            var options = new ServerOptions
            {
                ConfigDirectory = Path.GetFullPath(parse.GetValue(conf) ?? ConfigDirectory.Default()),
                Foreground = parse.GetValue(foreground),
                Force = parse.GetValue(force),
                Socket = parse.GetValue(socket),
                PidFile = parse.GetValue(pidfile),
                Overrides = overrides,
            };
            return Run(options);
        });
        return command;
    }

    public static int Run(ServerOptions options)
    {
        var resolution = ConfigResolver.Resolve(options.ConfigDirectory, new ResolveOptions { AllowMissingLogs = true, GlobalOverrides = options.Overrides });
        foreach (var diagnostic in resolution.Diagnostics)
        {
            Console.Error.WriteLine(diagnostic.ToString());
        }

        if (resolution.Global is null)
        {
            Console.Error.WriteLine($"ERROR: cannot read the configuration in {options.ConfigDirectory}");
            return 255;
        }

        if (resolution.Global.Failure is { } failure)
        {
            // as fail2ban: fail2ban.conf must read cleanly (values that interpolate, a valid log level)
            Console.Error.WriteLine($"ERROR: {failure.Message}; the server was not started");
            return 255;
        }

        if (resolution.HasSyntaxErrors)
        {
            // as fail2ban: a file that is not valid INI fails the whole configuration, no jail starts
            Console.Error.WriteLine($"ERROR: the configuration in {options.ConfigDirectory} has syntax errors (listed above); the server was not started");
            return 255;
        }

        var socket = Path.GetFullPath(options.Socket ?? resolution.Global.Socket);
        var pidfile = Path.GetFullPath(options.PidFile ?? resolution.Global.PidFile);
        InstanceLock? instance = null;
        if (options.Foreground)
        {
            // first of all: a second daemon (also one started at the same moment) must not touch the first one's socket
            try
            {
                instance = InstanceLock.TryAcquire(pidfile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"ERROR: cannot create the pid file {pidfile}: {OsError.Describe(e)}; the server was not started");
                return 255;
            }

            if (instance is null)
            {
                Console.Error.WriteLine($"ERROR: Server already running (pid file {pidfile} is held by another process)");
                return 255;
            }
        }

        using var held = instance;
        if (File.Exists(socket))
        {
            if (ControlClient.PingAsync(socket, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult())
            {
                Console.Error.WriteLine($"ERROR: Server already running (socket {socket})");
                return 255;
            }

            if (!options.Force)
            {
                Console.Error.WriteLine($"ERROR: Fail2ban seems to be in unexpected state (not running but the socket exists): {socket}; start with -x to remove it");
                return 255;
            }

            File.Delete(socket);
        }

        if (SocketProblem(socket) is { } problem)
        {
            // before any jail starts (actionstart changes the firewall): fail2ban exits with 255 and no word on this
            Console.Error.WriteLine($"ERROR: cannot create the socket {socket}: {problem}; the server was not started");
            return 255;
        }

        if (!options.Foreground)
        {
            var why = DaemonLauncher.StartAsync(options with { Socket = socket, PidFile = pidfile }, socket, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            if (why is not null)
            {
                Console.Error.WriteLine("ERROR: the server did not start: " + why);
            }

            return why is null ? 0 : 255;
        }

        return RunForeground(new DaemonSettings(resolution, socket, pidfile, options.ConfigDirectory, options.Overrides) { Instance = instance });
    }

    /// <summary>The longest path of a Unix socket (<c>sun_path</c> holds 108 bytes with the final NUL).</summary>
    private const int MaxSocketPath = 107;

    /// <summary>Why no Unix socket can be made at <paramref name="path"/> (its directory, its length, permission), or null.</summary>
    private static string? SocketProblem(string path)
    {
        try
        {
            if (Path.GetDirectoryName(path) is { } dir)
            {
                Directory.CreateDirectory(dir);
            }

            if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxSocketPath)
            {
                return $"the path is longer than the {MaxSocketPath} bytes a Unix socket's path can have";
            }

            var endpoint = new System.Net.Sockets.UnixDomainSocketEndPoint(path);
            using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
            {
                probe.Bind(endpoint);
            }

            File.Delete(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or ArgumentException)
        {
            return OsError.Describe(e);
        }
    }

    private static int RunForeground(DaemonSettings settings)
    {
        OwnerOnlyFiles.Apply();
        var time = TimeProvider.System;
        using var sink = new LogSink(time);
        sink.SetTarget("STDERR");
        SystemHostNames.Install();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Services.AddSystemd();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new Fail2BanLoggerProvider(sink));
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(sink);
        builder.Services.AddSingleton(_ => new ShellWorkerPool());
        builder.Services.AddSingleton(sp =>
        {
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            var dns = new SystemDnsResolver(time, loggers.CreateLogger("fail2ban.ipdns")) { Patience = TimeSpan.FromSeconds(1) };
            var self = new SystemSelfAddresses(time, dns);
            _ = Task.Run(self.Get); // looked up while the jails start, so the first failure need not wait for it
            return new ServerContext(time, sp.GetRequiredService<ShellWorkerPool>(), dns, self, loggers)
            {
                NftRunner = () => new NftProcessRunner(),
                HostOfAddress = dns.NameOf,
            };
        });
        builder.Services.AddHostedService<DaemonService>();
        using var host = builder.Build();
        host.Run();
        return Environment.ExitCode;
    }
}

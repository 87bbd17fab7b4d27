using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpBan.Control;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Metrics;
using SharpBan.Server.Logging;

namespace SharpBan.Server;

/// <summary>
/// The daemon as a hosted service: on start writes the pidfile, configures itself by executing the config stream and
/// opens the control socket (so a client that can ping it sees a configured server) and the metrics listener if
/// configured; on stop (SIGTERM, <c>stop</c>) closes the listener and the socket, stops every jail (flush,
/// <c>actionstop</c>), closes the database, removes socket and pidfile.
/// </summary>
internal sealed class DaemonService(
    DaemonSettings settings,
    ServerContext context,
    LogSink sink,
    IHostApplicationLifetime lifetime) : IHostedService, IAsyncDisposable
{
    /// <summary>Set by <see cref="DaemonLauncher"/> for the server it starts in the background.</summary>
    public const string DetachedVariable = "SHARPBAN_DETACHED";

    private readonly ILogger _log = context.Loggers.CreateLogger("fail2ban.server");
    /// <summary>SIGUSR1 on Linux: fail2ban reopens its log file on it (logrotate); without a handler it would end the process.</summary>
    private const int SigUsr1 = 10;

    private JailServer? _server;
    private ControlServer? _control;
    private MetricsHttpServer? _metrics;
    private System.Runtime.InteropServices.PosixSignalRegistration? _usr1;
    private System.Runtime.InteropServices.PosixSignalRegistration? _hup;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ApplyLogSettings(settings.Resolution.Stream, sink); // as fail2ban: the first lines already go to the configured target
        Log.StartRule(_log);
        Log.Starting(_log, SharpBanVersion.Own, JailServer.Version);
        var detached = Environment.GetEnvironmentVariable(DetachedVariable) == "1";
        if (detached)
        {
            Environment.SetEnvironmentVariable(DetachedVariable, null); // not handed on to action commands
            Log.DaemonStarted(_log);
        }
        var pidDir = Path.GetDirectoryName(Path.GetFullPath(settings.PidFile));
        if (pidDir is not null)
        {
            Directory.CreateDirectory(pidDir);
        }

        if (settings.Instance is { } instance)
        {
            instance.WritePid();
        }
        else
        {
            await File.WriteAllTextAsync(settings.PidFile, Environment.ProcessId + "\n", cancellationToken).ConfigureAwait(false);
        }

        _usr1 = System.Runtime.InteropServices.PosixSignalRegistration.Create((System.Runtime.InteropServices.PosixSignal)SigUsr1, signal =>
        {
            signal.Cancel = true;
            Log.FlushLogsSignal(_log, sink.Reopen());
        });
        _hup = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGHUP, signal =>
        {
            // fail2ban's background server ignores SIGHUP (its terminal going away); in the foreground the signal ends the
            // server, here as "stop" does (the runtime's default would end the process without unbanning or closing)
            signal.Cancel = true;
            Log.HangUpSignal(_log, detached ? "ignored (background server; 'sharpban client reload' reloads)" : "stopping, as on SIGTERM");
            if (!detached)
            {
                lifetime.StopApplication();
            }
        });
        _server = new JailServer(context, sink)
        {
            ShutdownRequested = lifetime.StopApplication,
            ReadConfig = jail => WithJournalFallback(ConfigResolver.Resolve(settings.ConfigDirectory, new ResolveOptions { AllowMissingLogs = true, GlobalOverrides = settings.Overrides, Jail = jail })),
        };
        var resolution = JournalFallback.Apply(settings.Resolution, JournalFallback.SystemJournalPresent(), out var switched);
        await _server.ExecuteStreamAsync(resolution.Stream).ConfigureAwait(false);
        foreach (var jail in switched)
        {
            Log.JournalFallback(_log, jail); // after the stream: in the configured log target
        }

        await _server.WatchAwaitedLogsAsync(resolution.AwaitedLogs).ConfigureAwait(false);
        _server.Start();
        _control = new ControlServer(settings.Socket, _server.ExecuteAsync, _log);
        _control.Start();
        if (settings.Resolution.Global?.Metrics is { } endpoint)
        {
            var server = _server;
            _metrics = new MetricsHttpServer(endpoint, async token => PrometheusText.Render(await server.MetricsAsync(token).ConfigureAwait(false)), _log, context.Time);
            _metrics.Start(); // a bind failure is logged; the daemon runs on without it
        }
    }

    /// <summary>The stream's <c>set loglevel|logtarget|syslogsocket</c> commands, before the stream runs them again.</summary>
    private static void ApplyLogSettings(IEnumerable<IReadOnlyList<object?>> stream, LogSink sink)
    {
        foreach (var command in stream.TakeWhile(static c => c.Count == 0 || c[0] as string != "add"))
        {
            switch (command)
            {
                case ["set", "syslogsocket", string socket]:
                    sink.SyslogSocket = socket;
                    break;
                case ["set", "loglevel", string level]:
                    sink.SetLevel(level);
                    break;
                case ["set", "logtarget", string target]:
                    sink.TrySetTarget(target); // a target that cannot be opened is reported when the stream sets it
                    break;
            }
        }
    }

    private ConfigResolution WithJournalFallback(ConfigResolution resolution)
    {
        var result = JournalFallback.Apply(resolution, JournalFallback.SystemJournalPresent(), out var switched);
        foreach (var jail in switched)
        {
            Log.JournalFallback(_log, jail);
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _usr1?.Dispose();
        _usr1 = null;
        _hup?.Dispose();
        _hup = null;
        if (_metrics is not null)
        {
            await _metrics.DisposeAsync().ConfigureAwait(false);
            _metrics = null;
        }

        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
            _control = null;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Log.ShutdownBegin(_log);
        await DisposeAsync().ConfigureAwait(false);
        if (settings.Instance is null)
        {
            File.Delete(settings.PidFile);
        }

        Log.Exiting(_log);
    }
}

/// <summary>What the daemon was started with: the resolved configuration and where its socket and pidfile go.</summary>
internal sealed record DaemonSettings(ConfigResolution Resolution, string Socket, string PidFile, string ConfigDirectory, IReadOnlyDictionary<string, string> Overrides)
{
    /// <summary>The locked pid file (removed when the process ends); null when another component writes it.</summary>
    public InstanceLock? Instance { get; init; }
}

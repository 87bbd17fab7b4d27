using Microsoft.Extensions.Logging;
using SharpBan.Actions;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Config;
using SharpBan.Server.Jails;
using SharpBan.Server.Logging;
using SharpBan.Server.Logs;
using SharpBan.Storage;

namespace SharpBan.Server;

/// <summary>
/// The daemon's state and its command interpreter: configured by executing fail2ban's config stream, controlled by the
/// same commands over the socket. One gate serialises every state change (commands, log lines, expiry), so the jails
/// need no locks of their own. Split by capability: <c>JailServer.Commands.cs</c>, <c>JailServer.Options.cs</c>.
/// </summary>
internal sealed partial class JailServer : IAsyncDisposable
{
    /// <summary>How long housekeeping waits after a round that failed before it tries again.</summary>
    private const int HousekeepingRetrySeconds = 1;

    /// <summary>From this length on a jail's name is warned about (fail2ban: iptables' 30 characters less <c>f2b-</c>).</summary>
    private const int LongJailName = 26;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly OrderedDictionary<string, Jail> _jails = new(StringComparer.Ordinal); // Python dict order: a jail added again goes last
    private readonly Dictionary<string, JournalSource> _journals = new(StringComparer.Ordinal);
    private readonly ServerContext _context;
    private readonly LogSink _logSink;
    private readonly ILogger _log;
    private readonly ILogger _filterLog;
    private readonly ILogger _actionsLog;
    private readonly ILogger _jailLog;
    private readonly ILogger _dbLog;
    private readonly ILogger _journalLog;
    private readonly LogFileHub _files;
    private readonly SemaphoreSlim _expiryChanged = new(0, int.MaxValue);
    private readonly HashSet<Jail> _readingStopped = []; // jails of a "stop all" whose files were let go before their actions stop
    private readonly CancellationTokenSource _stop = new();
    private Task? _housekeeping;
    private double _lastPurge;

    public JailServer(ServerContext context, LogSink logSink)
    {
        _context = context;
        _logSink = logSink;
        _log = context.Loggers.CreateLogger("fail2ban.server");
        _filterLog = context.Loggers.CreateLogger("fail2ban.filter");
        _actionsLog = context.Loggers.CreateLogger("fail2ban.actions");
        _jailLog = context.Loggers.CreateLogger("fail2ban.jail");
        _dbLog = context.Loggers.CreateLogger("fail2ban.database");
        _journalLog = context.Loggers.CreateLogger("fail2ban.filtersystemd");
        _files = new LogFileHub(_filterLog, DispatchLinesAsync);
        _lastPurge = context.Now();
        _startTime = _lastPurge;
    }

    public BanDatabase? Database { get; private set; }

    public string DbFile { get; private set; } = "None";

    public bool AllowIpv6 { get; private set; } = true;

    /// <summary>Called when a client sends <c>stop</c>.</summary>
    public Action? ShutdownRequested { get; set; }

    public IReadOnlyDictionary<string, Jail> Jails => _jails;

    public void Start() => _housekeeping = Task.Run(HousekeepingAsync);

    /// <summary>Executes one command under the gate.</summary>
    public async Task<System.Text.Json.Nodes.JsonNode?> ExecuteAsync(IReadOnlyList<object?> command, CancellationToken cancellationToken = default)
    {
        System.Text.Json.Nodes.JsonNode? result;
        List<(System.Text.Json.Nodes.JsonObject Actions, List<string> Ids)> cymru;
        await EnterGateAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _cymruPending.Clear();
            result = await ExecuteLockedAsync(command).ConfigureAwait(false);
            cymru = [.. _cymruPending];
            _cymruPending.Clear();
        }
        finally
        {
            ExitGate();
        }

        await AddCymruInfoAsync(cymru, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Executes a whole stream (start-up, reload); a failing command is logged and the rest goes on.</summary>
    public async Task ExecuteStreamAsync(IEnumerable<IReadOnlyList<object?>> stream)
    {
        await EnterGateAsync().ConfigureAwait(false);
        try
        {
            await ExecuteStreamLockedAsync(stream).ConfigureAwait(false);
        }
        finally
        {
            ExitGate();
        }
    }

    /// <summary>Waits until all jails' queued action commands have run (tests).</summary>
    public async Task DrainAsync()
    {
        await EnterGateAsync().ConfigureAwait(false);
        ExitGate(); // releases whatever a burst still holds back
        foreach (var jail in _jails.Values.ToList())
        {
            await jail.DrainActionsAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_housekeeping is not null)
        {
            try
            {
                await _housekeeping.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        if (_patternWatch is not null)
        {
            await _patternWatch.ConfigureAwait(false); // ends with _stop
        }

        await _files.DisposeAsync().ConfigureAwait(false);
        await EnterGateAsync().ConfigureAwait(false);
        try
        {
            MaintainDatabase(force: true); // a file deleted or unwritable since the last check gets the bans before they go
            Log.StoppingAllJails(_log);
            await StopAllJailsLockedAsync().ConfigureAwait(false);

            if (Database is not null)
            {
                Database.Dispose();
                Database = null;
                Log.DatabaseClosed(_dbLog);
            }
            await DisposeNativeBackendAsync().ConfigureAwait(false);
        }
        finally
        {
            ExitGate();
        }

        await RetiredSourcesStoppedAsync().ConfigureAwait(false); // outside the gate: their readers may be waiting for it
        _gate.Dispose();
        _expiryChanged.Dispose();
        _stop.Dispose();
    }

    private async Task ExecuteStreamLockedAsync(IEnumerable<IReadOnlyList<object?>> stream)
    {
        var notAdded = new HashSet<string>(StringComparer.Ordinal); // jails whose add failed: their other commands are not run
        foreach (var command in stream)
        {
            if (command is [string verb, string jail, ..] && verb is "set" or "multi-set" or "start" && notAdded.Contains(jail))
            {
                continue;
            }

            try
            {
                await ExecuteLockedAsync(command).ConfigureAwait(false);
            }
            catch (CommandException e)
            {
                Log.CommandFailed(_log, Shown(command), e.Message);
                if (command is ["add", string name, ..] && !_jails.ContainsKey(name))
                {
                    notAdded.Add(name);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // deliberate, as for a client's command: one command of the configuration that fails in a way nobody
                // foresaw is logged (with where it was raised) and the others still run, so the daemon starts
                Log.CommandFailedUnexpectedly(_log, Shown(command), e.Message, e);
            }
        }
    }

    /// <summary>A command of the stream as the log shows it: its words, a list of values (an action's) as Python's repr.</summary>
    internal static string Shown(IEnumerable<object?> command) =>
        string.Join(' ', command.Select(static w => w is IEnumerable<object?> list ? Repr(list) : CommandArgs.Text(w)));

    private static string Repr(IEnumerable<object?> list) =>
        "[" + string.Join(", ", list.Select(static w => w switch
        {
            IEnumerable<object?> inner => Repr(inner),
            string s => Engine.Config.PyText.Repr(s),
            _ => CommandArgs.Text(w),
        })) + "]";

    private Jail GetJail(string name) =>
        _jails.TryGetValue(name, out var jail) ? jail : throw CommandException.UnknownJail(name);

    private void AddJail(string name, string backend)
    {
        if (_jails.ContainsKey(name))
        {
            throw new CommandException($"The jail '{name}' already exists");
        }

        ValidateBackend(name, backend);
        if (name.Length >= LongJailName)
        {
            // as fail2ban: actions name their chains f2b-NAME, and iptables allows 30 characters
            Log.JailNameLong(_jailLog, Engine.Config.PyText.Repr(name));
        }

        Log.JailCreating(_jailLog, name);
        LogBackend(name, backend);
        var jail = new Jail(name, backend, _context, Database) { AllowIpv6 = AllowIpv6, NativeBackend = NativeBackend };
        jail.ExpiryChanged = () => _expiryChanged.Release();
        _jails[name] = jail;
        Database?.AddJail(name);
    }

    /// <summary>
    /// Stops feeding <paramref name="jail"/> (its journal reader, its share of the log files); as fail2ban's filter at its
    /// stop, each file is logged as removed. Once for a jail: its paths are left to the jail, nothing is subscribed again.
    /// </summary>
    private void StopReadingLocked(Jail jail)
    {
        if (_journals.Remove(jail.Name, out var journal))
        {
            Retire(journal);
        }

        if (!_readingStopped.Add(jail))
        {
            return;
        }

        foreach (var (path, _) in jail.LogPaths)
        {
            _files.Unsubscribe(path);
            if (jail.IsRunning)
            {
                Log.LogRemoved(_filterLog, PyText.Repr(path));
            }
        }
    }

    /// <summary>fail2ban's lines for the filter a jail gets: auto (and pyinotify, gamin) watch files with inotify here.</summary>
    private void LogBackend(string jail, string backend)
    {
        var (requested, options) = Engine.Config.OptionList.Extract(backend);
        requested = requested.ToLowerInvariant();
        var (kind, initiated) = requested switch
        {
            "polling" => ("poller", "polling"),
            "systemd" => ("systemd", "systemd"),
            _ => ("pyinotify", "pyinotify"),
        };
        Log.JailBackend(_jailLog, jail, kind, "{" + string.Join(", ", options.Select(static o => $"{PyText.Repr(o.Key)}: {PyText.Repr(o.Value)}")) + "}");
        if (requested is "auto" || requested == initiated)
        {
            Log.BackendInitiated(_jailLog, initiated);
        }
        else
        {
            Log.BackendSubstituted(_jailLog, initiated, requested);
        }
    }

    private async Task StartJailLockedAsync(string name)
    {
        var jail = GetJail(name);
        if (jail.IsRunning)
        {
            if (!ReloadOnStart(jail))
            {
                await WakeLockedAsync(jail).ConfigureAwait(false); // fail2ban: start wakes an idle jail (a reload at its end)
            }

            return;
        }

        try
        {
            await jail.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or Engine.Matching.Regex.PyRegexException)
        {
            throw new CommandException($"Jail '{name}' cannot start: {e.Message}");
        }

        if (jail.IsJournal)
        {
            await StartJournalLockedAsync(jail).ConfigureAwait(false);
        }
        else
        {
            foreach (var (path, tail) in jail.LogPaths.ToList())
            {
                await SubscribeLogAsync(jail, path, tail).ConfigureAwait(false);
            }
        }

        await WakeLockedAsync(jail).ConfigureAwait(false); // set idle before it started: fail2ban's start wakes it
        Log.JailStarted(_jailLog, name);
    }

    /// <summary>As fail2ban's "stop all": every jail stops reading first, then each jail's actions flush and stop.</summary>
    private async Task StopAllJailsLockedAsync()
    {
        foreach (var jail in _jails.Values.ToList())
        {
            StopReadingLocked(jail);
        }

        foreach (var name in _jails.Keys.ToList())
        {
            await StopJailLockedAsync(name).ConfigureAwait(false);
        }
    }

    private async Task StopJailLockedAsync(string name)
    {
        var jail = GetJail(name);
        StopReadingLocked(jail);
        await jail.DisposeAsync().ConfigureAwait(false);
        Database?.DisableJail(name);
        _jails.Remove(name);
        _readingStopped.Remove(jail);
        Log.JailStopped(_jailLog, name);
    }

    private async Task DispatchLinesAsync(LogFileReader reader, IReadOnlyList<string> lines)
    {
        await EnterGateAsync().ConfigureAwait(false);
        try
        {
            foreach (var jail in _jails.Values)
            {
                if (!jail.IsRunning || jail.Idle || !jail.LogPaths.Any(l => l.Path == reader.Path))
                {
                    continue; // an idle jail reads these when it wakes
                }

                await jail.ProcessLinesAsync(NotReadAhead(jail, reader, lines), reader.InOperation).ConfigureAwait(false);
                Database?.SetLogPosition(jail.Name, reader.Path, reader.FirstLineHash, reader.Position);
            }

            reader.MarkDispatched();
        }
        finally
        {
            ExitGate();
        }
    }

    /// <summary>Unbans expired bans at their end of ban and purges the database hourly; sleeps otherwise.</summary>
    private async Task HousekeepingAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            double wait;
            try
            {
                wait = await HousekeepingRoundAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                // deliberate: whatever one round met, the loop must go on, or no ban would ever end again
                Log.HousekeepingFailed(_log, e.Message, HousekeepingRetrySeconds);
                wait = HousekeepingRetrySeconds;
            }

            await _expiryChanged.WaitAsync(TimeSpan.FromSeconds(wait), token).ConfigureAwait(false);
        }
    }

    /// <summary>One round of housekeeping under the gate; returns how long to sleep, in seconds.</summary>
    private async Task<double> HousekeepingRoundAsync(CancellationToken token)
    {
        double? next = null;
        await EnterGateAsync(token).ConfigureAwait(false);
        try
        {
            foreach (var jail in _jails.Values)
            {
                if (jail.ExpireBans() is { } end && (next is null || end < next))
                {
                    next = end;
                }

                jail.Failures.Cleanup(_context.Now());
                jail.ReportEvictions();
                jail.ReapplyRepaired();
            }

            if (Database is not null && _context.Now() - _lastPurge >= 3600)
            {
                _lastPurge = _context.Now();
                Database.Purge(_lastPurge);
            }

            await RestoreFromDatabaseAsync().ConfigureAwait(false);
        }
        finally
        {
            ExitGate();
        }

        var wait = next is { } n ? Math.Clamp(n - _context.Now() + 0.01, 0.05, 600) : 600;
        if (UntilDatabaseMaintenance() is { } untilCheck)
        {
            wait = Math.Clamp(untilCheck + 0.01, 0.05, wait);
        }

        return double.IsNaN(wait) ? HousekeepingRetrySeconds : wait;
    }

    private CommandAction NewAction(string jail, string name) =>
        new(jail, name, _context.Processes, _context.Loggers.CreateLogger("fail2ban.action"), AllowIpv6,
            _context.Loggers.CreateLogger("fail2ban.actions"), _context.Loggers.CreateLogger("fail2ban.utils"));

    /// <summary>The built-in replacement of fail2ban's <c>smtp.py</c> (see <see cref="PythonAction"/>).</summary>
    private CommandAction NewSmtpAction(string jail, string name, Dictionary<string, string> properties)
    {
        var logger = _context.Loggers.CreateLogger("fail2ban.action");
        var action = new CommandAction(jail, name, _context.Processes, logger, AllowIpv6, _context.Loggers.CreateLogger("fail2ban.actions"))
        {
            Builtin = new SmtpAction(jail, System.Net.Dns.GetHostName, _context.Time, logger),
        };
        foreach (var (key, value) in properties)
        {
            action.Properties[key] = value;
        }

        return action;
    }
}

using Microsoft.Extensions.Logging;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;
using SharpBan.Storage;

namespace SharpBan.Server.Jails;

/// <summary>
/// One jail of the daemon: filter options and the filter built from them, failure and ban bookkeeping, ignore rules and
/// actions. All state changes happen under the server's gate; action work is held back until the server committed the
/// database (<see cref="CommitAndRelease"/>) and then runs on the jail's own <see cref="ActionScheduler"/>, so a slow
/// action never stalls log reading. Split by capability: <c>Jail.Failures.cs</c>, <c>Jail.Bans.cs</c>,
/// <c>Jail.Options.cs</c>.
/// </summary>
internal sealed partial class Jail : IAsyncDisposable
{
    private readonly ServerContext _context;
    private readonly ILogger _log;
    private readonly ILogger _filterLog;
    private readonly ILogger _jailLog;
    private readonly ILogger _journalLog;
    private readonly ILogger _observerLog;
    private readonly List<(string? Lane, string? Key, Func<Task> Work)> _pendingActions = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimingWarnings _timingWarnings; // one per jail: a filter built anew (a regex added) keeps its once-a-day state

    /// <summary>How long a failure's ignorecommand is waited for under the server's gate; a slower one ends outside it.</summary>
    private static readonly TimeSpan IgnoreCommandPatience = TimeSpan.FromSeconds(1);

    /// <summary>Seconds between two warnings about forgotten failing addresses (<c>maxtracked</c>).</summary>
    private const double EvictionReportInterval = 60;

    /// <summary>Commands waiting in one action's lane from which a warning is logged.</summary>
    public const int ActionBacklogWarning = 1000;

    /// <summary>Seconds between two warnings about waiting action commands.</summary>
    private const double ActionBacklogReportInterval = 60;

    private ActionScheduler? _scheduler;
    private double _lastBacklogWarning = double.NegativeInfinity;
    private LogFilter? _filter;
    private long _regexTimeoutsOfOldFilters;
    private long _evictionsReported;
    private List<(Task Outside, Func<Task> Inside)> _later = [];
    private double _ignoreCommandSlowUntil = double.NegativeInfinity;
    private double _lastEvictionReport = double.NegativeInfinity;

    public Jail(string name, string backend, ServerContext context, BanDatabase? database)
    {
        Name = name;
        Backend = backend;
        _context = context;
        Database = database;
        _log = context.Loggers.CreateLogger("fail2ban.actions");
        _filterLog = context.Loggers.CreateLogger("fail2ban.filter");
        _jailLog = context.Loggers.CreateLogger("fail2ban.jail");
        _journalLog = context.Loggers.CreateLogger("fail2ban.filtersystemd");
        _observerLog = context.Loggers.CreateLogger("fail2ban.observer");
        _timingWarnings = new TimingWarnings(_filterLog, name, context.Clock);
        Ignore = new IgnoreRules(context.Dns, context.Self, context.Time);
    }

    public string Name { get; }

    public string Backend { get; }

    public BanDatabase? Database { get; }

    public bool IsRunning { get; private set; }

    public FailManager Failures { get; } = new();

    public BanManager Bans { get; } = new();

    /// <summary>The counters of the metrics beyond <c>status</c>: lines, skipped lines, failed action commands.</summary>
    public JailCounters Counters { get; } = new();

    /// <summary>Regex searches of the jail's filters that hit the match timeout, also of filters rebuilt since.</summary>
    public long RegexTimeouts => _regexTimeoutsOfOldFilters + (_filter?.RegexTimeouts ?? 0);

    public IgnoreRules Ignore { get; }

    public BanTimeIncrement Increment { get; set; } = new();

    /// <summary><c>banprefix.inet4</c>/<c>banprefix.inet6</c> (SharpBan extensions): failures counted under networks.</summary>
    public BanPrefix BanPrefix { get; set; } = BanPrefix.Off;

    /// <summary>The <c>ignorecache</c> option, or null for none.</summary>
    public IgnoreCache? IgnoreCache { get; set; }

    public bool AllowIpv6 { get; set; } = true;

    public List<string> FailRegex { get; } = [];

    public List<string> IgnoreRegex { get; } = [];

    public string? PrefRegex { get; set; }

    public int MaxLines { get; set; } = 1;

    public string? DatePattern { get; set; }

    public UseDns UseDns { get; set; } = UseDns.Warn;

    public string? LogTimeZone { get; set; }

    public string LogEncoding { get; set; } = "auto";

    public List<IReadOnlyList<string>> JournalMatch { get; } = [];

    /// <summary>Monitored files with their start mode (<c>head</c>/<c>tail</c>).</summary>
    public List<(string Path, bool Tail)> LogPaths { get; } = [];

    /// <summary>
    /// Files the jail had read further than the reader it shares with other jails (its stored position lies ahead):
    /// path → that position and the file's first-line hash; the lines before it are not given to the jail again.
    /// </summary>
    public Dictionary<string, (long Position, string? Hash)> ReadAhead { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CommandAction> Actions { get; } = new(StringComparer.Ordinal);

    public List<string> ActionOrder { get; } = [];

    public bool IsJournal => Backend.StartsWith("systemd", StringComparison.Ordinal);

    /// <summary>The filter of the jail, rebuilt after a filter option changed.</summary>
    public LogFilter Filter => _filter ??= BuildFilter();

    public void InvalidateFilter()
    {
        _regexTimeoutsOfOldFilters += _filter?.RegexTimeouts ?? 0;
        _filter = null;
    }

    public async Task StartAsync()
    {
        _ = Filter; // compile now so regex errors surface at start
        Failures.Cleanup(_context.Now(), force: true);
        IsRunning = true;
        _scheduler = new ActionScheduler(ActionScheduler.DefaultConcurrency, ActionException, ActionLanes());
        var now = _context.Now();
        foreach (var action in CommandActions)
        {
            Enqueue(action, null, () => action.StartAsync(now, _stopping.Token));
        }

        BeginNativeStart();
        await RestoreBansAsync().ConfigureAwait(false);
        RestoreWindows();
        await CompleteNativeStartAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the jail: unbans everything through the actions (flush where possible), then <c>actionstop</c>.</summary>
    public async Task StopAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        IsRunning = false;
        await UnbanAllAsync(deleteFromDatabase: false).ConfigureAwait(false);
        await StopNativeAsync().ConfigureAwait(false);
        var now = _context.Now();
        foreach (var action in CommandActions.Reverse())
        {
            // a built-in action (a mail) holds no firewall state: its stop may be cut short when the stop takes too long
            var token = action.Builtin is null ? CancellationToken.None : _stopping.Token;
            Enqueue(action, null, () => action.StopAsync(now, token));
        }

        CommitAndRelease();
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>How long a stopping jail waits for its queued action work before the rest is abandoned.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Stops the jail and releases it. Work still queued or running after <see cref="StopGrace"/> (mails to a server that
    /// does not answer, API calls) is cancelled; the firewall's flush and <c>actionstop</c> still run to the end.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var stop = StopAsync();
        if (await Task.WhenAny(stop, Task.Delay(StopGrace)).ConfigureAwait(false) != stop)
        {
            Log.StopGraceOver(_log, Name, (int)StopGrace.TotalSeconds);
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await stop.ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
        foreach (var action in Actions.Values)
        {
            action.Dispose();
        }
    }

    /// <summary>Waits until every queued action command and native firewall request has run (tests, shutdown).</summary>
    public async Task DrainActionsAsync()
    {
        await DrainNativeAsync().ConfigureAwait(false);
        await DrainCommandsAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Commits the database, then hands the action work and firewall requests held back since the last call to the
    /// scheduler: an action never applies a ban that a crash could still lose. The server calls it when it leaves
    /// its gate.
    /// </summary>
    public void CommitAndRelease()
    {
        Database?.Commit();
        ReleaseNative();
        if (_pendingActions.Count == 0)
        {
            return;
        }

        foreach (var (lane, key, work) in _pendingActions)
        {
            if (_scheduler is null || !_scheduler.TryEnqueue(lane, key, work))
            {
                Log.ActionDropped(_log, Name);
            }
        }

        _pendingActions.Clear();
        WarnActionBacklog();
    }

    private Task DrainCommandsAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_scheduler is null || !_scheduler.TryEnqueue(null, () =>
        {
            done.SetResult();
            return Task.CompletedTask;
        }))
        {
            done.SetResult();
        }

        return done.Task;
    }

    /// <summary>Action work queued or running, not finished yet (<c>sharpban_jail_actions_waiting</c>).</summary>
    public int ActionsWaiting => _scheduler?.Waiting ?? 0;

    /// <summary>
    /// A warning, at most one a minute, while an action has <see cref="ActionBacklogWarning"/> or more commands waiting:
    /// its commands (a mail server or API that does not answer) take longer than the bans come, and its work waits in
    /// memory. Nothing is dropped: a firewall action's ban must not be lost to a slow mail action's queue.
    /// </summary>
    private void WarnActionBacklog()
    {
        var now = _context.Now();
        if (_scheduler is null || now - _lastBacklogWarning < ActionBacklogReportInterval)
        {
            return;
        }

        foreach (var (lane, count) in _scheduler.WaitingByLane())
        {
            if (count >= ActionBacklogWarning)
            {
                Log.ActionBacklog(_log, Name, lane.Length == 0 ? "(all)" : lane, count);
                _lastBacklogWarning = now;
            }
        }
    }

    /// <summary>
    /// Holds action work until <see cref="CommitAndRelease"/>: keyed by address, or without a key a global barrier (runs
    /// once all work before it, of every action, is done, and before any work after it).
    /// </summary>
    private void Enqueue(string? key, Func<Task> work) => Enqueue((string?)null, key, work);

    /// <summary>Work of one action (its lane: a slow action holds up only its own work), keyed by address or the lane's barrier.</summary>
    private void Enqueue(CommandAction action, string? key, Func<Task> work) => Enqueue(action.Name, key, work);

    private void Enqueue(string? lane, string? key, Func<Task> work) => _pendingActions.Add((lane, key, work));

    /// <summary>The lanes with a limit of their own: each action whose <c>concurrency</c> option is a positive number.</summary>
    private Dictionary<string, int> ActionLanes()
    {
        var lanes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var action in CommandActions)
        {
            if (action.Properties.TryGetValue("concurrency", out var value)
                && int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                lanes[action.Name] = n;
            }
        }

        return lanes;
    }

    /// <summary>An action's work that threw (the scheduler goes on with the next): logged and counted.</summary>
    private void ActionException(Exception e)
    {
        Counters.ActionFailed();
        Log.ActionException(_log, Name, e.Message);
    }

    private LogFilter BuildFilter()
    {
        var settings = new FilterSettings
        {
            FailRegex = [.. FailRegex],
            IgnoreRegex = [.. IgnoreRegex],
            PrefRegex = PrefRegex,
            MaxLines = MaxLines,
            DatePattern = DatePattern,
            UseDns = UseDns,
            LogTimeZone = string.IsNullOrEmpty(LogTimeZone) ? null : LogTimeZone,
            RequireIdGroups = false, // checked per regex by addfailregex, as fail2ban
        };
        var mode = FilterMode.Server with { FindTime = Failures.FindTime };
        return new LogFilter(settings, mode, _context.Clock, DateTemplateCache.ForClock(_context.Time), _context.Dns)
        {
            TimingWarnings = _timingWarnings,
        };
    }
}

using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;
using SharpBan.Storage;

namespace SharpBan.Server.Jails;

/// <summary>
/// One jail of the daemon: filter options and the filter built from them, failure and ban bookkeeping, ignore rules and
/// actions. All state changes happen under the server's gate; action commands run on the jail's own queue so a slow
/// action never stalls log reading. Split by capability: <c>Jail.Failures.cs</c>, <c>Jail.Bans.cs</c>,
/// <c>Jail.Options.cs</c>.
/// </summary>
internal sealed partial class Jail : IAsyncDisposable
{
    private readonly ServerContext _context;
    private readonly ILogger _log;
    private readonly ILogger _filterLog;
    private readonly Channel<Func<Task>> _actionQueue = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _actionWorker;
    private LogFilter? _filter;

    public Jail(string name, string backend, ServerContext context, BanDatabase? database)
    {
        Name = name;
        Backend = backend;
        _context = context;
        Database = database;
        _log = context.Loggers.CreateLogger("sharpban.actions");
        _filterLog = context.Loggers.CreateLogger("sharpban.filter");
        Ignore = new IgnoreRules(context.Dns, context.Self);
    }

    public string Name { get; }

    public string Backend { get; }

    public BanDatabase? Database { get; }

    public bool IsRunning { get; private set; }

    public bool Idle { get; set; }

    public FailManager Failures { get; } = new();

    public BanManager Bans { get; } = new();

    public IgnoreRules Ignore { get; }

    public BanTimeIncrement Increment { get; set; } = new();

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

    public Dictionary<string, CommandAction> Actions { get; } = new(StringComparer.Ordinal);

    public List<string> ActionOrder { get; } = [];

    public bool IsJournal => Backend.StartsWith("systemd", StringComparison.Ordinal);

    /// <summary>The filter of the jail, rebuilt after a filter option changed.</summary>
    public LogFilter Filter => _filter ??= BuildFilter();

    public void InvalidateFilter() => _filter = null;

    public async Task StartAsync()
    {
        _ = Filter; // compile now so regex errors surface at start
        Failures.Cleanup(_context.Now(), force: true);
        IsRunning = true;
        _actionWorker = Task.Run(RunActionQueueAsync);
        var now = _context.Now();
        foreach (var action in CommandActions)
        {
            Enqueue(() => action.StartAsync(now, _stopping.Token));
        }

        BeginNativeStart();
        await RestoreBansAsync().ConfigureAwait(false);
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
            Enqueue(() => action.StopAsync(now, CancellationToken.None));
        }

        _actionQueue.Writer.TryComplete();
        if (_actionWorker is not null)
        {
            await _actionWorker.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _actionQueue.Writer.TryComplete();
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

    private Task DrainCommandsAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_actionQueue.Writer.TryWrite(() =>
        {
            done.SetResult();
            return Task.CompletedTask;
        }))
        {
            done.SetResult();
        }

        return done.Task;
    }

    private void Enqueue(Func<Task> work)
    {
        if (!_actionQueue.Writer.TryWrite(work))
        {
            Log.ActionDropped(_log, Name);
        }
    }

    private async Task RunActionQueueAsync()
    {
        await foreach (var work in _actionQueue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // deliberate: one failing action command must not stop the jail's action queue
                Log.ActionException(_log, Name, e.Message);
            }
        }
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
            LogTimeZone = LogTimeZone,
        };
        var mode = FilterMode.Server with { FindTime = Failures.FindTime };
        return new LogFilter(settings, mode, _context.Clock, DateTemplateCache.ForClock(_context.Time), _context.Dns);
    }
}

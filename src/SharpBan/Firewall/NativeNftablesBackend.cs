using System.Text;
using SharpBan.Engine.Firewall;

namespace SharpBan.Firewall;

/// <summary>
/// The native nftables backend: one table of ours (<c>inet sharpban-native</c>) holding, per jail, a base
/// chain, one set of addresses per address family and one set of networks per family and prefix length. Ban and unban requests of all jails go through one
/// <see cref="NftBatchQueue"/>, so requests arriving together become one transaction. Stopping the last
/// jail deletes the table, which removes exactly what the backend created.
/// </summary>
internal sealed class NativeNftablesBackend : IAsyncDisposable
{
    /// <summary>How long the queue waits after a first request for others to join its transaction.</summary>
    public static readonly TimeSpan DefaultBatchWindow = TimeSpan.FromMilliseconds(5);

    private readonly NftBatchQueue _queue;
    private readonly INftablesRunner _runner;
    private readonly Dictionary<string, NativeNftablesJail> _jails = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public NativeNftablesBackend(INftablesRunner runner, TimeProvider timeProvider, TimeSpan? batchWindow = null,
        string table = NftScript.DefaultTable)
    {
        _runner = runner;
        _queue = new NftBatchQueue(runner, timeProvider, batchWindow ?? DefaultBatchWindow);
        Table = table;
    }

    public string Table { get; }

    /// <summary>Transactions sent to nft so far.</summary>
    public int Transactions => _queue.Transactions;

    /// <summary>
    /// Creates the jail's chain and sets (replacing left-overs of an earlier run) and loads
    /// <paramref name="persisted"/> bans, all in one transaction.
    /// </summary>
    public async Task<NativeNftablesJail> StartAsync(NativeJailSettings settings, IEnumerable<BanEntry> persisted,
        CancellationToken cancellationToken)
    {
        var jail = new NativeNftablesJail(this, settings);
        var script = new StringBuilder();
        NftScript.AppendStartJail(script, Table, settings);
        jail.AppendBans(script, persisted);
        Task<NftRunResult> run;
        lock (_lock)
        {
            if (!_jails.TryAdd(settings.Name, jail))
            {
                throw new InvalidOperationException($"jail '{settings.Name}' is already started");
            }

            run = _queue.RunAsync(script.ToString());
        }

        var result = await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            lock (_lock)
            {
                _jails.Remove(settings.Name);
            }

            throw NftablesException.From($"start jail '{settings.Name}'", result);
        }

        return jail;
    }

    /// <summary>
    /// Whether the jail's chain is still in the kernel (another program may have flushed the ruleset or deleted our
    /// table) and, for <paramref name="banned"/>, whether its element is still in its set (a set flushed or the element
    /// deleted by hand). A read-only query, run beside the batch queue so that its failure cannot fail anyone's
    /// transaction.
    /// </summary>
    public async Task<bool> IsIntactAsync(NativeNftablesJail jail, NftTarget? banned, CancellationToken cancellationToken)
    {
        var script = $"list chain {NftScript.TableFamily} {Table} {NftScript.ChainName(jail.Settings.Name)}\n";
        if (banned is { } target && jail.ElementQuery(target) is { } query)
        {
            script += query;
        }

        return (await _runner.RunAsync(script, cancellationToken).ConfigureAwait(false)).Succeeded;
    }

    /// <summary>
    /// Creates a jail's chain and sets again with <paramref name="bans"/> in one transaction (after
    /// <see cref="IsIntactAsync"/> found them gone); the jail's handle stays the same.
    /// </summary>
    public async Task RestartAsync(NativeNftablesJail jail, IEnumerable<BanEntry> bans, CancellationToken cancellationToken)
    {
        var script = new StringBuilder();
        NftScript.AppendStartJail(script, Table, jail.Settings);
        jail.Forget();
        jail.AppendBans(script, bans);
        try
        {
            await EnqueueAndCheckAsync(script.ToString(), $"restart jail '{jail.Settings.Name}'", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (NftablesException)
        {
            jail.Forget(); // nothing of it was made; the next check finds the chain missing and restarts again
            throw;
        }
    }

    /// <summary>Stops every jail: deletes our table.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        NativeNftablesJail? any;
        lock (_lock)
        {
            any = _jails.Values.FirstOrDefault();
            _jails.Clear();
        }

        var script = new StringBuilder();
        var settings = any?.Settings ?? NativeJailSettings.Create("none", null, "tcp", BanMode.AllPorts);
        NftScript.AppendStopJail(script, Table, settings, wholeTable: true, []);
        await EnqueueAndCheckAsync(script.ToString(), "delete table " + Table, cancellationToken)
            .ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    internal async Task StopJailAsync(NativeNftablesJail jail, CancellationToken cancellationToken)
    {
        var script = new StringBuilder();
        Task<NftRunResult> run;
        lock (_lock)
        {
            if (!_jails.Remove(jail.Settings.Name))
            {
                return;
            }

            NftScript.AppendStopJail(script, Table, jail.Settings, wholeTable: _jails.Count == 0, jail.NetSets());
            run = _queue.RunAsync(script.ToString());
        }

        var result = await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw NftablesException.From($"stop jail '{jail.Settings.Name}'", result);
        }
    }

    internal async Task EnqueueAndCheckAsync(string script, string what, CancellationToken cancellationToken)
    {
        if (script.Length == 0)
        {
            return;
        }

        var result = await _queue.RunAsync(script).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw NftablesException.From(what, result);
        }
    }
}

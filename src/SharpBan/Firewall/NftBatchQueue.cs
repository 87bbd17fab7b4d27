using System.Text;
using System.Threading.Channels;

namespace SharpBan.Firewall;

/// <summary>
/// Coalesces scripts that arrive within <c>window</c> of the first one into a single transaction, run by
/// one consumer in arrival order (so a ban is never overtaken by its unban). If a combined transaction
/// fails, each script of it is retried alone, so one bad request does not fail the others.
/// </summary>
internal sealed class NftBatchQueue : IAsyncDisposable
{
    private readonly INftablesRunner _runner;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _window;
    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _consumer;
    private int _transactions;

    public NftBatchQueue(INftablesRunner runner, TimeProvider timeProvider, TimeSpan window)
    {
        _runner = runner;
        _timeProvider = timeProvider;
        _window = window;
        _consumer = Task.Run(ConsumeAsync);
    }

    /// <summary>Transactions run so far (combined ones and retries).</summary>
    public int Transactions => Volatile.Read(ref _transactions);

    /// <summary>Queues a script; the task ends when the transaction holding it has run.</summary>
    public Task<NftRunResult> RunAsync(string script)
    {
        var pending = new Pending(script);
        ObjectDisposedException.ThrowIf(!_channel.Writer.TryWrite(pending), this);

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }

    private async Task ConsumeAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<Pending>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_window > TimeSpan.Zero)
            {
                await Task.Delay(_window, _timeProvider).ConfigureAwait(false);
            }

            batch.Clear();
            while (reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await RunBatchAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task RunBatchAsync(List<Pending> batch)
    {
        var combined = batch.Count == 1 ? batch[0].Script : Combine(batch);
        var result = await RunOneAsync(combined).ConfigureAwait(false);
        if (result.Succeeded || batch.Count == 1)
        {
            foreach (var p in batch)
            {
                p.Completion.TrySetResult(result);
            }

            return;
        }

        foreach (var p in batch)
        {
            p.Completion.TrySetResult(await RunOneAsync(p.Script).ConfigureAwait(false));
        }
    }

    private async Task<NftRunResult> RunOneAsync(string script)
    {
        Interlocked.Increment(ref _transactions);
        try
        {
            return await _runner.RunAsync(script, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or NftablesException
                                       or System.ComponentModel.Win32Exception)
        {
            // The runner could not run at all (nft missing, process start failed): the request fails, the queue goes on.
            return new NftRunResult(-1, ex.Message);
        }
    }

    private static string Combine(List<Pending> batch)
    {
        var length = 0;
        foreach (var p in batch)
        {
            length += p.Script.Length + 1;
        }

        var sb = new StringBuilder(length);
        foreach (var p in batch)
        {
            sb.Append(p.Script);
            if (p.Script.Length > 0 && p.Script[^1] != '\n')
            {
                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    private sealed class Pending(string script)
    {
        public string Script { get; } = script;

        public TaskCompletionSource<NftRunResult> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

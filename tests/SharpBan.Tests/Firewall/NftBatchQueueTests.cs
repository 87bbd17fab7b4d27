using Microsoft.Extensions.Time.Testing;
using SharpBan.Firewall;
using SharpBan.Tests.Support;

namespace SharpBan.Tests.Firewall;

public sealed class NftBatchQueueTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task RunAsync_RequestsWithinWindow_OneTransactionInOrder()
    {
        var runner = new FakeNftablesRunner();
        var time = new SignallingTimeProvider();
        await using var queue = new NftBatchQueue(runner, time, Window);
        var tasks = new[] { queue.RunAsync("a\n"), queue.RunAsync("b"), queue.RunAsync("c\n") };
        await WaitForTimerAsync(time);
        time.Advance(Window);
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal("a\nb\nc\n", Assert.Single(runner.Scripts));
        Assert.Equal(1, queue.Transactions);
    }

    [Fact]
    public async Task RunAsync_CombinedFails_EachRetriedAloneAndOnlyTheBadOneFails()
    {
        var runner = new FakeNftablesRunner
        {
            Respond = s => s.Contains("bad", StringComparison.Ordinal) ? new NftRunResult(1, "Error: bad") : NftRunResult.Success,
        };
        var time = new SignallingTimeProvider();
        await using var queue = new NftBatchQueue(runner, time, Window);
        var good = queue.RunAsync("good1\n");
        var bad = queue.RunAsync("bad\n");
        var good2 = queue.RunAsync("good2\n");
        await WaitForTimerAsync(time);
        time.Advance(Window);
        Assert.True((await good).Succeeded);
        Assert.Equal("Error: bad", (await bad).Error);
        Assert.True((await good2).Succeeded);
        Assert.Equal(["good1\nbad\ngood2\n", "good1\n", "bad\n", "good2\n"], runner.Scripts);
    }

    [Fact]
    public async Task RunAsync_ZeroWindow_RunsWithoutWaitingForTheClock()
    {
        var runner = new FakeNftablesRunner();
        await using var queue = new NftBatchQueue(runner, new FakeTimeProvider(), TimeSpan.Zero);
        Assert.True((await queue.RunAsync("x\n")).Succeeded);
    }

    [Fact]
    public async Task RunAsync_RunnerThrows_RequestFailsQueueContinues()
    {
        var calls = 0;
        var runner = new FakeNftablesRunner
        {
            Respond = _ => ++calls == 1 ? throw new IOException("nft not found") : NftRunResult.Success,
        };
        await using var queue = new NftBatchQueue(runner, new FakeTimeProvider(), TimeSpan.Zero);
        var first = await queue.RunAsync("x\n");
        Assert.Equal(-1, first.ExitCode);
        Assert.Equal("nft not found", first.Error);
        Assert.True((await queue.RunAsync("y\n")).Succeeded);
    }

    /// <summary>Waits until the consumer sits in its coalescing delay (advancing before that would be lost).</summary>
    internal static Task WaitForTimerAsync(FakeTimeProvider time) =>
        ((SignallingTimeProvider)time).TimerCreated.WaitAsync(TimeSpan.FromSeconds(10));
}

using System.Collections.Concurrent;
using SharpBan.Server.Jails;

namespace SharpBan.Tests.Server.Jails;

public class ActionSchedulerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TryEnqueue_SameAddress_RunsInOrderWhileOtherAddressesRun()
    {
        var log = new ConcurrentQueue<string>();
        var banA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var scheduler = new ActionScheduler(4, e => log.Enqueue("error " + e.Message));
        scheduler.TryEnqueue("a", async () => { await banA.Task; log.Enqueue("ban a"); });
        scheduler.TryEnqueue("a", () => Record(log, "unban a"));
        scheduler.TryEnqueue("b", () => { log.Enqueue("ban b"); bDone.SetResult(); return Task.CompletedTask; });

        await bDone.Task.WaitAsync(Wait); // b is not held up by a
        Assert.Equal(["ban b"], log);
        banA.SetResult();
        await DrainAsync(scheduler);
        Assert.Equal(["ban b", "ban a", "unban a"], log);
    }

    [Fact]
    public async Task Waiting_CountsQueuedAndRunningWorkPerLaneUntilItHasRun()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var scheduler = new ActionScheduler(2, _ => { }, new Dictionary<string, int> { ["mail"] = 1 });
        for (var i = 0; i < 5; i++)
        {
            scheduler.TryEnqueue("mail", $"ip{i}", () => release.Task); // one runs, four wait for the lane's slot
        }

        scheduler.TryEnqueue("firewall", "ip0", () => Task.CompletedTask);
        scheduler.TryEnqueue("mail", null, () => Task.CompletedTask); // the lane's barrier waits too
        await TestDaemon.WaitUntilAsync(() => scheduler.Waiting == 6, "6 waiting"); // the firewall's work ran at once
        Assert.Equal([("mail", 6)], scheduler.WaitingByLane());

        release.SetResult();
        await TestDaemon.WaitUntilAsync(() => scheduler.Waiting == 0, "none waiting");
        Assert.Empty(scheduler.WaitingByLane());
    }

    [Fact]
    public async Task TryEnqueue_Barrier_WaitsForEverythingBeforeIt()
    {
        var log = new ConcurrentQueue<string>();
        var ban = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var scheduler = new ActionScheduler(4, e => log.Enqueue("error " + e.Message));
        scheduler.TryEnqueue("a", async () => { await ban.Task; log.Enqueue("ban a"); });
        scheduler.TryEnqueue(null, () => Record(log, "stop"));
        scheduler.TryEnqueue("b", () => Record(log, "ban b"));

        await Task.Delay(50); // give a wrongly ordered stop the chance to run
        Assert.Empty(log);
        ban.SetResult();
        await DrainAsync(scheduler);
        Assert.Equal(["ban a", "stop", "ban b"], log);
    }

    [Fact]
    public async Task TryEnqueue_MoreThanConcurrency_StartsOnlyThatMany()
    {
        var started = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var scheduler = new ActionScheduler(2, _ => { });
        for (var i = 0; i < 5; i++)
        {
            scheduler.TryEnqueue($"ip{i}", async () =>
            {
                Interlocked.Increment(ref started);
                await release.Task;
            });
        }

        while (Volatile.Read(ref started) < 2)
        {
            await Task.Yield();
        }

        await Task.Delay(50);
        Assert.Equal(2, Volatile.Read(ref started));
        release.SetResult();
        await DrainAsync(scheduler);
        Assert.Equal(5, started);
    }

    /// <summary>A lane whose every slot hangs (a mail server that does not answer) holds up none of another lane's work.</summary>
    [Fact]
    public async Task TryEnqueue_OneLaneHangs_OtherLanesGoOn()
    {
        var hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firewall = 0;
        await using var scheduler = new ActionScheduler(2, _ => { }, new Dictionary<string, int> { ["mail"] = 1 });
        for (var i = 0; i < 5; i++)
        {
            scheduler.TryEnqueue("mail", $"ip{i}", () => hang.Task);
            scheduler.TryEnqueue("nftables", $"ip{i}", () =>
            {
                Interlocked.Increment(ref firewall);
                return Task.CompletedTask;
            });
        }

        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref firewall) < 5 && sw.Elapsed < Wait)
        {
            await Task.Delay(10);
        }

        Assert.Equal(5, Volatile.Read(ref firewall));
        hang.SetResult();
        await DrainAsync(scheduler);
    }

    /// <summary>A lane's own limit (an action's <c>concurrency</c>) bounds its work in flight; the same address stays in order per lane.</summary>
    [Fact]
    public async Task TryEnqueue_LaneLimit_StartsOnlyThatManyOfTheLane()
    {
        var started = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var scheduler = new ActionScheduler(8, _ => { }, new Dictionary<string, int> { ["hostsdeny"] = 1 });
        for (var i = 0; i < 3; i++)
        {
            scheduler.TryEnqueue("hostsdeny", $"ip{i}", async () =>
            {
                Interlocked.Increment(ref started);
                await release.Task;
            });
        }

        while (Volatile.Read(ref started) < 1)
        {
            await Task.Yield();
        }

        await Task.Delay(50);
        Assert.Equal(1, Volatile.Read(ref started));
        release.SetResult();
        await DrainAsync(scheduler);
        Assert.Equal(3, started);
    }

    [Fact]
    public async Task TryEnqueue_FailingWork_IsReportedAndTheRestRuns()
    {
        var log = new ConcurrentQueue<string>();
        await using var scheduler = new ActionScheduler(2, e => log.Enqueue("error " + e.Message));
        scheduler.TryEnqueue("a", () => throw new InvalidOperationException("boom"));
        scheduler.TryEnqueue("a", () => Record(log, "unban a"));
        await DrainAsync(scheduler);
        Assert.Equal(["error boom", "unban a"], log);
    }

    private static Task Record(ConcurrentQueue<string> log, string entry)
    {
        log.Enqueue(entry);
        return Task.CompletedTask;
    }

    private static Task DrainAsync(ActionScheduler scheduler)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        scheduler.TryEnqueue(null, () =>
        {
            done.SetResult();
            return Task.CompletedTask;
        });
        return done.Task.WaitAsync(Wait);
    }
}

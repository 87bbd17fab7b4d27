using Microsoft.Extensions.Time.Testing;

namespace SharpBan.Tests.Support;

/// <summary>A fake clock that tells when code under test has started waiting on it.</summary>
internal sealed class SignallingTimeProvider : FakeTimeProvider
{
    private TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a timer is created after the previous <see cref="Reset"/>.</summary>
    public Task TimerCreated => Volatile.Read(ref _timerCreated).Task;

    public void Reset() =>
        Volatile.Write(ref _timerCreated, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Volatile.Read(ref _timerCreated).TrySetResult();
        return timer;
    }
}

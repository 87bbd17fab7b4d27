using SharpBan.Engine.Actions;

namespace SharpBan.Engine.Tests.Actions;

/// <summary>
/// Records every command instead of running it; a script listed in <see cref="Failing"/> exits 1 once; one listed in
/// <see cref="Held"/> does not end before its task is completed. <see cref="Events"/> has "run SCRIPT" and "end SCRIPT".
/// </summary>
internal sealed class RecordingProcessRunner : IProcessRunner
{
    private readonly Lock _lock = new();

    public List<ShellCommand> Commands { get; } = [];

    public HashSet<string> Failing { get; } = [];

    /// <summary>Scripts that exit 1 every time.</summary>
    public HashSet<string> AlwaysFailing { get; } = [];

    /// <summary>Scripts that run until their source is completed.</summary>
    public Dictionary<string, TaskCompletionSource> Held { get; } = new(StringComparer.Ordinal);

    /// <summary>When each command began and ended, in order.</summary>
    public List<string> Events { get; } = [];

    public async Task<ProcessResult> RunAsync(ShellCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        bool fail;
        TaskCompletionSource? hold;
        lock (_lock)
        {
            Commands.Add(command);
            Events.Add("run " + command.Script);
            fail = Failing.Remove(command.Script) || AlwaysFailing.Contains(command.Script);
            hold = Held.GetValueOrDefault(command.Script);
        }

        if (hold is not null)
        {
            await hold.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        lock (_lock)
        {
            Events.Add("end " + command.Script);
        }

        return new ProcessResult(fail ? 1 : 0, "");
    }

    /// <summary>A copy of <see cref="Events"/>, taken under the runner's lock.</summary>
    public List<string> EventsNow()
    {
        lock (_lock)
        {
            return [.. Events];
        }
    }
}

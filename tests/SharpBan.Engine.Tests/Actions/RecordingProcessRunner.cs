using SharpBan.Engine.Actions;

namespace SharpBan.Engine.Tests.Actions;

/// <summary>Records every command instead of running it; a script listed in <see cref="Failing"/> exits 1 once.</summary>
internal sealed class RecordingProcessRunner : IProcessRunner
{
    public List<ShellCommand> Commands { get; } = [];

    public HashSet<string> Failing { get; } = [];

    /// <summary>Scripts that exit 1 every time.</summary>
    public HashSet<string> AlwaysFailing { get; } = [];

    public Task<ProcessResult> RunAsync(ShellCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Commands.Add(command);
        var fail = Failing.Remove(command.Script) || AlwaysFailing.Contains(command.Script);
        return Task.FromResult(new ProcessResult(fail ? 1 : 0, ""));
    }
}

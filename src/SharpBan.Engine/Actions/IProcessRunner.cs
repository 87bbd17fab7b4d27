namespace SharpBan.Engine.Actions;

/// <summary>Runs shell commands (<c>/bin/sh -c</c>); the only way actions and ignorecommand touch the OS.</summary>
internal interface IProcessRunner
{
    /// <summary>Runs <paramref name="command"/>; a timeout kills it and reports <see cref="ProcessResult.TimedOut"/>.</summary>
    public Task<ProcessResult> RunAsync(ShellCommand command, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Exit status and combined output of a command.</summary>
internal sealed record ProcessResult(int ExitCode, string Output, bool TimedOut = false)
{
    public bool Success => ExitCode == 0 && !TimedOut;
}

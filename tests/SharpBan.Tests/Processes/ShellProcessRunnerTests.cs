using SharpBan.Engine.Actions;
using SharpBan.Processes;

namespace SharpBan.Tests.Processes;

/// <summary>The fallback runner (a <c>/bin/sh -c</c> per command, for what a shell worker cannot encode).</summary>
public sealed class ShellProcessRunnerTests
{
    /// <summary>As with the shell workers, a command that floods its output keeps only the first 64 KiB in memory.</summary>
    [Fact]
    public async Task RunAsync_HugeOutput_IsTruncatedAndTheStatusStillRead()
    {
        var result = await new ShellProcessRunner().RunAsync(
            new ShellCommand("yes abcdefghijklmnopqrstuvwxyz | head -n 200000; exit 3", new Dictionary<string, string>(StringComparer.Ordinal)),
            TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("abcdefghijklmnopqrstuvwxyz\nabcdefghijklmnopqrstuvwxyz\n", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("[output truncated]\n", result.Output, StringComparison.Ordinal);
        Assert.InRange(result.Output.Length, ShellWorkerReply.MaxOutput, ShellWorkerReply.MaxOutput + 100);
    }
}

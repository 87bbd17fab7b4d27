using SharpBan.Engine.Actions;
using SharpBan.Processes;
using SharpBan.Tests.Support;

namespace SharpBan.Tests.Processes;

/// <summary>The fallback runner (a <c>/bin/sh -c</c> per command, for what a shell worker cannot encode).</summary>
[Collection(AloneCollection.Name)] // the flood test counts the process's allocations: 2 GiB of another test's failed it in CI
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

    /// <summary>
    /// Output without line breaks is capped as well: the runner reads bytes, not lines (a line reader holds a line whole
    /// until its end, here never: gigabytes before the timeout).
    /// </summary>
    [Fact]
    public async Task RunAsync_FloodWithoutLineBreaks_KeepsTheCapAndStaysSmall()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await new ShellProcessRunner().RunAsync(
            new ShellCommand("yes abcdefghijklmnopqrstuvwxyz | tr -d '\\n'", new Dictionary<string, string>(StringComparer.Ordinal)),
            TimeSpan.FromSeconds(3), CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(result.TimedOut);
        Assert.StartsWith("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("\n[output truncated]\n", result.Output, StringComparison.Ordinal);
        Assert.InRange(result.Output.Length, ShellWorkerReply.MaxOutput, ShellWorkerReply.MaxOutput + 100);
        Assert.True(allocated < 256L << 20, $"{allocated >> 20} MiB allocated while the command ran"); // the whole process, alone in it
    }

    /// <summary>Standard error is kept too, and a command's exit status is its own.</summary>
    [Fact]
    public async Task RunAsync_OutputOnBothStreams_KeptWithTheStatus()
    {
        var result = await new ShellProcessRunner().RunAsync(
            new ShellCommand("echo out; echo err >&2; exit 7", new Dictionary<string, string>(StringComparer.Ordinal)),
            TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(7, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.Equal(["err", "out"], result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }
}

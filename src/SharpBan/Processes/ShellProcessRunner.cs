using System.Diagnostics;
using System.Text;
using SharpBan.Engine.Actions;

namespace SharpBan.Processes;

/// <summary>Runs action commands as <c>/bin/sh -c SCRIPT</c>, values from log lines passed in the environment only.</summary>
internal sealed class ShellProcessRunner : IProcessRunner
{
    public async Task<ProcessResult> RunAsync(ShellCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command.Script);
        foreach (var (name, value) in command.Environment)
        {
            psi.Environment[name] = value;
        }

        using var process = new Process { StartInfo = psi };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return new ProcessResult(-1, Text(output), TimedOut: true);
        }

        return new ProcessResult(process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            // as the shell workers: the first 64 KiB are kept, so a command that floods its output (a runaway loop until
            // its timeout) cannot fill the daemon's memory
            if (output.Length < ShellWorkerReply.MaxOutput)
            {
                output.AppendLine(line.Length <= ShellWorkerReply.MaxOutput ? line : line[..ShellWorkerReply.MaxOutput]);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.Length < ShellWorkerReply.MaxOutput ? output.ToString() : output + "[output truncated]\n";
        }
    }
}

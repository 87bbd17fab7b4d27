using System.Diagnostics;
using System.Text;
using SharpBan.Engine.Actions;

namespace SharpBan.Processes;

/// <summary>Runs action commands as <c>/bin/sh -c SCRIPT</c>, values from log lines passed in the environment only.</summary>
internal sealed class ShellProcessRunner : IProcessRunner
{
    /// <summary>How long output still in the pipes is read after the command ended (a child it left may hold them open).</summary>
    private static readonly TimeSpan DrainAfterExit = TimeSpan.FromSeconds(1);

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
        process.Start();
        process.StandardInput.Close();
        var output = new OutputCapture();
        var reading = Task.WhenAll(output.ReadAsync(process.StandardOutput.BaseStream), output.ReadAsync(process.StandardError.BaseStream));
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            timedOut = true;
        }

        try
        {
            await reading.WaitAsync(DrainAfterExit, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // deliberate: a background child keeps the pipes open; the output so far is the command's
        }

        return new ProcessResult(timedOut ? -1 : process.ExitCode, output.Text(), TimedOut: timedOut);
    }

    /// <summary>
    /// Standard output and error as they come, as bytes: as with the shell workers the first 64 KiB are kept and the rest
    /// is read and dropped, so a command that floods its output (a runaway loop until its timeout, with or without line
    /// breaks) cannot fill the daemon's memory.
    /// </summary>
    private sealed class OutputCapture
    {
        private readonly Lock _gate = new();
        private readonly byte[] _kept = new byte[ShellWorkerReply.MaxOutput];
        private int _length;
        private bool _truncated;

        public async Task ReadAsync(Stream stream)
        {
            var buffer = new byte[8192];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    Keep(buffer.AsSpan(0, read));
                }
            }
            catch (IOException)
            {
                // the pipe broke (the process tree was killed): what was read is kept
            }
        }

        public string Text()
        {
            lock (_gate)
            {
                var text = Encoding.UTF8.GetString(_kept, 0, _length);
                return _truncated ? text + (text.EndsWith('\n') ? "" : "\n") + "[output truncated]\n" : text;
            }
        }

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            lock (_gate)
            {
                var room = _kept.Length - _length;
                if (bytes.Length > room)
                {
                    _truncated = true;
                    bytes = bytes[..room];
                }

                bytes.CopyTo(_kept.AsSpan(_length));
                _length += bytes.Length;
            }
        }
    }
}

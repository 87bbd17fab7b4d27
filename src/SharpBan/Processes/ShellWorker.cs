using System.Diagnostics;
using System.Text;
using SharpBan.Engine.Actions;

namespace SharpBan.Processes;

/// <summary>
/// One long-lived <c>/bin/sh</c> reading requests (<see cref="ShellWorkerRequest"/>) from a pipe and running each
/// in a forked subshell: a fork without an exec instead of a new shell per command. One command at a time; a
/// timeout or cancellation kills the subshell's whole process tree, and a worker that stops answering is killed.
/// </summary>
internal sealed class ShellWorker : IDisposable
{
    /// <summary>After a timeout kill, how long the worker may take to report the end of the command.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly byte[] _buffer = new byte[4096];

    private ShellWorker(Process process)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
    }

    /// <summary>The worker's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The worker exited or broke the protocol; it must not be used again.</summary>
    public bool Dead { get; private set; }

    public static ShellWorker Start()
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-s");
        var process = Process.Start(psi) ?? throw new InvalidOperationException("/bin/sh did not start");
        var worker = new ShellWorker(process);
        try
        {
            // The worker's own diagnostics go to the same pipe (outside any command's markers they are dropped).
            worker._input.Write("exec 2>&1\n"u8);
            worker._input.Flush();
        }
        catch (IOException)
        {
            worker.Dead = true;
        }

        return worker;
    }

    /// <summary>
    /// Runs one encoded request. Null when the worker died before the command started (nothing ran; the caller may
    /// try another worker).
    /// </summary>
    public async Task<ProcessResult?> RunAsync(string request, string nonce, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Dead)
        {
            return null;
        }

        var reply = new ShellWorkerReply(nonce);
        try
        {
            await _input.WriteAsync(Encoding.UTF8.GetBytes(request), CancellationToken.None).ConfigureAwait(false);
            await _input.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            Dead = true;
            return null;
        }

        var timedOut = false;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var graceSource = new CancellationTokenSource();
        timeoutSource.CancelAfter(timeout);
        using var onTimeout = timeoutSource.Token.Register(() =>
        {
            timedOut = true;
            ProcessTree.KillChildren(_process.Id);
            graceSource.CancelAfter(KillGrace);
        });
        using var onGraceOver = graceSource.Token.Register(Kill);
        while (!reply.Done)
        {
            int read;
            try
            {
                // The grace token ends a read that a dead worker's orphaned background children keep open.
                read = await _output.ReadAsync(_buffer, graceSource.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                read = 0;
            }

            if (read == 0)
            {
                Kill();
                return reply.Started || timedOut
                    ? new ProcessResult(-1, reply.Output + "[the shell worker running this command exited]\n", timedOut)
                    : null;
            }

            reply.Feed(_buffer.AsSpan(0, read));
        }

        return timedOut ? new ProcessResult(-1, reply.Output, TimedOut: true) : new ProcessResult(reply.ExitCode, reply.Output);
    }

    /// <summary>Kills the worker and whatever it runs.</summary>
    public void Kill()
    {
        Dead = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Deliberate: the worker has already exited.
        }
    }

    /// <summary>Closes the request pipe: an idle worker reads end of file and exits.</summary>
    public void Dispose()
    {
        Dead = true;
        try
        {
            _input.Dispose();
        }
        catch (IOException)
        {
            // Deliberate: the worker is already gone, the pipe is broken; nothing to flush.
        }

        _process.Dispose();
    }
}

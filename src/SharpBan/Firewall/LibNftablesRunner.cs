using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace SharpBan.Firewall;

/// <summary>
/// Runs scripts in-process through libnftables (<c>nft_run_cmd_from_buffer</c>): no process per
/// transaction. One dedicated thread owns the nft context; with a network namespace name it first joins
/// <c>/var/run/netns/NAME</c> (<c>setns</c> only affects that thread, so the rest of the process stays
/// where it is). Measured against <see cref="NftProcessRunner"/> in docs/nftables-native.md.
/// </summary>
internal sealed class LibNftablesRunner : INftablesRunner, IDisposable
{
    private readonly BlockingCollection<(string Script, TaskCompletionSource<NftRunResult> Done)> _work = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LibNftablesRunner(string? networkNamespace = null)
    {
        _thread = new Thread(() => Work(networkNamespace)) { IsBackground = true, Name = "libnftables" };
        _thread.Start();
        _ready.Task.GetAwaiter().GetResult();
    }

    /// <summary>Whether libnftables can be loaded on this machine.</summary>
    public static bool IsAvailable => NativeLibrary.TryLoad(LibNftables.Library, out _);

    public Task<NftRunResult> RunAsync(string script, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<NftRunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add((script, done), cancellationToken);
        return done.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
    }

    private void Work(string? networkNamespace)
    {
        IntPtr context;
        try
        {
            if (networkNamespace is not null)
            {
                using var handle = File.OpenHandle(Path.Combine("/var/run/netns", networkNamespace));
                if (LibNftables.SetNamespace((int)handle.DangerousGetHandle(), LibNftables.CloneNewNet) != 0)
                {
                    throw new NftablesException($"setns({networkNamespace}) failed: errno {Marshal.GetLastPInvokeError()}");
                }
            }

            context = LibNftables.ContextNew(0);
            if (context == IntPtr.Zero)
            {
                throw new NftablesException("nft_ctx_new failed");
            }

            if (LibNftables.BufferOutput(context) != 0 || LibNftables.BufferError(context) != 0)
            {
                LibNftables.ContextFree(context);
                throw new NftablesException("nft_ctx_buffer_output/error failed");
            }
        }
        catch (Exception ex)
        {
            // Reported to the constructor, which throws it on the caller's thread.
            _ready.SetException(ex);
            return;
        }

        _ready.SetResult();
        try
        {
            foreach (var (script, done) in _work.GetConsumingEnumerable())
            {
                var exit = LibNftables.RunFromBuffer(context, script);
                _ = LibNftables.GetOutputBuffer(context);
                var error = Marshal.PtrToStringUTF8(LibNftables.GetErrorBuffer(context)) ?? "";
                done.SetResult(new NftRunResult(exit == 0 ? 0 : 1, error));
            }
        }
        finally
        {
            LibNftables.ContextFree(context);
        }
    }
}

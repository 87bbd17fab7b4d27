using System.Diagnostics;

namespace SharpBan.Firewall;

/// <summary>
/// Feeds a script to <c>nft -f -</c> (one process and one transaction per script); with a network
/// namespace name, through <c>ip netns exec NS nft -f -</c>.
/// </summary>
internal sealed class NftProcessRunner(string nft = "nft", string? networkNamespace = null) : INftablesRunner
{
    public async Task<NftRunResult> RunAsync(string script, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = networkNamespace is null ? nft : "ip",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (networkNamespace is not null)
        {
            foreach (var arg in new[] { "netns", "exec", networkNamespace, nft })
            {
                start.ArgumentList.Add(arg);
            }
        }

        start.ArgumentList.Add("-f");
        start.ArgumentList.Add("-");
        using var process = Process.Start(start) ?? throw new NftablesException($"could not start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.StandardInput.WriteAsync(script.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        catch (IOException) when (process.HasExited)
        {
            // nft exited before reading all of the script (a syntax error); its exit code and stderr tell why.
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        await stdout.ConfigureAwait(false);
        return new NftRunResult(process.ExitCode, await stderr.ConfigureAwait(false));
    }
}

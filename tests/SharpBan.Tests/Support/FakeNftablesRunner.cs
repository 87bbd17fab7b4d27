using System.Collections.Concurrent;
using SharpBan.Firewall;

namespace SharpBan.Tests.Support;

/// <summary>Records every script instead of running nft; answers with <see cref="Respond"/> (success by default).</summary>
internal sealed class FakeNftablesRunner : INftablesRunner
{
    public ConcurrentQueue<string> Scripts { get; } = new();

    public Func<string, NftRunResult> Respond { get; set; } = _ => NftRunResult.Success;

    public Task<NftRunResult> RunAsync(string script, CancellationToken cancellationToken)
    {
        Scripts.Enqueue(script);
        return Task.FromResult(Respond(script));
    }
}

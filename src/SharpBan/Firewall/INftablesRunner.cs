namespace SharpBan.Firewall;

/// <summary>Runs one nft script (the text <c>nft -f</c> reads) as one kernel transaction.</summary>
internal interface INftablesRunner
{
    public Task<NftRunResult> RunAsync(string script, CancellationToken cancellationToken);
}

/// <summary>The outcome of one script: exit code 0 means the whole transaction was committed.</summary>
internal readonly record struct NftRunResult(int ExitCode, string Error)
{
    public bool Succeeded => ExitCode == 0;

    public static NftRunResult Success { get; } = new(0, "");
}

namespace SharpBan.Firewall;

/// <summary>An nft transaction the kernel (or nft) refused; nothing of it was applied.</summary>
internal sealed class NftablesException : Exception
{
    public NftablesException()
    {
    }

    public NftablesException(string message)
        : base(message)
    {
    }

    public NftablesException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static NftablesException From(string what, NftRunResult result) =>
        new($"nft failed to {what} (exit {result.ExitCode}): {result.Error.Trim()}");
}

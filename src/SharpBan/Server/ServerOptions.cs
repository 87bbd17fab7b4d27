namespace SharpBan.Server;

/// <summary>Command-line options of <c>sharpban server</c> (fail2ban-server's, as far as they apply).</summary>
internal sealed record ServerOptions
{
    public required string ConfigDirectory { get; init; }

    public bool Foreground { get; init; }

    public bool Force { get; init; }

    public string? Socket { get; init; }

    public string? PidFile { get; init; }

    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    /// <summary>The arguments that start the same server again (in the foreground), for detaching.</summary>
    public List<string> ToArguments()
    {
        var args = new List<string> { "server", "-f", "-c", ConfigDirectory };
        if (Force)
        {
            args.Add("-x");
        }

        if (Socket is not null)
        {
            args.AddRange(["-s", Socket]);
        }

        if (PidFile is not null)
        {
            args.AddRange(["-p", PidFile]);
        }

        foreach (var (key, value) in Overrides)
        {
            args.AddRange(["--" + key, value]);
        }

        return args;
    }
}

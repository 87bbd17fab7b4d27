namespace SharpBan.Engine.Firewall;

/// <summary>
/// What the native nftables backend needs to know about one jail, validated: every value here may be
/// written into an nft script as is. Built with <see cref="Create"/>, which throws
/// <see cref="ArgumentException"/> with a message naming the bad value.
/// </summary>
internal sealed record NativeJailSettings
{
    private static readonly string[] KnownProtocols = ["tcp", "udp", "sctp", "dccp", "udplite"];
    private static readonly string[] KnownBlockTypes = ["reject", "drop"];
    private static readonly string[] KnownHooks = ["input", "forward"];

    private NativeJailSettings(string name, BanMode mode, IReadOnlyList<string> protocols, IReadOnlyList<string> ports,
        NftFamily families, string blockType, string hook, int priority)
    {
        Name = name;
        Mode = mode;
        Protocols = protocols;
        Ports = ports;
        Families = families;
        BlockType = blockType;
        Hook = hook;
        Priority = priority;
    }

    /// <summary>The jail name (letters, digits, <c>_ . -</c>); names the jail's sets and chain.</summary>
    public string Name { get; }

    public BanMode Mode { get; }

    /// <summary>Layer-4 protocols, e.g. <c>tcp</c>, <c>udp</c>.</summary>
    public IReadOnlyList<string> Protocols { get; }

    /// <summary>Ports in nft syntax (<c>22</c>, <c>ssh</c>, <c>1000-2000</c>); empty in all-ports mode.</summary>
    public IReadOnlyList<string> Ports { get; }

    public NftFamily Families { get; }

    /// <summary><c>reject</c> (an ICMP/TCP answer) or <c>drop</c>.</summary>
    public string BlockType { get; }

    /// <summary>Netfilter hook of the jail's base chain: <c>input</c> or <c>forward</c>.</summary>
    public string Hook { get; }

    public int Priority { get; }

    public static NativeJailSettings Create(string name, string? port, string protocol, BanMode mode,
        NftFamily families = NftFamily.Both, string blockType = "reject", string hook = "input", int priority = -1)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"jail name '{name}' cannot name an nftables set: use 1 to 48 letters, digits, '_', '.' or '-'",
                nameof(name));
        }

        var protocols = SplitList(protocol);
        if (protocols.Count == 0)
        {
            throw new ArgumentException("protocol is empty", nameof(protocol));
        }

        foreach (var p in protocols)
        {
            if (!KnownProtocols.Contains(p, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"protocol '{p}' is not supported (use {string.Join(", ", KnownProtocols)})", nameof(protocol));
            }
        }

        IReadOnlyList<string> ports = mode == BanMode.AllPorts ? [] : NftPortList.Parse(port ?? "");
        if ((families & NftFamily.Both) == NftFamily.None)
        {
            throw new ArgumentException("no address family selected", nameof(families));
        }

        if (!KnownBlockTypes.Contains(blockType, StringComparer.Ordinal))
        {
            throw new ArgumentException($"blocktype '{blockType}' is not supported (use reject or drop)",
                nameof(blockType));
        }

        if (!KnownHooks.Contains(hook, StringComparer.Ordinal))
        {
            throw new ArgumentException($"chain '{hook}' is not supported (use input or forward)", nameof(hook));
        }

        return new NativeJailSettings(name, mode, protocols, ports, families & NftFamily.Both, blockType, hook,
            priority);
    }

    /// <summary>The same settings: every value equal, the lists element by element (a record compares lists by reference).</summary>
    public bool Equals(NativeJailSettings? other) =>
        other is not null && Name == other.Name && Mode == other.Mode && Protocols.SequenceEqual(other.Protocols, StringComparer.Ordinal)
        && Ports.SequenceEqual(other.Ports, StringComparer.Ordinal) && Families == other.Families && BlockType == other.BlockType
        && Hook == other.Hook && Priority == other.Priority;

    public override int GetHashCode() => HashCode.Combine(Name, Mode, Families, BlockType, Hook, Priority, Protocols.Count, Ports.Count);

    internal static List<string> SplitList(string text) =>
        text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 48)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

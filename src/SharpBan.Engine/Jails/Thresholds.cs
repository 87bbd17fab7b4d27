namespace SharpBan.Engine.Jails;

/// <summary>
/// The <c>thresholds</c> jail option (a SharpBan extension): extra pairs <c>COUNT/TIME</c> besides maxretry/findtime,
/// separated by white space (<c>10/1d 30/1w</c>); reaching any of them bans. Empty is off, the default.
/// </summary>
internal sealed class Thresholds
{
    private Thresholds(IReadOnlyList<Threshold> pairs)
    {
        Pairs = pairs;
        LargestCount = pairs.Count == 0 ? 0 : pairs.Max(static p => p.Count);
        LongestWindow = pairs.Count == 0 ? 0 : pairs.Max(static p => p.Seconds);
    }

    public static Thresholds Off { get; } = new([]);

    /// <summary>The pairs in the order written: the first one reached is the one reported.</summary>
    public IReadOnlyList<Threshold> Pairs { get; }

    public bool Enabled => Pairs.Count > 0;

    /// <summary>The largest count of a pair.</summary>
    public int LargestCount { get; }

    /// <summary>The longest window of a pair, in seconds.</summary>
    public double LongestWindow { get; }

    /// <summary>The pairs as <c>get</c> answers and the stream carries them, one space apart.</summary>
    public override string ToString() => string.Join(' ', Pairs);

    /// <summary>Reads the option's value; empty or white space is <see cref="Off"/>.</summary>
    /// <exception cref="FormatException">A word is not a valid pair (the message names it).</exception>
    public static Thresholds Parse(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? Off : new Thresholds([.. words.Select(Threshold.Parse)]);
    }
}

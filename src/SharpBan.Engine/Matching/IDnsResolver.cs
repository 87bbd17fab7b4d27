namespace SharpBan.Engine.Matching;

/// <summary>Host-name resolution for <c>&lt;HOST&gt;</c> matches that are names (usedns yes/warn).</summary>
public interface IDnsResolver
{
    /// <summary>The addresses of <paramref name="host"/> as text; empty when it does not resolve.</summary>
    public IReadOnlyList<string> Resolve(string host);

    /// <summary>A <c>usedns = warn</c> filter took <paramref name="addresses"/> for the name <paramref name="text"/> (to be reported).</summary>
    public void Determined(string text, IReadOnlyList<string> addresses)
    {
    }
}

/// <summary>A resolver that never resolves anything (usedns no, tests).</summary>
public sealed class NoDnsResolver : IDnsResolver
{
    public static NoDnsResolver Instance { get; } = new();

    public IReadOnlyList<string> Resolve(string host) => [];
}

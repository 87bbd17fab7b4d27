namespace SharpBan.Engine.Matching;

/// <summary>Host-name resolution for <c>&lt;HOST&gt;</c> matches that are names (usedns yes/warn).</summary>
public interface IDnsResolver
{
    /// <summary>The addresses of <paramref name="host"/> as text; empty when it does not resolve.</summary>
    public IReadOnlyList<string> Resolve(string host);

    /// <summary>
    /// The addresses of <paramref name="host"/> if they are known soon enough; null when the lookup goes on in the
    /// background (the caller then gets them from <see cref="ResolveAsync"/>). By default it waits for the answer.
    /// </summary>
    public IReadOnlyList<string>? TryResolve(string host) => Resolve(host);

    /// <summary>The addresses of <paramref name="host"/>, without holding up the caller's thread where the resolver can.</summary>
    public Task<IReadOnlyList<string>> ResolveAsync(string host) => Task.FromResult(Resolve(host));

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

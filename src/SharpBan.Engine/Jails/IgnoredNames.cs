using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Jails;

/// <summary>
/// The addresses of a jail's <c>ignoreip</c> host names, kept apart from the resolver's shared cache (which names read
/// from log lines can flood). An answer is used for five minutes, as fail2ban caches it; then the name is looked up
/// again in the background and the old answer serves until the new one comes. So a slow or dead name server never
/// holds up the caller, and an ignored host is not counted while its name is being looked up again. Only a name whose
/// first lookup still runs has no answer: the caller waits for <see cref="FirstLookup"/> outside its lock.
/// </summary>
/// <remarks>Not thread-safe: used under the server's gate, as the rest of a jail's state.</remarks>
internal sealed class IgnoredNames(IDnsResolver dns, TimeProvider time)
{
    /// <summary>How long an answer is used before the name is looked up again (fail2ban's cache: five minutes).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, Answer> _answers = new(StringComparer.Ordinal);

    /// <summary>Starts the first lookup of <paramref name="name"/> without waiting for it (an entry just configured).</summary>
    public void Prime(string name)
    {
        if (!_answers.ContainsKey(name))
        {
            _answers[name] = Settled(new Answer(null, DateTimeOffset.MaxValue, dns.ResolveAsync(name)));
        }
    }

    /// <summary>
    /// The addresses of <paramref name="name"/>, possibly those of the last lookup while the next one runs; null while
    /// its first lookup runs longer than the resolver's patience (then <see cref="FirstLookup"/> gives it).
    /// </summary>
    public IReadOnlyList<string>? Addresses(string name)
    {
        if (!_answers.TryGetValue(name, out var answer))
        {
            var found = dns.TryResolve(name);
            answer = found is null
                ? new Answer(null, DateTimeOffset.MaxValue, dns.ResolveAsync(name))
                : new Answer(found, time.GetUtcNow() + Lifetime, null);
        }
        else if (answer.Lookup is null && time.GetUtcNow() >= answer.Expires)
        {
            answer = answer with { Lookup = dns.ResolveAsync(name) };
        }

        answer = Settled(answer);
        _answers[name] = answer;
        return answer.Addresses;
    }

    /// <summary>The first lookup of <paramref name="name"/> while it runs, else null.</summary>
    public Task? FirstLookup(string name) =>
        _answers.TryGetValue(name, out var answer) && answer.Addresses is null ? answer.Lookup : null;

    /// <summary><paramref name="answer"/> with its lookup's result taken once that lookup has ended.</summary>
    private Answer Settled(Answer answer) =>
        answer.Lookup is { IsCompleted: true } lookup
            ? new Answer(lookup.IsCompletedSuccessfully ? lookup.Result : answer.Addresses ?? [], time.GetUtcNow() + Lifetime, null)
            : answer;

    /// <param name="Addresses">The last answer; null before the first.</param>
    /// <param name="Expires">When the name is to be looked up again.</param>
    /// <param name="Lookup">The lookup running for it, if one.</param>
    private sealed record Answer(IReadOnlyList<string>? Addresses, DateTimeOffset Expires, Task<IReadOnlyList<string>>? Lookup);
}

using Microsoft.Extensions.Time.Testing;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Tests.Jails;

/// <summary>
/// ignoreip host names against a resolver whose answers the test hands out: a first lookup still running leaves the
/// name without an answer (the caller waits outside its lock), a later one serves the last answer until the new one
/// comes.
/// </summary>
public sealed class IgnoredNamesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SlowDns _dns = new();

    [Fact]
    public async Task Addresses_FirstLookupRunning_NullUntilItEnds()
    {
        var names = new IgnoredNames(_dns, _time);
        names.Prime("office.example");

        Assert.Null(names.Addresses("office.example"));
        var lookup = names.FirstLookup("office.example");
        Assert.NotNull(lookup);
        Assert.False(lookup.IsCompleted);

        _dns.Answer("office.example", "192.0.2.7");
        await lookup;
        Assert.Equal(["192.0.2.7"], names.Addresses("office.example"));
        Assert.Null(names.FirstLookup("office.example"));
        Assert.Equal(1, _dns.Lookups("office.example"));
    }

    [Fact]
    public void Addresses_AnsweredWithinPatience_AtOnce()
    {
        _dns.Answer("office.example", "192.0.2.7");
        var names = new IgnoredNames(_dns, _time);

        Assert.Equal(["192.0.2.7"], names.Addresses("office.example"));
        Assert.Null(names.FirstLookup("office.example"));
    }

    [Fact]
    public void Addresses_Expired_OldAnswerServesWhileTheNameIsLookedUpAgain()
    {
        _dns.Answer("office.example", "192.0.2.7");
        var names = new IgnoredNames(_dns, _time);
        Assert.Equal(["192.0.2.7"], names.Addresses("office.example"));

        _dns.Forget("office.example"); // the next lookup hangs
        _time.Advance(IgnoredNames.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(["192.0.2.7"], names.Addresses("office.example"));
        Assert.Equal(1, _dns.Lookups("office.example")); // not yet looked up again

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["192.0.2.7"], names.Addresses("office.example"));
        Assert.Equal(2, _dns.Lookups("office.example"));
        Assert.Null(names.FirstLookup("office.example")); // nobody has to wait: the old answer serves
        Assert.Equal(["192.0.2.7"], names.Addresses("office.example"));
        Assert.Equal(2, _dns.Lookups("office.example")); // one lookup at a time

        _dns.Answer("office.example", "192.0.2.8");
        Assert.Equal(["192.0.2.8"], names.Addresses("office.example"));
    }

    [Fact]
    public void Addresses_NameStopsResolving_EmptyAfterTheNextLookup()
    {
        _dns.Answer("office.example", "192.0.2.7");
        var names = new IgnoredNames(_dns, _time);
        Assert.Equal(["192.0.2.7"], names.Addresses("office.example"));

        _dns.Answer("office.example");
        _time.Advance(IgnoredNames.Lifetime);
        Assert.Empty(names.Addresses("office.example")!);
    }

    [Fact]
    public async Task IgnoreRules_NameStillResolving_UnresolvedGivesTheLookupOnlyForAddresses()
    {
        var rules = new IgnoreRules(_dns, new FixedSelfAddresses(), _time);
        rules.Add("office.example");
        rules.Add("198.51.100.0/24");

        Assert.Null(rules.Unresolved("alice")); // not an address: names do not matter to it
        var lookups = rules.Unresolved("192.0.2.7");
        Assert.NotNull(lookups);
        Assert.NotNull(rules.Unresolved("192.0.2.0/24"));

        _dns.Answer("office.example", "192.0.2.7");
        await lookups;
        Assert.Null(rules.Unresolved("192.0.2.7"));
        Assert.Equal("dns", await rules.CheckAsync("192.0.2.7", null, default));
        Assert.Null(await rules.CheckAsync("192.0.2.9", null, default));
        Assert.True(rules.TouchesNetwork(IpEntry.Parse("192.0.2.0/24")));
        Assert.Equal(1, _dns.Lookups("office.example"));
    }

    /// <summary>A resolver whose patience always runs out: each lookup ends when the test answers the name.</summary>
    private sealed class SlowDns : IDnsResolver
    {
        private readonly Dictionary<string, TaskCompletionSource<IReadOnlyList<string>>> _pending = [];
        private readonly Dictionary<string, IReadOnlyList<string>> _known = [];
        private readonly Dictionary<string, int> _lookups = [];

        public int Lookups(string host) => _lookups.GetValueOrDefault(host);

        public void Answer(string host, params string[] addresses)
        {
            _known[host] = addresses;
            if (_pending.Remove(host, out var lookup))
            {
                lookup.SetResult(addresses);
            }
        }

        public void Forget(string host) => _known.Remove(host);

        public IReadOnlyList<string> Resolve(string host) => throw new InvalidOperationException("a blocking lookup under the lock");

        public IReadOnlyList<string>? TryResolve(string host)
        {
            if (_known.TryGetValue(host, out var found))
            {
                return Count(host, found);
            }

            _ = StartLookup(host);
            return null;
        }

        public Task<IReadOnlyList<string>> ResolveAsync(string host) =>
            _known.TryGetValue(host, out var found) ? Task.FromResult(Count(host, found)) : StartLookup(host);

        private IReadOnlyList<string> Count(string host, IReadOnlyList<string> found)
        {
            _lookups[host] = Lookups(host) + 1;
            return found;
        }

        private Task<IReadOnlyList<string>> StartLookup(string host)
        {
            if (!_pending.TryGetValue(host, out var lookup))
            {
                _lookups[host] = Lookups(host) + 1;
                lookup = new TaskCompletionSource<IReadOnlyList<string>>();
                _pending[host] = lookup;
            }

            return lookup.Task;
        }
    }
}

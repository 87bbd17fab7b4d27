using BenchmarkDotNet.Attributes;
using SharpBan.Engine.Jails;

namespace SharpBan.Benchmarks;

/// <summary>
/// Per-failure cost of a jail's failure manager (what a failure line adds to the filter's cost): a failure of an
/// address already tracked, and a batch of failures of new addresses (a rotating attacker), below and beyond
/// <c>maxtracked</c>.
/// </summary>
[MemoryDiagnoser]
public class FailManagerBenchmarks
{
    private const int Batch = 10_000;
    private static readonly Dictionary<string, object?> NoData = [];
    private string[] _ids = null!;
    private string[] _matches = null!;
    private FailManager _existing = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _ids = [.. Enumerable.Range(0, Batch).Select(static i => $"2001:db8:{i >> 16:x}:{i & 0xffff:x}::1")];
        _matches = ["Aug 14 11:58:59 host sshd[1234]: Failed password for invalid user admin from 2001:db8::1 port 4242 ssh2"];
        _existing = new FailManager { MaxRetry = int.MaxValue, FindTime = 600, MaxMatches = 5 };
        foreach (var id in _ids.Take(1000))
        {
            _existing.AddFailure(id, 1000, _matches, NoData);
        }
    }

    /// <summary>A failure of one of 1000 tracked addresses.</summary>
    [Benchmark(Baseline = true)]
    public bool ExistingAddress()
    {
        _next = (_next + 1) % 1000;
        return _existing.AddFailure(_ids[_next], 1000 + _next, _matches, NoData) is null;
    }

    /// <summary>10,000 failures of new addresses into an empty manager, per failure.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int NewAddresses()
    {
        var manager = new FailManager { MaxRetry = 5, FindTime = 600, MaxMatches = 5 };
        for (var i = 0; i < _ids.Length; i++)
        {
            manager.AddFailure(_ids[i], 1000 + i, _matches, NoData);
        }

        return manager.Count;
    }

    /// <summary>As <see cref="NewAddresses"/> with <c>maxtracked</c> 1000: 9000 of the 10,000 make another one forgotten.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int NewAddressesBeyondMaxTracked()
    {
        var manager = new FailManager { MaxRetry = 5, FindTime = 600, MaxMatches = 5, MaxTracked = 1000 };
        for (var i = 0; i < _ids.Length; i++)
        {
            manager.AddFailure(_ids[i], 1000 + i, _matches, NoData);
        }

        return manager.Count;
    }
}

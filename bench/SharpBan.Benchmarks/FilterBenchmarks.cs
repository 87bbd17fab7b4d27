using BenchmarkDotNet.Attributes;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Benchmarks;

/// <summary>Per-line cost of the filter engine with a sshd-like filter: matching line, non-matching line, date only.</summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private const string Matching = "Aug 14 11:58:59 host sshd[1234]: Failed password for invalid user admin from 192.0.2.7 port 4242 ssh2";
    private const string NonMatching = "Aug 14 11:58:59 host sshd[1234]: Received disconnect from 192.0.2.7 port 4242:11: Bye Bye";

    private LogFilter _filter = null!;
    private DateDetector _dates = null!;

    [GlobalSetup]
    public void Setup()
    {
        var clock = new DateClock(TimeProvider.System, TimeZoneInfo.Utc);
        var cache = new DateTemplateCache(DateTime.UnixEpoch.Year + 56);
        _filter = new LogFilter(
            new FilterSettings
            {
                PrefRegex = @"^ \S+ sshd\[<F-MLFID>\d+</F-MLFID>\]: <F-CONTENT>.+</F-CONTENT>$",
                FailRegex = [@"^Failed \S+ for (?:invalid user )?<F-USER>\S+</F-USER> from <HOST>(?: port \d+)?(?: ssh\d*)?\s*$"],
                DatePattern = "{^LN-BEG}",
            },
            FilterMode.Server with { CheckFindTime = false },
            clock,
            cache);
        _dates = new DateDetector(cache, clock);
        _dates.AppendPattern("{^LN-BEG}");
    }

    [Benchmark]
    public int MatchingLine() => _filter.ProcessLine(Matching).Count;

    [Benchmark(Baseline = true)]
    public int NonMatchingLine() => _filter.ProcessLine(NonMatching).Count;

    [Benchmark]
    public double? DateParsing()
    {
        var m = _dates.MatchTime(Matching);
        return m is { } f ? _dates.GetTime(f.Hit, f.Template) : null;
    }
}

using BenchmarkDotNet.Attributes;
using SharpBan.Engine.Matching.Regex;
using DotNetRegex = System.Text.RegularExpressions.Regex;
using RegexOptions = System.Text.RegularExpressions.RegexOptions;

namespace SharpBan.Benchmarks;

/// <summary>
/// What the match timeout every user regex runs with costs: fail2ban's sshd "Failed … for …" failregex (tags expanded,
/// translated as the engine does, compiled) on the line it backtracks most on, with and without a timeout. .NET reads
/// the clock at the start of each search and at every backtracking step of a timed regex. Also the same regex without
/// the look-aheads <see cref="LookAheadHints"/> adds (what the engine ran before it).
/// </summary>
[MemoryDiagnoser]
public class RegexTimeoutBenchmarks
{
    private const string FailedPassword =
        @"^Failed (?:<F-NOFAIL>publickey</F-NOFAIL>|\S+) for (?P<cond_inv>invalid user )?<F-USER>(?P<cond_user>\S+)|(?(cond_inv)(?:(?! from ).)*?|[^:]+)</F-USER> from <HOST>(?: (?:port \d+|on \S+)){0,2}(?: ssh\d*)?(?(cond_user): |(?:(?:(?! from ).)*)$)";

    private const string Line = "Failed password for root from 192.0.2.7 port 51234 ssh2\n";
    private const string QuickMiss = "Accepted publickey for root from 192.0.2.7 port 51234 ssh2\n";

    private DotNetRegex _timed = null!;
    private DotNetRegex _untimed = null!;
    private DotNetRegex _unhinted = null!;

    [GlobalSetup]
    public void Setup()
    {
        var expanded = TagExpander.Expand(FailedPassword, Engine.Matching.UseDns.Warn);
        var pattern = PyRegexTranslator.Translate(LookAheadHints.Add(expanded)).Pattern;
        _timed = new DotNetRegex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, PyRegex.DefaultTimeout);
        _untimed = new DotNetRegex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        _unhinted = new DotNetRegex(PyRegexTranslator.Translate(expanded).Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, PyRegex.DefaultTimeout);
    }

    [Benchmark(Baseline = true)]
    public int BacktrackingTimed() => _timed.Match(Line).Length; // the engine reads the match, not just whether

    [Benchmark]
    public int BacktrackingUntimed() => _untimed.Match(Line).Length;

    [Benchmark]
    public int BacktrackingTimedWithoutHint() => _unhinted.Match(Line).Length;

    [Benchmark]
    public int QuickMissTimed() => _timed.Match(QuickMiss).Length;

    [Benchmark]
    public int QuickMissUntimed() => _untimed.Match(QuickMiss).Length;
}

using System.Diagnostics;
using SharpBan.Engine.Matching;

namespace SharpBan.RegexTool;

/// <summary>Feeds input lines to the filter and collects what the report or the machine output needs.</summary>
internal sealed class RegexRunner(LogFilter filter, RegexToolOptions options, TimeProvider time, Action<long, FilterHit>? onFailure)
{
    private const int MaxPrinted = 20;
    private bool _lineIgnored;

    public RegexStats Stats { get; } = new(filter.FailRegexes.Count, filter.IgnoreRegexes.Count);

    public void Run(IEnumerable<string> lines, Action<long>? progress = null)
    {
        filter.OnIgnoreRegex = i =>
        {
            Stats.IgnoreHits[i]++;
            _lineIgnored = true;
        };
        var start = Stopwatch.GetTimestamp();
        long number = 0;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        foreach (var raw in lines)
        {
            number++;
            if ((number & 0xFFFF) == 0)
            {
                progress?.Invoke(number);
            }

            var line = raw.TrimEnd('\r', '\n');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            _lineIgnored = false;
            var hits = options.Journal ? filter.ProcessLine(new LineTuple("", "", line), now) : filter.ProcessLine(line);
            var matched = false;
            var ignored = false;
            foreach (var hit in hits)
            {
                if (!options.Json && options.Out is null)
                {
                    Stats.FailHits[hit.FailRegexIndex]++;
                    if (options.Verbose > 0)
                    {
                        Stats.FailMatches[hit.FailRegexIndex].Add(hit);
                    }
                }

                if (PyValue.IsTrue(hit.Data.GetValueOrDefault("nofail")))
                {
                    ignored = true;
                    continue;
                }

                matched = true;
                if (hit.Id is not null)
                {
                    Stats.Failures++;
                    onFailure?.Invoke(number, hit);
                }
            }

            if (filter.LastPrefRegexMatched)
            {
                Stats.PrefMatched++;
            }

            ignored |= _lineIgnored;
            if (ignored)
            {
                Stats.Ignored++;
                if (!options.PrintNoIgnored && (options.PrintAllIgnored || Stats.Ignored <= MaxPrinted + 1))
                {
                    Stats.IgnoredLines.Add(line);
                }
            }
            else if (matched)
            {
                Stats.Matched++;
                if (options.PrintAllMatched)
                {
                    Stats.MatchedLines.Add(line);
                }
            }
            else
            {
                Stats.Missed++;
                if (!options.PrintNoMissed && (options.PrintAllMissed || Stats.Missed <= MaxPrinted + 1))
                {
                    Stats.MissedLines.Add(line);
                }
            }

            Stats.Tested++;
        }

        Stats.Elapsed = Stopwatch.GetElapsedTime(start);
    }
}

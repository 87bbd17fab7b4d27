using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using SharpBan.Engine.Matching;
using System.Runtime.CompilerServices;

namespace SharpBan.RegexTool;

/// <summary>Feeds input lines to the filter and collects what the report or the machine output needs.</summary>
internal sealed class RegexRunner(LogFilter filter, RegexToolOptions options, TimeProvider time, Action<long, FilterHit>? onFailure)
{
    private const int BatchSize = 64;
    private const int QueueCapacity = 4;
    private const long ProgressEvery = 0xFFFF;
    private bool _lineIgnored;

    /// <summary>
    /// With <c>-D --print-all-matched</c>: the earlier lines (without their dates) a multi-line match consumed while the
    /// current line was processed; fail2ban-regex lists them and the current line as one entry, joined by newlines.
    /// </summary>
    private readonly List<string> _consumed = [];

    public RegexStats Stats { get; } = new(filter.FailRegexes.Count, filter.IgnoreRegexes.Count);

    public void Run(IEnumerable<string> lines, Action<long>? progress = null)
    {
        filter.KeepPrefGroups = options.Verbose > 0;
        filter.OnIgnoreRegex = i =>
        {
            Stats.IgnoreHits[i]++;
            _lineIgnored = true;
        };
        var start = Stopwatch.GetTimestamp();
        if (filter.CanPipeline && !options.Journal)
        {
            RunPipelined(lines, progress);
        }
        else
        {
            long number = 0;
            var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
            foreach (var raw in lines)
            {
                number++;
                if ((number & ProgressEvery) == 0)
                {
                    progress?.Invoke(number);
                }

                var line = raw.TrimEnd('\r', '\n');
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var before = BufferBefore();
                if (options.Journal)
                {
                    var tuple = new LineTuple("", "", line);
                    Handle(number, line, tuple, filter.ProcessLine(tuple, now), before);
                }
                else
                {
                    var dated = filter.FindDate(line);
                    Handle(number, line, dated.Tuple, filter.ProcessDated(dated), before);
                }
            }
        }

        Stats.Elapsed = Stopwatch.GetElapsedTime(start);
    }

    /// <summary>
    /// Entries that come with their time (the journal): one thread, each line as its date text and message. Every
    /// entry counts, also an empty one (fail2ban-regex skips empty and comment lines only in text input).
    /// </summary>
    public void Run(IEnumerable<(LineTuple Line, double Time)> entries)
    {
        filter.KeepPrefGroups = options.Verbose > 0;
        filter.OnIgnoreRegex = i =>
        {
            Stats.IgnoreHits[i]++;
            _lineIgnored = true;
        };
        var start = Stopwatch.GetTimestamp();
        long number = 0;
        foreach (var (line, entryTime) in entries)
        {
            number++;
            var before = BufferBefore();
            Handle(number, line.ToString(), line, filter.ProcessLine(line, entryTime), before);
        }

        Stats.Elapsed = Stopwatch.GetElapsedTime(start);
    }

    /// <summary>
    /// Two stages: a reader thread reads, decodes and numbers lines and finds their dates (<see cref="LogFilter.FindDate"/>,
    /// plus the prefregex and the failregex searches while this thread is the slower one); this thread runs the rest in
    /// the same order. Batches keep the hand-over cheap; the queue is bounded so memory stays flat on any input size.
    /// Each stage sees the lines in input order, so the results do not depend on the timing. Reading has no thread of
    /// its own: on two cores a third busy thread only took turns with the other two, and every line then crossed
    /// between cores twice (docs/performance.md, twenty-third round).
    /// </summary>
    private void RunPipelined(IEnumerable<string> lines, Action<long>? progress)
    {
        using var queue = new BlockingCollection<(long Number, DatedLine Line)[]>(boundedCapacity: QueueCapacity);
        ExceptionDispatchInfo? readerError = null;
        var reader = StartStage("sharpban regex reader", () => ReadStage(lines, queue), e => readerError = e, queue);
        MatchStage(queue, progress);
        reader.Join();
        readerError?.Throw();
    }

    /// <summary>
    /// The reader stage: numbered, trimmed, non-empty, non-comment lines with their dates (and the prefregex while the
    /// matching stage lags), in input order and in batches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadStage(IEnumerable<string> lines, BlockingCollection<(long Number, DatedLine Line)[]> queue)
    {
        var prepare = false;
        var prepareFailRegexes = false;
        var mayPrepare = !filter.KeepPrefGroups; // -v shows the prefregex groups, which the matching thread keeps
        var batch = new (long, DatedLine)[BatchSize];
        var count = 0;
        long number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.TrimEnd('\r', '\n');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            batch[count++] = (number, filter.FindDate(line, prepare, prepareFailRegexes));
            if (count == BatchSize)
            {
                queue.Add(batch);
                batch = new (long, DatedLine)[BatchSize];
                count = 0;

                // balance the stages: while the matching thread lags behind, take the prefregex over from it, and when
                // it lags further, the failregex searches too
                var waiting = queue.Count;
                prepare = mayPrepare && waiting >= QueueCapacity / 2;
                prepareFailRegexes = prepare && waiting >= QueueCapacity - 1;
            }
        }

        queue.Add(batch[..count]);
    }

    /// <summary>The matching stage (this thread): the regexes and the failure state, in input order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MatchStage(BlockingCollection<(long Number, DatedLine Line)[]> queue, Action<long>? progress)
    {
        long last = 0;
        foreach (var batch in queue.GetConsumingEnumerable())
        {
            foreach (var (number, line) in batch)
            {
                if (progress is not null && (number & ~ProgressEvery) != (last & ~ProgressEvery))
                {
                    progress(number);
                }

                last = number;
                var before = BufferBefore();
                Handle(number, line.Line, line.Tuple, filter.ProcessDated(line), before);
            }
        }
    }

    /// <summary>Starts a pipeline stage; its failure is captured for the matching thread, and its output always completes.</summary>
    private static Thread StartStage<T>(string name, Action body, Action<ExceptionDispatchInfo> onError, BlockingCollection<T> output)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                // deliberate: any stage failure (I/O, decoding) is rethrown on the matching thread after the join
                onError(ExceptionDispatchInfo.Capture(e));
            }
            finally
            {
                output.CompleteAdding();
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return thread;
    }

    /// <summary>A copy of the multi-line buffer before a line is processed (null with one-line buffers).</summary>
    private LineTuple[]? BufferBefore() => filter.MaxLines > 1 ? [.. filter.LineBuffer] : null;

    /// <summary>
    /// As fail2ban-regex: earlier lines that a multi-line match took out of the buffer (gone, though not slid out of a
    /// full buffer) were counted as missed when they came; they count as matched now and leave the missed lines shown.
    /// The move happens whatever the line was counted as, and before the current line is counted.
    /// </summary>
    private void MoveConsumedLines(LineTuple[] before)
    {
        var after = filter.LineBuffer;
        for (var i = before.Length >= filter.MaxLines ? 1 : 0; i < before.Length; i++)
        {
            if (after.Contains(before[i]))
            {
                continue;
            }

            var text = before[i].ToString();
            var at = Stats.MissedLines.IndexOf(text);
            if (at >= 0)
            {
                Stats.MissedLines.RemoveAt(at);
                if (options.Debuggex && Stats.MissedLinesDebuggex.IndexOf(before[i].Text) is var dx and >= 0)
                {
                    Stats.MissedLinesDebuggex.RemoveAt(dx);
                }
            }

            if (options.PrintAllMatched)
            {
                if (options.Debuggex)
                {
                    _consumed.Add(before[i].Text); // shown with the line that consumed it, as one entry
                }
                else
                {
                    Stats.MatchedLines.Add(text);
                }
            }

            Stats.Matched++;
            Stats.Missed--;
        }
    }

    /// <param name="processed">The line split around its date: its text without the date is what fail2ban-regex shows
    /// for a multi-line match with <c>-D</c> (built only then).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Handle(long number, string line, in LineTuple processed, List<FilterHit> hits, LineTuple[]? before)
    {
        if (before is not null)
        {
            MoveConsumedLines(before);
        }

        // an ignoreregex hit while the filter processed this line (its callback ran before this call)
        var ignored = _lineIgnored;
        _lineIgnored = false;
        var matched = false;
        var counted = 0;
        foreach (var hit in hits)
        {
            if (!options.Json && options.Out is null)
            {
                Stats.FailHits[hit.FailRegexIndex]++;
                if (options.Verbose > 0)
                {
                    Stats.FailMatches[hit.FailRegexIndex].Add((hit, counted > 1));
                }
            }

            if (PyValue.IsTrue(hit.Data.GetValueOrDefault("nofail")))
            {
                ignored = true;
                continue;
            }

            matched = true;
            counted++;
            if (hit.Id is not null)
            {
                Stats.Failures++;
                onFailure?.Invoke(number, hit);
            }
        }

        if (filter.LastPrefRegexMatched)
        {
            Stats.PrefMatched++;
            if (options.Verbose > 0 && filter.LastPrefGroups is { } groups && Stats.PrefGroups.Count <= options.PrintLimit)
            {
                Stats.PrefGroups.Add(Stats.PrefGroups.Count < options.PrintLimit ? PyRepr.Dict(groups) : "...");
            }
        }

        // what -D lists: the line, or the consumed lines and this one joined (fail2ban-regex's "time extracted" lines)
        var debuggexLine = line;
        if (_consumed.Count > 0)
        {
            debuggexLine = string.Join('\n', [.. _consumed, processed.Text]);
            _consumed.Clear();
        }

        if (ignored)
        {
            Stats.Ignored++;
            if (!options.PrintNoIgnored && (options.PrintAllIgnored || Stats.Ignored <= options.PrintLimit + 1))
            {
                Stats.IgnoredLines.Add(line);
                if (options.Debuggex)
                {
                    Stats.IgnoredLinesDebuggex.Add(debuggexLine);
                }
            }
        }
        else if (matched)
        {
            Stats.Matched++;
            if (options.PrintAllMatched)
            {
                Stats.MatchedLines.Add(line);
                if (options.Debuggex)
                {
                    Stats.MatchedLinesDebuggex.Add(debuggexLine);
                }
            }
        }
        else
        {
            Stats.Missed++;
            if (!options.PrintNoMissed && (options.PrintAllMissed || Stats.Missed <= options.PrintLimit + 1))
            {
                Stats.MissedLines.Add(line);
                if (options.Debuggex)
                {
                    Stats.MissedLinesDebuggex.Add(debuggexLine);
                }
            }
        }

        Stats.Tested++;
    }
}

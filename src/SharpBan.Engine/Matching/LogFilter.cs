using System.Buffers;
using SharpBan.Engine.Matching.Dates;
using SharpBan.Engine.Matching.Regex;
using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching;

/// <summary>
/// A filter built once from resolved options: finds the date, cuts it out, runs prefregex, failregexes and
/// ignoreregexes over the line buffer and turns hits into failures (fail2ban's <c>Filter.processLine</c> and
/// <c>findFailure</c>). Not thread-safe: one instance per log source.
/// </summary>
internal sealed partial class LogFilter
{
    private readonly FailRegex? _prefRegex;
    private readonly FailRegex[] _failRegex;
    private readonly FailRegex[] _ignoreRegex;
    private readonly int _maxLines;
    private readonly SearchValues<string>? _failRegexAnchors;
    private readonly UseDns _useDns;
    private readonly DateClock _clock;
    private readonly IDnsResolver _dns;
    private List<LineTuple> _lineBuffer = [];

    // with one-line buffers, a prefregex content that is the tail of the buffer searched stands for _lineBuffer
    // (which then holds the content alone) without being copied out; see LineBuffer
    private string? _contentTail;
    private int _contentTailStart;
    private PrefHit? _linePref; // the prefregex hit of the line being searched, recycled once the line is done
    private string _lastTimeText = "";
    private double? _lastDate;
    private bool _lastDateIntegral;
    private ExpiringCache<FailureData>? _mlfidCache;

    public LogFilter(FilterSettings settings, FilterMode mode, DateClock clock, DateTemplateCache dates, IDnsResolver? dns = null, TimeSpan? regexTimeout = null)
    {
        Mode = mode;
        _clock = clock;
        _dns = dns ?? NoDnsResolver.Instance;
        _useDns = settings.UseDns;
        _maxLines = settings.MaxLines;
        if (_maxLines <= 0)
        {
            throw new ArgumentException("maxlines must be integer greater than zero");
        }

        if (!string.IsNullOrEmpty(settings.PrefRegex))
        {
            _prefRegex = new FailRegex(settings.PrefRegex, _useDns, multiline: false, regexTimeout);
        }

        _failRegex = [.. settings.FailRegex.Select(r => new FailRegex(r, _useDns, _maxLines > 1, regexTimeout))];
        foreach (var r in settings.RequireIdGroups ? _failRegex : [])
        {
            if (!r.HasIdGroup && !(_prefRegex?.HasIdGroup ?? false))
            {
                throw new PyRegexException($"No failure-id group in '{r.Regex.PythonPattern}'");
            }
        }

        _ignoreRegex = [.. settings.IgnoreRegex.Select(r => new FailRegex(r, _useDns, multiline: false, regexTimeout))];
        if (_maxLines == 1 && _failRegex.All(static r => !r.Regex.Prefilter.IsEmpty && !r.Regex.Prefilter.HasLineBreak))
        {
            _failRegexAnchors = SearchValues.Create([.. _failRegex.SelectMany(static r => r.Regex.Prefilter.Anchors!).Distinct(StringComparer.Ordinal)], StringComparison.Ordinal);
        }
        DateDetector = CreateDateDetector(settings, clock, dates);
    }

    /// <summary>The date detector of a filter: <c>logtimezone</c> and each line of <c>datepattern</c> (errors as fail2ban's).</summary>
    public static DateDetector CreateDateDetector(FilterSettings settings, DateClock clock, DateTemplateCache dates)
    {
        var detector = new DateDetector(dates, clock);
        if (settings.LogTimeZone is { } tz)
        {
            detector.DefaultOffsetMinutes = TimeZoneOffsets.TryParse(tz, out var off)
                ? off
                : throw new ArgumentException($"Unknown or unsupported time zone: '{tz}'");
        }

        if (settings.DatePattern is { } datePattern)
        {
            foreach (var p in datePattern.Split('\n').Select(static p => p.Trim()).Where(static p => p.Length > 0))
            {
                detector.AppendPattern(p);
            }
        }

        return detector;
    }

    public FilterMode Mode { get; }

    /// <summary>True once the initial read of existing content is over (dates then clamp to now).</summary>
    public bool InOperation { get; set; } = true;

    public DateDetector DateDetector { get; }

    public IReadOnlyList<FailRegex> FailRegexes => _failRegex;

    public IReadOnlyList<FailRegex> IgnoreRegexes => _ignoreRegex;

    public FailRegex? PrefRegex => _prefRegex;

    /// <summary>Where fail2ban's warnings about the dates of this filter's lines go (none: not said).</summary>
    public TimingWarnings? TimingWarnings { get; set; }

    /// <summary>Called with the index of each ignoreregex that vetoed a line.</summary>
    public Action<int>? OnIgnoreRegex { get; set; }

    /// <summary>The template that found the date of the last line, if any.</summary>
    public DateTemplate? LastDateTemplate { get; private set; }

    /// <summary>True when the prefregex matched the last processed line.</summary>
    public bool LastPrefRegexMatched { get; private set; }

    /// <summary>Keep the prefregex's groups of each line in <see cref="LastPrefGroups"/> (the regex tool's <c>-v</c>).</summary>
    public bool KeepPrefGroups { get; set; }

    /// <summary>With <see cref="KeepPrefGroups"/>: all named groups of the last line's prefregex match (null when none).</summary>
    public IReadOnlyDictionary<string, object?>? LastPrefGroups { get; private set; }

    /// <summary>True when the last processed line had no usable date.</summary>
    public bool LastLineHadNoDate { get; private set; }

    /// <summary>Total regex searches that hit the match timeout (counted, never thrown).</summary>
    public int RegexTimeouts =>
        _failRegex.Sum(static r => r.Regex.Timeouts) + _ignoreRegex.Sum(static r => r.Regex.Timeouts) + (_prefRegex?.Regex.Timeouts ?? 0);

    /// <summary>Searches that failed inside .NET's regex engine, counted as no match (see <see cref="PyRegex.Faults"/>).</summary>
    public int RegexFaults =>
        _failRegex.Sum(static r => r.Regex.Faults) + _ignoreRegex.Sum(static r => r.Regex.Faults) + (_prefRegex?.Regex.Faults ?? 0);

    /// <summary>Processes one raw log line; the date is looked for in the line.</summary>
    public List<FilterHit> ProcessLine(string line) => ProcessDated(FindDate(line));

    /// <summary>
    /// True when <see cref="FindDate"/> and <see cref="ProcessDated"/> share no state, so that a reader thread may
    /// find dates ahead of the thread matching regexes (lines still enter each stage in order).
    /// </summary>
    public bool CanPipeline => !Mode.CheckFindTime;

    /// <summary>First stage of <see cref="ProcessLine(string)"/>: finds and cuts out the date (owns the date state).</summary>
    /// <param name="line">The raw line.</param>
    /// <param name="prepare">Also run the stateless start of the search (buffer text, prefregex) when possible;
    /// otherwise <see cref="ProcessDated"/> does it. The result is the same either way.</param>
    /// <param name="prepareFailRegexes">With <paramref name="prepare"/>, also search every failregex (and capture its
    /// groups) when that is stateless too: one-line buffers and no ignoreregex.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DatedLine FindDate(string line, bool prepare = false, bool prepareFailRegexes = false)
    {
        var tuple = SplitDate(line, out var date, out var noDate, out var integral);
        LastLineHadNoDate = noDate;
        return new DatedLine(tuple, line, date, noDate, prepare ? Prepare(tuple, prepareFailRegexes) : null, integral);
    }

    /// <summary>Second stage of <see cref="ProcessLine(string)"/>: the regexes and the failure state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public List<FilterHit> ProcessDated(in DatedLine line) => ProcessTuple(line.Tuple, line.Line, line.Date, line.NoDate, line.Prepared, line.IntegralDate);

    /// <summary>With one-line buffers the buffer text and the prefregex search depend on the line alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PreparedBuffer? Prepare(LineTuple tuple, bool withFailRegexes)
    {
        if (_maxLines > 1)
        {
            return null;
        }

        var buffer = string.Concat(tuple.Before, tuple.After, "\n");
        if (NoFailRegexCanMatch(buffer))
        {
            return new PreparedBuffer(buffer, null, Skipped: true, PrefMatched: PrefRegexMatchTracked(buffer, keepGroups: false));
        }

        var pref = _prefRegex?.SearchPref(buffer);
        if (!withFailRegexes || _ignoreRegex.Length > 0 || (_prefRegex is not null && pref is null))
        {
            return new PreparedBuffer(buffer, pref);
        }

        // what FindFailure's loop searches while its buffer is unchanged: the prefregex content (if any) or the buffer
        var searched = buffer;
        var from = 0;
        if (pref is not null && !pref.IsBufferTail(buffer, out from) && pref.Content is var content && PyValue.IsTrue(content))
        {
            searched = string.Concat((string)content!, "\n");
        }

        List<LineTuple> orgBuffer = [tuple];
        var hits = new RegexHit?[_failRegex.Length];
        for (var i = 0; i < hits.Length; i++)
        {
            if (_failRegex[i].Search(searched, orgBuffer, from, ownLines: true) is { } hit)
            {
                hit.PrecomputeGroups(pref);
                hits[i] = hit;
            }
        }

        return new PreparedBuffer(buffer, pref) { FailHits = hits };
    }

    /// <summary>
    /// True when no failregex can match <paramref name="buffer"/> (one-line buffers only): each failregex needs one of
    /// its prefilter's anchor literals, and none of them occurs (one vectorised multi-string search). The line can then
    /// produce no hit, whatever the prefregex does; with a prefregex the failregexes see a part of the buffer, which
    /// contains no more literals than the whole.
    /// </summary>
    private bool NoFailRegexCanMatch(string buffer) => _failRegexAnchors is not null && !buffer.AsSpan().ContainsAny(_failRegexAnchors);

    /// <summary>Whether the prefregex matches a buffer no failregex can match (counted only in the regex tool's report).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool PrefRegexMatchTracked(string buffer, bool keepGroups)
    {
        if (!Mode.TrackPrefRegex || _prefRegex is null)
        {
            return false;
        }

        if (!keepGroups)
        {
            return _prefRegex.Regex.IsMatch(buffer);
        }

        LastPrefGroups = _prefRegex.Search(buffer, [])?.Groups();
        return LastPrefGroups is not null;
    }

    /// <summary>Processes a line whose date is known (journal entries: no date text in the message).</summary>
    public List<FilterHit> ProcessLine(LineTuple tuple, double date)
    {
        _lastTimeText = tuple.Date;
        _lastDate = date;
        _lastDateIntegral = false;
        LastLineHadNoDate = false;
        LastDateTemplate = null;
        return ProcessTuple(tuple, tuple.ToString(), date, noDate: false);
    }

    /// <summary>Convenience for callers that only need the failures that count (hot path of the daemon).</summary>
    public bool TryProcessLine(string line, List<FilterHit> failures)
    {
        var before = failures.Count;
        foreach (var hit in ProcessLine(line))
        {
            if (hit.IsFailure)
            {
                failures.Add(hit);
            }
        }

        return failures.Count > before;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<FilterHit> ProcessTuple(LineTuple tuple, string line, double? date, bool noDate, PreparedBuffer? prepared = null, bool integral = false)
    {
        if (Mode.CheckFindTime && date is not null)
        {
            var now = _clock.Now();
            if (InOperation)
            {
                var delta = (long)(date.Value - now);
                if (Math.Abs(delta) > 60)
                {
                    TimingWarnings?.SimulatedNow(line, delta);
                    date = now;
                    _lastDate = date;
                    _lastDateIntegral = integral = false;
                }
            }
            else if (date < now - Mode.FindTime)
            {
                TimingWarnings?.IgnoredOld(line, Mode.FindTime);
                return [];
            }
        }

        var hits = FindFailure(tuple, date, noDate, prepared, integral);
        if (_linePref is { } pref)
        {
            _linePref = null;
            pref.Recycle(); // the line's failures hold copies of its groups
        }

        return hits;
    }

    /// <param name="integral">The date is a whole number Python keeps as an int (see <see cref="DateTemplate.IsIntegral"/>).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private LineTuple SplitDate(string line, out double? date, out bool noDate, out bool integral)
    {
        date = null;
        noDate = false;
        integral = false;
        LineTuple tuple;
        var found = DateDetector.MatchTime(line);
        LastDateTemplate = found?.Template;
        if (found is { } f)
        {
            var (s, e) = (f.Hit.TextStart, f.Hit.TextEnd);
            // lines logged in the same second share their date text: the last one's string is taken again
            var text = line.AsSpan(s, e - s).SequenceEqual(_lastTimeText) ? _lastTimeText : line[s..e];
            tuple = new LineTuple(line[..s], text, line[e..]);
            if (text.Length > 0)
            {
                date = DateDetector.GetTime(f.Hit, f.Template);
                if (date is not null)
                {
                    _lastTimeText = text;
                    _lastDate = date;
                    _lastDateIntegral = integral = f.Template.IsIntegral(f.Hit, DateDetector.DefaultOffsetMinutes);
                }
                else
                {
                    TimingWarnings?.DateNotParsed(text); // a date that does not exist (Feb 30): the line is dateless
                }
            }
            else if (_lastDate is { } last && last > _clock.Now() - 60)
            {
                tuple = new LineTuple("", _lastTimeText, line);
                date = last;
                integral = _lastDateIntegral;
            }
            else
            {
                date = _clock.Now();
            }

            if (f.Hit.Match is { } match)
            {
                f.Template.Regex.Recycle(match); // read in full: the text and the time are out of it
            }
        }
        else
        {
            tuple = new LineTuple("", "", line);
        }

        if (date is null)
        {
            noDate = true;
            var now = _clock.Now();
            if (_lastDate is { } last && last > now - 60)
            {
                tuple = new LineTuple("", _lastTimeText, line);
                date = last;
                integral = _lastDateIntegral;
            }
            else if (Mode.CheckFindTime && InOperation)
            {
                date = now;
            }
        }

        return tuple;
    }
}

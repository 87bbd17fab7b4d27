using System.Text.RegularExpressions;
using System.Runtime.CompilerServices;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// Finds the date in a line using an ordered list of templates, remembering the last winner and where it matched,
/// and moving frequently winning templates forward (fail2ban's <c>DateDetector</c>).
/// </summary>
internal sealed partial class DateDetector
{
    private const int Unset = 0x7fffffff;
    private const double UnusedTime = 300;

    /// <summary>An empty one-character slice (the position was outside the line); never equal to a real char.</summary>
    private const int NoChar = -1;

    private readonly List<Slot> _templates = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly DateTemplateCache _cache;
    private readonly DateClock _clock;
    private int _lastPos = 1;
    private int _lastPosBefore = NoChar;
    private int _lastPosAt = NoChar;
    private int _lastEndPos = Unset;
    private int _lastEndBefore = NoChar;
    private int _lastEndAt = NoChar;
    private int _lastIndex = Unset;
    private int _firstUnused;
    private int _version;
    private int _walks;
    private int _anyStartState;
    private AnyStart? _anyStart;

    public DateDetector(DateTemplateCache cache, DateClock clock)
    {
        _cache = cache;
        _clock = clock;
    }

    /// <summary>Whether <see cref="MatchTime"/> may skip the walk by a start check over every template (tests compare both ways).</summary>
    internal bool UseStartCheck { get; init; } = true;

    /// <summary>Whether the start check over every template is built and in use (tests wait for it).</summary>
    internal bool HasStartCheck => Volatile.Read(ref _anyStart) is { } any && any.Version == _version;

    /// <summary>Fixed offset in minutes applied to dates without a zone (<c>logtimezone</c>), or null for local time.</summary>
    public int? DefaultOffsetMinutes { get; set; }

    public int Count => _templates.Count;

    /// <summary>Templates in their current order with this detector's hit counts.</summary>
    public IEnumerable<(DateTemplate Template, int Hits)> Templates => _templates.Select(static s => (s.Template, s.Hits));

    /// <summary>Templates in their current order with this detector's hit counts and weights (hits × template weight ÷ distance).</summary>
    public IEnumerable<(DateTemplate Template, int Hits, double Weight)> WeightedTemplates => _templates.Select(static s => (s.Template, s.Hits, s.Weight));

    /// <summary>Adds one <c>datepattern</c> entry (<c>{^LN-BEG}</c>, <c>{DEFAULT}</c>, <c>{DATE}</c> forms, <c>{NONE}</c>, …).</summary>
    public void AppendPattern(string pattern)
    {
        var key = pattern.Contains('%', StringComparison.Ordinal) ? pattern : pattern.ToUpperInvariant();
        if (!_cache.TryGetCached(key, out var template))
        {
            if (key is "{^LN-BEG}" or "{DEFAULT}")
            {
                AddDefaults(key == "{^LN-BEG}" ? static t => (t.Flags & DateTemplateFlags.LineBegin) != 0 : null);
                return;
            }

            if (DateTemplateCache.HasDatePlaceholder(key))
            {
                AddDefaults(null, pattern);
                return;
            }

            template = key == "{NONE}" ? _cache.Get("{UNB}^", key) : _cache.Get(pattern, key);
            _cache.Remember(key, template);
        }

        Append(template, ignoreDuplicate: false);
    }

    public void AddDefaults(Func<DateTemplate, bool>? filter = null, string? preMatch = null)
    {
        var ignoreDuplicate = _templates.Count > 0;
        foreach (var t in preMatch is null ? _cache.All : _cache.Originals)
        {
            if (filter is not null && !filter(t))
            {
                continue;
            }

            Append(preMatch is null ? t : _cache.WithPreMatch(t, preMatch), ignoreDuplicate);
        }
    }

    private void Append(DateTemplate template, bool ignoreDuplicate)
    {
        if (!_names.Add(template.Name))
        {
            if (ignoreDuplicate)
            {
                return;
            }

            throw new ArgumentException($"There is already a template with name {template.Name}");
        }

        _templates.Add(new Slot(template));
        _version++; // a start check built for the old list no longer holds
        Volatile.Write(ref _anyStart, null);
        _anyStartState = 0;
        _walks = 0;
    }

    /// <summary>The date text's position and the template that found it, or null when no template matched.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (DateHit Hit, DateTemplate Template)? MatchTime(string line)
    {
        if (_templates.Count == 0)
        {
            AddDefaults();
        }

        if (UseStartCheck && !MayAnyStart(line))
        {
            return null; // no template can match: the walk would search each in vain and change nothing
        }

        DateHit? match = null;
        (DateHit? Match, int Distance, int Index) found = (null, Unset, -1);
        var ignoreBySearch = Unset;
        var i = _lastIndex;
        Slot slot = null!;
        DateTemplate template = null!;
        int distance, endpos;
        if (i < _templates.Count)
        {
            slot = _templates[i];
            template = slot.Template;
            if (template.IsAnchored)
            {
                match = template.Search(line);
                ignoreBySearch = i;
            }
            else
            {
                distance = _lastPos;
                endpos = _lastEndPos;
                if ((PySlice(line, distance - 1, distance) == _lastPosBefore
                        || (PySlice(line, distance, distance + 1) == _lastPosAt && !IsAlnum(_lastPosAt)))
                    && (PySlice(line, endpos, endpos + 1) == _lastEndAt
                        || (PySlice(line, endpos - 1, endpos) == _lastEndBefore && !IsAlnum(_lastEndBefore))))
                {
                    match = template.Search(line, distance, endpos);
                }
                else
                {
                    match = template.Search(line);
                    ignoreBySearch = i;
                }
            }

            if (match is { } m)
            {
                distance = m.Index;
                endpos = m.End;
                if (!(_templates.Count == 1 || template.IsAnchored || (distance == _lastPos && endpos == _lastEndPos)))
                {
                    found = (match, distance, i);
                    match = null;
                }
            }
        }

        if (match is null)
        {
            for (i = 0; i < _templates.Count; i++)
            {
                if (i == ignoreBySearch)
                {
                    continue;
                }

                slot = _templates[i];
                template = slot.Template;
                match = template.Search(line);
                if (match is not { } m)
                {
                    continue;
                }

                distance = m.Index;
                if (i + 1 >= _templates.Count || template.IsAnchored
                    || (distance == 0 && slot.Hits > 0 && _templates[i + 1].Template.Hits == 0))
                {
                    break;
                }

                if (distance > slot.Distance || distance > _lastPos)
                {
                    if (distance < found.Distance)
                    {
                        found = (match, distance, i);
                    }

                    match = null;
                    continue;
                }

                break;
            }

            if (match is null && found.Match is not null)
            {
                (match, _, i) = found;
                slot = _templates[i];
                template = slot.Template;
            }
        }

        if (match is not { } hit)
        {
            return null;
        }

        distance = hit.Index;
        endpos = hit.End;
        slot.Hits++;
        slot.LastUsed = _clock.Now();
        slot.Distance = distance;
        if (_firstUnused == i)
        {
            _firstUnused++;
        }

        _lastPos = distance;
        _lastPosBefore = PySlice(line, distance - 1, distance);
        _lastPosAt = PySlice(line, distance, distance + 1);
        _lastEndPos = endpos;
        _lastEndBefore = PyIndex(line, endpos - 1);
        _lastEndAt = PySlice(line, endpos, endpos + 1);
        if (i != 0 && i != _lastIndex)
        {
            i = Reorder(i);
        }

        _lastIndex = i;
        return (hit, template);
    }

    /// <summary>
    /// False when no template can match <paramref name="line"/>: every one is anchored at the line's start (a
    /// <c>{^LN-BEG}</c> filter), and none can begin with the line's first characters. An access log line that begins
    /// with an address then costs one check instead of a search per template. The check is built in the background
    /// after <see cref="PyRegex.StartCheckThreshold"/> lines.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayAnyStart(string line)
    {
        if (Volatile.Read(ref _anyStart) is { } any && any.Version == _version)
        {
            return any.Check.MayMatch(line);
        }

        if (_anyStartState == 0 && ++_walks >= PyRegex.StartCheckThreshold)
        {
            _anyStartState = 1;
            if (!_templates.TrueForAll(static s => (s.Template.Flags & DateTemplateFlags.LineBegin) != 0))
            {
                return true; // a template searched from elsewhere in the line: every line needs the walk
            }

            var patterns = _templates.Select(static s => s.Template.Regex.Translated.Pattern).ToArray();
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Self.BuildAnyStart(state.Patterns, state.Version), (Self: this, Patterns: patterns, Version: _version), preferLocal: false);
        }

        return true;
    }

    private void BuildAnyStart(string[] patterns, int version)
    {
        try
        {
            if (StartCharFilter.CreateAny(patterns, multiline: false) is { } check)
            {
                // a build for an older template list that finishes late must not replace a newer one
                var built = new AnyStart(check, version);
                var current = Volatile.Read(ref _anyStart);
                while ((current is null || current.Version < version)
                    && Interlocked.CompareExchange(ref _anyStart, built, current) is var seen && !ReferenceEquals(seen, current))
                {
                    current = seen;
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // deliberate: the check only saves time, and a thread-pool item must not throw
        }
    }

    /// <summary>Unix time of the date found by <see cref="MatchTime"/>; null when the text is not a valid date.</summary>
    public double? GetTime(in DateHit hit, DateTemplate template) =>
        template.TryGetDate(hit, DefaultOffsetMinutes, _clock, out var unix) ? unix : null;

    private int Reorder(int num)
    {
        var slot = _templates[num];
        var untime = slot.LastUsed - UnusedTime;
        var weight = slot.Weight;
        var pos = _firstUnused < num ? _firstUnused : num / 2;
        if (!Moveable(pos))
        {
            if (pos == num - 1)
            {
                return num;
            }

            pos = num - 1;
            if (!Moveable(pos))
            {
                return num;
            }
        }

        _templates.RemoveAt(num);
        _templates.Insert(pos, slot);
        while (_firstUnused < _templates.Count && _templates[_firstUnused].Hits > 0)
        {
            _firstUnused++;
        }

        return pos;

        bool Moveable(int p) => weight > _templates[p].Weight || untime > _templates[p].LastUsed;
    }

    /// <summary>Python's <c>s[start:end]</c> for a slice of at most one character: the char, or <see cref="NoChar"/> when empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int PySlice(string s, int start, int end)
    {
        if (start < 0)
        {
            start = Math.Max(0, start + s.Length);
        }

        if (end < 0)
        {
            end = Math.Max(0, end + s.Length);
        }

        start = Math.Min(start, s.Length);
        end = Math.Min(end, s.Length);
        return start >= end ? NoChar : s[start];
    }

    /// <summary>Python's <c>s[index]</c> (negative counts from the end): the char, or <see cref="NoChar"/> out of range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int PyIndex(string s, int index)
    {
        if (index < 0)
        {
            index += s.Length;
        }

        return index >= 0 && index < s.Length ? s[index] : NoChar;
    }

    private static bool IsAlnum(int c) => c != NoChar && char.IsLetterOrDigit((char)c);

    /// <summary>The start check of every template, for the template list of one <see cref="_version"/>.</summary>
    private sealed record AnyStart(StartCharFilter Check, int Version);

    private sealed class Slot(DateTemplate template)
    {
        public DateTemplate Template { get; } = template;

        public int Hits { get; set; }

        public double LastUsed { get; set; }

        public int Distance { get; set; } = Unset;

        public double Weight => Hits * Template.Weight / Math.Max(1, Distance);
    }
}

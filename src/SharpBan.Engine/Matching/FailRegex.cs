using System.Text.RegularExpressions;
using SharpBan.Engine.Matching.Regex;
using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching;

/// <summary>
/// A failregex, ignoreregex or prefregex: tags expanded, translated, compiled once; <c>alt_*</c> and
/// <c>tuple_*</c> groups post-processed like fail2ban does.
/// </summary>
internal sealed class FailRegex
{
    /// <summary>The prefregex group whose text the failregexes see; it is not part of a failure's data.</summary>
    public const string ContentGroup = "content";

    private static readonly string[] IdGroups = ["fid", "ip4", "ip6", "dns", "mlfid"];

    private readonly (string Group, string Target)[] _alt;
    private readonly (string Group, string Target)[] _tuple;
    private readonly string[] _skipLineGroups;
    private readonly List<LineTuple> _noLines = [];

    public FailRegex(string regex, UseDns useDns, bool multiline, TimeSpan? timeout = null)
    {
        Source = regex;
        var expanded = TagExpander.Expand(regex, useDns);
        if (expanded.Trim().Length == 0)
        {
            throw new PyRegexException("Cannot add empty regex");
        }

        Regex = new PyRegex(GlobalFlagGroups.Localize(expanded), multiline, timeout);
        var alt = new List<(string, string)>();
        var tuple = new List<(string, string)>();
        foreach (var name in Regex.GroupNames)
        {
            var prefix = name.StartsWith("alt_", StringComparison.Ordinal) ? "alt_"
                : name.StartsWith("tuple_", StringComparison.Ordinal) ? "tuple_" : null;
            if (prefix is null || name.Length <= 4)
            {
                continue;
            }

            var target = StripNumericSuffix(name[prefix.Length..]);
            (prefix == "alt_" ? alt : tuple).Add((name, TagExpander.GroupName(target)));
        }

        _alt = [.. alt.OrderBy(static a => a.Item1, StringComparer.Ordinal).ThenBy(static a => a.Item2, StringComparer.Ordinal)];
        _tuple = [.. tuple.OrderBy(static a => a.Item1, StringComparer.Ordinal).ThenBy(static a => a.Item2, StringComparer.Ordinal)];
        _skipLineGroups = [.. Regex.GroupNames.Where(static n => n.StartsWith("skiplines", StringComparison.Ordinal))];
        ContentIndex = Regex.GroupNames.ToList().IndexOf(ContentGroup);
    }

    /// <summary>The index of the <c>content</c> group in <see cref="PyRegex.GroupNames"/> (-1: none).</summary>
    public int ContentIndex { get; }

    /// <summary>True when <see cref="Groups(Match)"/> is more than the named groups (<c>alt_*</c>, <c>tuple_*</c>).</summary>
    public bool PostProcessesGroups => _alt.Length > 0 || _tuple.Length > 0;

    /// <summary>As prefregex: Python <c>re.search</c> over the buffer; null when it did not match.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public PrefHit? SearchPref(string buffer) => Regex.Search(buffer) is { } match ? new PrefHit(this, match) : null;

    /// <summary>The regex as the user wrote it (tags not expanded).</summary>
    public string Source { get; }

    public PyRegex Regex { get; }

    public bool HasIdGroup => IdGroups.Any(Regex.HasGroup);

    /// <summary>Searches the buffer text; on a hit, splits <paramref name="orgLines"/> into matched and unmatched lines.</summary>
    /// <param name="beginning">With one line only: search <paramref name="buffer"/> from here on as if that were the
    /// whole text (<see cref="PyRegex.SearchWithin"/>).</param>
    /// <param name="ownLines">True when <paramref name="orgLines"/> is a list of one line that nobody changes afterwards
    /// (a one-line buffer's): the hit then keeps it as its matched lines, and an empty list of this regex's (never
    /// changed either: only a multi-line buffer grows) as its unmatched ones, instead of copies.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RegexHit? Search(string buffer, IReadOnlyList<LineTuple> orgLines, int beginning = 0, bool ownLines = false)
    {
        var match = beginning == 0 ? Regex.Search(buffer) : Regex.SearchWithin(buffer, beginning);
        if (match is null)
        {
            return null;
        }

        if (ownLines && orgLines is List<LineTuple> { Count: 1 } own)
        {
            return new RegexHit(this, match, own, _noLines);
        }

        if (orgLines.Count <= 1)
        {
            return new RegexHit(this, match, [.. orgLines], []);
        }

        if (beginning != 0)
        {
            throw new ArgumentException("a search within the buffer is for one-line buffers only", nameof(beginning));
        }

        var s = match.Index;
        var e = match.Index + match.Length;
        var lineStart = buffer.LastIndexOf('\n', Math.Min(s, buffer.Length - 1)) + 1;
        var from = e - 1 < 0 ? buffer.Length - 1 : e - 1;
        var nl = from < buffer.Length ? buffer.IndexOf('\n', from) : -1;
        var lineEnd = nl < 0 ? buffer.Length : nl + 1;
        var count1 = Count(buffer, lineStart);
        var count2 = Count(buffer, lineEnd);
        count1 = Math.Min(count1, orgLines.Count);
        count2 = Math.Clamp(count2, count1, orgLines.Count);
        var matched = orgLines.Skip(count1).Take(count2 - count1).ToList();
        var unmatched = orgLines.Take(count1).ToList();
        var n = 0;
        foreach (var skipped in SkippedLines(match))
        {
            for (var m = n; m < matched.Count; m++)
            {
                if (matched[m].Text == skipped)
                {
                    unmatched.Add(matched[m]);
                    matched.RemoveAt(m);
                    n = m;
                    break;
                }
            }
        }

        unmatched.AddRange(orgLines.Skip(count2));
        return new RegexHit(this, match, matched, unmatched);

        static int Count(string text, int end) => text.AsSpan(0, end).Count('\n');
    }

    /// <summary>
    /// What fail2ban's <c>findFailure</c> builds for a hit: the prefregex's groups (<paramref name="pref"/>, its
    /// <c>content</c> left out) updated with this regex's own groups (<see cref="Groups(Match)"/>). Built as one
    /// dictionary; the key order is Python's (existing keys keep their place, new ones follow in group order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FailureData Groups(Match match, PrefHit? pref)
    {
        if (pref is null || !pref.HasData)
        {
            return Groups(match);
        }

        FailureData fail;
        FailureData? own = null;
        if (!PostProcessesGroups)
        {
            fail = new FailureData(pref.Count + Regex.GroupNames.Count);
        }
        else
        {
            own = Groups(match); // alt_*/tuple_* look at this regex's own groups only
            fail = new FailureData(pref.Count + own.Count);
        }

        pref.CopyTo(fail);

        if (own is null)
        {
            Regex.AddGroups(match, fail);
        }
        else
        {
            foreach (var (k, v) in own)
            {
                fail[k] = v;
            }
        }

        return fail;
    }

    /// <summary>Python's <c>groupdict()</c> plus the alt/tuple post-processing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FailureData Groups(Match match)
    {
        var fail = Regex.GroupDict(match);
        foreach (var (group, target) in _alt)
        {
            if (PyValue.IsTrue(fail.GetValueOrDefault(group)) && !PyValue.IsTrue(fail.GetValueOrDefault(target)))
            {
                fail[target] = fail[group];
            }
        }

        foreach (var (group, target) in _tuple)
        {
            var v = fail.GetValueOrDefault(group);
            var t = fail.GetValueOrDefault(target);
            fail[target] = t is object?[] existing ? [.. existing, v] : new[] { t, v };
        }

        return fail;
    }

    private IEnumerable<string> SkippedLines(Match match)
    {
        if (_skipLineGroups.Length == 0)
        {
            return [];
        }

        var text = string.Concat(_skipLineGroups.Select(g => match.Groups[g]).Where(static g => g.Success).Select(static g => g.Value));
        return text.Split('\n').SkipLast(text.EndsWith('\n') ? 1 : 0).Select(static l => l.TrimEnd('\r'));
    }

    private static string StripNumericSuffix(string name)
    {
        var i = name.Length;
        while (i > 0 && char.IsAsciiDigit(name[i - 1]))
        {
            i--;
        }

        return i < name.Length && i > 0 && name[i - 1] == '_' ? name[..(i - 1)] : name;
    }

    public override string ToString() => Source;
}

/// <summary>The result of one successful regex search over the line buffer.</summary>
internal sealed record RegexHit(FailRegex Regex, Match Match, List<LineTuple> Matched, List<LineTuple> Unmatched)
{
    private FailureData? _groups;

    /// <summary>
    /// The failure's data as a new dictionary (the caller owns it): the prefregex groups updated with this hit's
    /// (see <see cref="FailRegex.Groups(Match, PrefHit?)"/>); computed ahead once by
    /// <see cref="PrecomputeGroups"/> with the same prefregex match.
    /// </summary>
    public FailureData Groups(PrefHit? pref = null)
    {
        var groups = _groups ?? Regex.Groups(Match, pref);
        _groups = null;
        return groups;
    }

    /// <summary>Builds the data now (on the thread that found the hit), for the next <see cref="Groups"/> call.</summary>
    public void PrecomputeGroups(PrefHit? pref) => _groups = Regex.Groups(Match, pref);
}

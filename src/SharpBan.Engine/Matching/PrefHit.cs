using System.Text.RegularExpressions;

namespace SharpBan.Engine.Matching;

/// <summary>
/// The prefregex's match on a buffer. Its groups (fail2ban's <c>preGroups</c>) start the failure of every hit on the
/// line; they are read from the match when a hit's failure is built, instead of being copied into a dictionary on
/// every line whose prefregex matched (most lines, also the ones no failregex matches).
/// </summary>
/// <remarks>A prefregex with <c>alt_*</c> or <c>tuple_*</c> groups has its groups post-processed: its dictionary is
/// then built at once, as before.</remarks>
internal sealed class PrefHit
{
    private readonly FailRegex _regex;
    private readonly Match _match;
    private readonly FailureData? _processed;

    public PrefHit(FailRegex regex, Match match)
    {
        _regex = regex;
        _match = match;
        if (regex.PostProcessesGroups)
        {
            _processed = regex.Groups(match);
        }
    }

    /// <summary>The <c>content</c> group's value (what the failregexes see when it is not empty), null without one.</summary>
    public object? Content => _processed is null
        ? _regex.ContentIndex < 0 ? null : _regex.Regex.GroupValue(_match, _regex.ContentIndex)
        : _processed.GetValueOrDefault(FailRegex.ContentGroup);

    /// <summary>
    /// True when the <c>content</c> group is all of <paramref name="buffer"/> (the text searched) from
    /// <paramref name="start"/> on but its final line break: the failregexes then search that part of the buffer
    /// itself, which is the content and its line break, without a copy.
    /// </summary>
    /// <returns>False with <paramref name="start"/> 0 otherwise.</returns>
    public bool IsBufferTail(string buffer, out int start)
    {
        if (_processed is null && _regex.ContentIndex >= 0
            && _regex.Regex.TryGetGroup(_match, _regex.ContentIndex, out start, out var length)
            && length > 0 && start + length == buffer.Length - 1 && buffer[^1] == '\n')
        {
            return true;
        }

        start = 0;
        return false;
    }

    /// <summary>True when the failure data gets any group from the prefregex (any other than <c>content</c>).</summary>
    public bool HasData => _processed is null
        ? _regex.Regex.GroupNames.Count > (_regex.ContentIndex < 0 ? 0 : 1)
        : _processed.Count > (_processed.ContainsKey(FailRegex.ContentGroup) ? 1 : 0);

    /// <summary>How many keys <see cref="CopyTo"/> sets at most.</summary>
    public int Count => _processed?.Count ?? _regex.Regex.GroupNames.Count;

    /// <summary>All groups, <c>content</c> included, as a new dictionary (what <c>-v</c> shows).</summary>
    public FailureData ToDictionary() =>
        _processed is null ? _regex.Groups(_match) : new FailureData(_processed);

    /// <summary>Gives the match back to the prefregex (<see cref="PyRegex.Recycle"/>): this hit is not read afterwards.</summary>
    public void Recycle() => _regex.Regex.Recycle(_match);

    /// <summary>Sets every group but <c>content</c> in <paramref name="fail"/>, in the prefregex's order.</summary>
    public void CopyTo(FailureData fail)
    {
        if (_processed is null)
        {
            _regex.Regex.AddGroups(_match, fail, skip: _regex.ContentIndex);
            return;
        }

        foreach (var (k, v) in _processed)
        {
            if (k != FailRegex.ContentGroup)
            {
                fail[k] = v;
            }
        }
    }
}

using System.Text.RegularExpressions;
using SharpBan.Engine.Matching.Regex;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// Where a template found a date in a line: the whole match, the date text (Python's group 1, cut out of the line),
/// and either the regex's match or the field values a template's own scanner read.
/// </summary>
internal readonly struct DateHit
{
    /// <summary>A hit of the template's regex; <paramref name="textGroup"/> is the group number of the date text.</summary>
    public DateHit(Match match, int textGroup, bool denseGroups)
    {
        Match = match;
        Index = match.Index;
        End = match.Index + match.Length;
        if (MatchGroups.TryGet(match, textGroup, denseGroups, out var start, out var length))
        {
            TextStart = start;
            TextEnd = start + length;
        }
    }

    /// <summary>A hit of a scanner, which read the field values itself.</summary>
    public DateHit(int index, int end, int textStart, int textEnd, in StrptimeFields fields)
    {
        Index = index;
        End = end;
        TextStart = textStart;
        TextEnd = textEnd;
        Fields = fields;
    }

    /// <summary>The regex's match, or null when a scanner found the date (then <see cref="Fields"/> holds its values).</summary>
    public Match? Match { get; }

    /// <summary>Start of the whole match.</summary>
    public int Index { get; }

    /// <summary>End (exclusive) of the whole match.</summary>
    public int End { get; }

    /// <summary>Start of the date text; 0 (with <see cref="TextEnd"/> 0) when group 1 did not take part.</summary>
    public int TextStart { get; }

    /// <summary>End (exclusive) of the date text.</summary>
    public int TextEnd { get; }

    /// <summary>The values a scanner read (default for a regex hit).</summary>
    public StrptimeFields Fields { get; }
}

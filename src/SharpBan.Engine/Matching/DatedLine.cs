namespace SharpBan.Engine.Matching;

/// <summary>A log line after date detection: the line split around its date text, and the date (if any).</summary>
/// <param name="Prepared">The regex buffer and prefregex result, when they could be computed ahead (single-line filters).</param>
/// <param name="IntegralDate">The date is a whole number Python keeps as an int (see <see cref="Dates.DateTemplate.IsIntegral"/>), not a float.</param>
internal readonly record struct DatedLine(LineTuple Tuple, string Line, double? Date, bool NoDate, PreparedBuffer? Prepared = null, bool IntegralDate = false);

/// <summary>
/// The stateless start of the per-line search, computed on the reader thread for <c>maxlines = 1</c>: the text the
/// regexes see and the prefregex's match (null when a prefregex exists and did not match). When no failregex can
/// match the buffer, <paramref name="Skipped"/> is set, the prefregex is not searched for its groups and
/// <paramref name="PrefMatched"/> says whether the prefregex matched (when the mode tracks it).
/// </summary>
internal sealed record PreparedBuffer(string Buffer, PrefHit? Pref, bool Skipped = false, bool PrefMatched = false)
{
    /// <summary>Each failregex's hit on the text the failregexes see (null: no match), when computed ahead as well.</summary>
    public RegexHit?[]? FailHits { get; init; }
}

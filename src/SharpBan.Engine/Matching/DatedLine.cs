namespace SharpBan.Engine.Matching;

/// <summary>A log line after date detection: the line split around its date text, and the date (if any).</summary>
/// <param name="Prepared">The regex buffer and prefregex result, when they could be computed ahead (single-line filters).</param>
internal readonly record struct DatedLine(LineTuple Tuple, string Line, double? Date, bool NoDate, PreparedBuffer? Prepared = null);

/// <summary>
/// The stateless start of the per-line search, computed on the reader thread for <c>maxlines = 1</c>: the text the
/// regexes see and the prefregex's groups (null when a prefregex exists and did not match).
/// </summary>
internal sealed record PreparedBuffer(string Buffer, Dictionary<string, object?>? PrefGroups);

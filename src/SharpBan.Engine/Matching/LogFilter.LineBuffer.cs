namespace SharpBan.Engine.Matching;

/// <summary>
/// Read-only view of the multi-line buffer, for the regex tool: fail2ban-regex compares the buffer before and after a
/// line to find earlier lines that became part of a multi-line match (they move from "missed" to "matched").
/// </summary>
internal sealed partial class LogFilter
{
    /// <summary>The number of lines the buffer holds (<c>maxlines</c>).</summary>
    public int MaxLines => _maxLines;

    /// <summary>
    /// The lines currently buffered (a failregex match removes the lines it consumed; with a prefregex
    /// <c>&lt;F-CONTENT&gt;</c> the buffer is the content alone). The list may change on the next line: copy it to keep it.
    /// </summary>
    public IReadOnlyList<LineTuple> LineBuffer =>
        _contentTail is { } tail ? [new LineTuple("", "", tail[_contentTailStart..^1])] : _lineBuffer;
}

namespace SharpBan.Server.Jails;

/// <summary>
/// A jail's counters for the metrics that <c>status</c> does not have (its failure and ban counts live in the fail and
/// ban managers). Incremented with <see cref="Interlocked"/> (action failures come from the action scheduler's
/// threads, lines from the server's gate), read at any time; they only grow, for as long as the jail exists.
/// </summary>
internal sealed class JailCounters
{
    private long _linesProcessed;
    private long _linesSkipped;
    private long _actionFailures;

    /// <summary>Log lines (or journal entries) given to the jail's filter.</summary>
    public long LinesProcessed => Interlocked.Read(ref _linesProcessed);

    /// <summary>Lines the filter could not process (logged and skipped).</summary>
    public long LinesSkipped => Interlocked.Read(ref _linesSkipped);

    /// <summary>Action commands that failed (exit status, timeout, a template error) and failed native firewall operations.</summary>
    public long ActionFailures => Interlocked.Read(ref _actionFailures);

    public void AddLines(int count) => Interlocked.Add(ref _linesProcessed, count);

    public void LineSkipped() => Interlocked.Increment(ref _linesSkipped);

    public void ActionFailed() => Interlocked.Increment(ref _actionFailures);
}

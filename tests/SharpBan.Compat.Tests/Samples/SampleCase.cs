namespace SharpBan.Compat.Tests.Samples;

/// <summary>One checked sample: a <c>failJSON</c> line applied to the next log line with one filter option set.</summary>
internal sealed record SampleCase(string Filter, string File, int Line, string FilterKey, string? Failure)
{
    public bool Passed => Failure is null;

    public override string ToString() => $"{Filter}:{Line}" + (File != Filter ? $" ({File})" : "") + $" [{FilterKey}]" + (Failure is null ? "" : ": " + Failure);
}

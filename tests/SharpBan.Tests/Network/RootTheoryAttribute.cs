namespace SharpBan.Tests.Network;

/// <summary>The data-driven <see cref="RootFactAttribute"/>: skipped without root and the namespace tools.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (NetworkTools.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}

namespace SharpBan.Compat.Tests.Oracle;

/// <summary>A theory that needs the reference fail2ban (see <see cref="OracleFactAttribute"/>).</summary>
public sealed class OracleTheoryAttribute : TheoryAttribute
{
    public OracleTheoryAttribute()
    {
        if (ReferenceFail2Ban.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}

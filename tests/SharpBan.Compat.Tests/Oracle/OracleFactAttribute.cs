namespace SharpBan.Compat.Tests.Oracle;

/// <summary>
/// A fact that needs the reference fail2ban. Skipped with a message when it is not installed, unless
/// SHARPBAN_REQUIRE_ORACLE=1 (set by .ci/run), where it runs and fails loudly instead.
/// </summary>
public sealed class OracleFactAttribute : FactAttribute
{
    public OracleFactAttribute()
    {
        if (ReferenceFail2Ban.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}

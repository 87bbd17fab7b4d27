namespace SharpBan.Compat.Tests.Oracle;

/// <summary>A theory that needs fail2ban 1.0.2 installed (see <see cref="RegexOracleFactAttribute"/>).</summary>
public sealed class RegexOracleTheoryAttribute : TheoryAttribute
{
    public RegexOracleTheoryAttribute()
    {
        if (!OraclePaths.Available && !OraclePaths.Required)
        {
            Skip = "fail2ban 1.0.2 (the reference) is not installed; set SHARPBAN_REQUIRE_ORACLE=1 to require it";
        }
    }
}

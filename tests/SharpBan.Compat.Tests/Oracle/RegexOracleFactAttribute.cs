namespace SharpBan.Compat.Tests.Oracle;

/// <summary>
/// A fact that needs fail2ban 1.0.2 installed (its filters, sample logs or <c>fail2ban-regex</c>). Skipped when
/// missing, unless <c>SHARPBAN_REQUIRE_ORACLE=1</c> (CI), where it runs and fails loudly.
/// </summary>
public sealed class RegexOracleFactAttribute : FactAttribute
{
    public RegexOracleFactAttribute()
    {
        if (!OraclePaths.Available && !OraclePaths.Required)
        {
            Skip = "fail2ban 1.0.2 (the reference) is not installed; set SHARPBAN_REQUIRE_ORACLE=1 to require it";
        }
    }
}

/// <summary>Where the reference fail2ban installation keeps what the compatibility tests read.</summary>
public static class OraclePaths
{
    public const string FailRegexBinary = "/usr/bin/fail2ban-regex";
    public const string ConfigDirectory = "/etc/fail2ban";
    public const string PackageDirectory = "/usr/lib/python3/dist-packages/fail2ban";

    /// <summary>The interpreter fail2ban runs on (its scripts' shebang), with its package importable.</summary>
    public const string Python = "/usr/bin/python3";

    public static string SampleLogs => Path.Join(PackageDirectory, "tests", "files", "logs");

    public static string TestConfigDirectory => Path.Join(PackageDirectory, "tests", "config");

    public static bool Available =>
        File.Exists(FailRegexBinary) && Directory.Exists(SampleLogs) && Directory.Exists(Path.Join(ConfigDirectory, "filter.d"));

    public static bool Required => Environment.GetEnvironmentVariable("SHARPBAN_REQUIRE_ORACLE") == "1";
}

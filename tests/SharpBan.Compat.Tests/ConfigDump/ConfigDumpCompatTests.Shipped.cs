using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;

namespace SharpBan.Compat.Tests.ConfigDump;

/// <summary>Our shipped configuration (config/), every jail enabled, read by both: the same stream.</summary>
public sealed partial class ConfigDumpCompatTests
{
    private static readonly string ShippedConfig = Path.Join(AppContext.BaseDirectory, "config");

    /// <summary>The log path variables of paths.conf (values that start with <c>/</c>), all pointed at one empty file.</summary>
    private static readonly string[] ShippedLogVariables =
        [.. File.ReadLines(Path.Join(ShippedConfig, "paths.conf")).Select(static l => LogPathAssignment().Match(l)).Where(static m => m.Success).Select(static m => m.Groups[1].Value)];

    [System.Text.RegularExpressions.GeneratedRegex(@"^(\w+)\s*=\s*/")]
    private static partial System.Text.RegularExpressions.Regex LogPathAssignment();

    /// <summary>jail.local files a user might write for the shipped jails, fail2ban's spellings included.</summary>
    public static TheoryData<string> ShippedJailLocals() => new()
    {
        "[DEFAULT]\nenabled = true\n",
        "[DEFAULT]\nenabled = true\nmode = aggressive\n",
        "[DEFAULT]\nenabled = true\n[nginx-limit-req]\nngx_limit_req_zones = login|api\n[apache-badbots]\nbantime = 1w\n",
        "[DEFAULT]\nenabled = true\n[nginx-limit-req]\nfilter = nginx-limit-req[ngx_limit_req_zones=\"one\"]\n"
        + "[nginx-botsearch]\nlogpath = %(nginx_access_log)s\nmaxretry = 2\n[apache-badbots]\nfilter = apache-badbots[badbotscustom=\"Bad\\d\"]\n",
    };

    [OracleTheory]
    [MemberData(nameof(ShippedJailLocals))]
    public void Dump_ShippedConfigAllJailsEnabled_MatchesReference(string jailLocal)
    {
        using var temp = new TempDirectory();
        TempDirectory.Copy(ShippedConfig, temp.Path);
        var log = Path.Join(temp.Path, "any.log");
        File.WriteAllText(log, string.Empty);
        File.WriteAllText(
            Path.Join(temp.Path, "paths.local"),
            "[DEFAULT]\n" + string.Concat(ShippedLogVariables.Select(v => $"{v} = {log}\n")));
        File.WriteAllText(Path.Join(temp.Path, "jail.local"), jailLocal.Replace("[DEFAULT]\n", "[DEFAULT]\nbackend = polling\n", StringComparison.Ordinal));

        var jails = AssertSameStream(temp.Path, minimumLines: 100);

        // every jail section of the shipped jail.conf is in both streams
        var sections = File.ReadLines(Path.Join(ShippedConfig, "jail.conf")).Count(l => l.StartsWith('[') && l is not "[INCLUDES]" and not "[DEFAULT]");
        Assert.True(sections >= 18, $"{sections} jails in the shipped jail.conf");
        Assert.Equal(sections, jails);
    }
}

using System.Diagnostics;
using SharpBan.Compat.Tests.Oracle;
using Xunit.Abstractions;

namespace SharpBan.Compat.Tests.Samples;

/// <summary>
/// Our shipped configuration read by the real fail2ban (<c>scripts/check-config-with-fail2ban.sh</c>): every annotated
/// line of our sample logs gives the annotated result in fail2ban's filter engine too, fail2ban-regex and
/// fail2ban-client load every filter and jail, and (as root) fail2ban's action engine runs our firewall actions in a
/// private network namespace. A user may keep our files under fail2ban, and our samples are checked by two engines.
/// </summary>
public sealed class ShippedConfigWithFail2BanTests(ITestOutputHelper output)
{
    [OracleFact]
    public void ShippedConfig_CheckedByFail2Ban_AllChecksPass()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Join(root, "SharpBan.slnx")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("repository root not found");
        }

        var info = new ProcessStartInfo("bash", [Path.Join(root, "scripts", "check-config-with-fail2ban.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "the script finished");
        output.WriteLine(stdout);
        output.WriteLine(stderr.Result);
        Assert.Contains("ALL CHECKS PASSED", stdout, StringComparison.Ordinal);
        Assert.Equal(0, process.ExitCode);
    }
}

namespace SharpBan.Tests.Network;

/// <summary>
/// A fact that builds network namespaces and firewalls: needs root plus <c>ip</c> and <c>nft</c>. Skipped
/// otherwise, unless <c>SHARPBAN_REQUIRE_ROOT=1</c> (set by .ci/run), where it runs and fails loudly.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (NetworkTools.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>What the namespace tests need from the machine.</summary>
internal static class NetworkTools
{
    public static bool Required =>
        string.Equals(Environment.GetEnvironmentVariable("SHARPBAN_REQUIRE_ROOT"), "1", StringComparison.Ordinal);

    public static string? SkipReason()
    {
        if (Required)
        {
            return null;
        }

        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            return "needs root on Linux (network namespaces); set SHARPBAN_REQUIRE_ROOT=1 to require it";
        }

        foreach (var tool in new[] { "ip", "nft", "nc", "python3" })
        {
            if (Find(tool) is null)
            {
                return $"'{tool}' is not installed; set SHARPBAN_REQUIRE_ROOT=1 to require it";
            }
        }

        return null;
    }

    public static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
                     .Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}

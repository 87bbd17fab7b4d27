using System.Runtime.InteropServices;

namespace SharpBan.Server;

/// <summary>
/// The daemon's file-creation mask, as fail2ban's server sets it (<c>umask 077</c>): its database (stored log lines,
/// user names, addresses), log, pid file and what its actions create are readable by the owner only.
/// </summary>
internal static partial class OwnerOnlyFiles
{
    public static void Apply() => _ = Umask(0x3F); // 077

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}

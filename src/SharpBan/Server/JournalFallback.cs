using SharpBan.Engine.Config.Resolution;

namespace SharpBan.Server;

/// <summary>
/// Jails with <c>backend = auto</c> none of whose log files exist read the systemd journal instead, when the host keeps
/// one and the jail's filter says how to select its entries (<c>journalmatch</c>). A Debian 12 installed without
/// rsyslog has no /var/log/auth.log: the shipped sshd jail then follows the journal rather than wait for a file that
/// never comes (fail2ban refuses to start such a jail). Patterns (<c>*error.log</c>) keep waiting for their files; a
/// backend chosen explicitly (<c>polling</c>, <c>pyinotify</c>) is never changed. The stream printed by <c>-d</c> stays
/// fail2ban's: the switch is the daemon's choice for <c>auto</c>, as inotify or polling is.
/// </summary>
internal static class JournalFallback
{
    /// <summary>The configuration with each such jail added as <c>systemd</c>; <paramref name="switched"/> names them.</summary>
    public static ConfigResolution Apply(ConfigResolution resolution, bool systemJournal, out IReadOnlyList<string> switched)
    {
        var jails = systemJournal
            ? resolution.AwaitedLogs
                .Where(a => a.Value.Count > 0 && a.Value.All(static p => !Engine.Config.PathGlob.HasMagic(p.Path)))
                .Select(static a => a.Key)
                .Where(j => resolution.Stream.Any(c => IsCommand(c, "add", j) && c.Count == 3 && c[2] as string == "auto")
                    && resolution.Stream.Any(c => IsCommand(c, "set", j) && c.Count > 3 && c[2] as string == "addjournalmatch"))
                .ToHashSet(StringComparer.Ordinal)
            : [];
        switched = [.. jails];
        if (jails.Count == 0)
        {
            return resolution;
        }

        var stream = resolution.Stream
            .Select(c => c is ["add", string j, "auto"] && jails.Contains(j) ? (IReadOnlyList<object?>)["add", j, "systemd"] : c)
            .ToList();
        var awaited = resolution.AwaitedLogs.Where(a => !jails.Contains(a.Key)).ToDictionary(StringComparer.Ordinal);
        return resolution with { Stream = stream, AwaitedLogs = awaited };
    }

    /// <summary>Whether the host keeps a journal journalctl reads by default: a <c>*.journal</c> file of this machine.</summary>
    public static bool SystemJournalPresent()
    {
        var machine = File.Exists("/etc/machine-id") ? File.ReadAllText("/etc/machine-id").Trim() : "";
        if (machine.Length == 0)
        {
            return false;
        }

        foreach (var root in new[] { "/var/log/journal", "/run/log/journal" })
        {
            var dir = Path.Join(root, machine);
            if (Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*.journal").Any())
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCommand(IReadOnlyList<object?> command, string verb, string jail) =>
        command.Count > 1 && command[0] as string == verb && command[1] as string == jail;
}

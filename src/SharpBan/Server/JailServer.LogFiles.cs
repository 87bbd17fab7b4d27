using SharpBan.Server.Jails;

namespace SharpBan.Server;

internal sealed partial class JailServer
{
    /// <summary>Adds a log file to a jail and, when it runs, reads it (from its stored position); the file may not exist yet.</summary>
    private void WatchLogPath(Jail jail, string path, bool tail)
    {
        if (jail.LogPaths.Any(l => l.Path == path))
        {
            return;
        }

        jail.LogPaths.Add((path, tail));
        if (jail.IsRunning && !jail.IsJournal)
        {
            _files.Subscribe(path, tail, !Logs.LogFileHub.UsesInotify(jail.Backend), jail.LogEncoding, Database?.GetLogPosition(jail.Name, path));
        }
    }

    /// <summary>
    /// Jails none of whose log files existed when the configuration was read wait for the files they name: each is read
    /// from its start once it appears (fail2ban refuses to start instead; a machine without rsyslog's auth.log yet
    /// still gets its sshd jail once the file is created).
    /// </summary>
    public async Task WatchAwaitedLogsAsync(IReadOnlyDictionary<string, IReadOnlyList<(string Path, string Tail)>> awaited)
    {
        await EnterGateAsync().ConfigureAwait(false);
        try
        {
            WatchAwaitedLogsLocked(awaited);
        }
        finally
        {
            ExitGate();
        }
    }

    private void WatchAwaitedLogsLocked(IReadOnlyDictionary<string, IReadOnlyList<(string Path, string Tail)>> awaited)
    {
        foreach (var (name, paths) in awaited)
        {
            if (_jails.TryGetValue(name, out var jail) && !jail.IsJournal && jail.LogPaths.Count == 0)
            {
                foreach (var (path, tail) in paths)
                {
                    Log.LogAwaited(_log, name, path);
                    WatchLogPath(jail, path, tail == "tail");
                }
            }
        }
    }
}

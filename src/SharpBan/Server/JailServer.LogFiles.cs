using SharpBan.Engine.Config;
using SharpBan.Server.Jails;

namespace SharpBan.Server;

internal sealed partial class JailServer
{
    private static readonly TimeSpan PatternRetry = TimeSpan.FromSeconds(2);
    private readonly List<(Jail Jail, string Pattern, bool Tail)> _awaitedPatterns = [];
    private Task? _patternWatch;

    /// <summary>Adds a log file to a jail and, when it runs, reads it (from its stored position); the file may not exist yet.</summary>
    private async Task WatchLogPathAsync(Jail jail, string path, bool tail)
    {
        if (jail.LogPaths.Any(l => l.Path == path))
        {
            return;
        }

        jail.LogPaths.Add((path, tail));
        if (jail.IsRunning && !jail.IsJournal)
        {
            await SubscribeLogAsync(jail, path, tail).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Jails none of whose log files existed when the configuration was read wait for the files they name: each is read
    /// from its start once it appears (fail2ban refuses to start instead; a machine without rsyslog's auth.log yet
    /// still gets its sshd jail once the file is created). A pattern is expanded again every few seconds until it
    /// matches (nginx installed after the jail was enabled), and every file it matches then is read from its start.
    /// </summary>
    public async Task WatchAwaitedLogsAsync(IReadOnlyDictionary<string, IReadOnlyList<(string Path, string Tail)>> awaited)
    {
        await EnterGateAsync().ConfigureAwait(false);
        try
        {
            await WatchAwaitedLogsLockedAsync(awaited).ConfigureAwait(false);
        }
        finally
        {
            ExitGate();
        }
    }

    private async Task WatchAwaitedLogsLockedAsync(IReadOnlyDictionary<string, IReadOnlyList<(string Path, string Tail)>> awaited)
    {
        foreach (var (name, paths) in awaited)
        {
            if (_jails.TryGetValue(name, out var jail) && !jail.IsJournal && jail.LogPaths.Count == 0)
            {
                foreach (var (path, tail) in paths)
                {
                    Log.LogAwaited(_log, name, path);
                    if (PathGlob.HasMagic(path))
                    {
                        _awaitedPatterns.RemoveAll(a => a.Jail.Name == name && a.Pattern == path); // again after a reload
                        _awaitedPatterns.Add((jail, path, tail == "tail"));
                    }
                    else
                    {
                        await WatchLogPathAsync(jail, path, tail == "tail").ConfigureAwait(false);
                    }
                }
            }
        }

        if (_awaitedPatterns.Count > 0 && _patternWatch is null or { IsCompleted: true })
        {
            _patternWatch = Task.Run(WatchAwaitedPatternsAsync);
        }
    }

    /// <summary>Expands the awaited patterns until each of their jails has a log file (or is gone).</summary>
    private async Task WatchAwaitedPatternsAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PatternRetry, _context.Time, token).ConfigureAwait(false);
                await EnterGateAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                _awaitedPatterns.RemoveAll(a => !_jails.TryGetValue(a.Jail.Name, out var j) || j != a.Jail || a.Jail.LogPaths.Count > 0);
                foreach (var (jail, pattern, tail) in _awaitedPatterns.ToList())
                {
                    foreach (var path in PathGlob.Expand(pattern).Where(File.Exists))
                    {
                        Log.LogAwaitedFound(_log, jail.Name, path, pattern);
                        await WatchLogPathAsync(jail, path, tail).ConfigureAwait(false);
                    }
                }

                _awaitedPatterns.RemoveAll(a => a.Jail.LogPaths.Count > 0);
                if (_awaitedPatterns.Count == 0)
                {
                    return;
                }
            }
            finally
            {
                ExitGate();
            }
        }
    }
}

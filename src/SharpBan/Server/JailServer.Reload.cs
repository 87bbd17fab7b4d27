using System.Text.Json.Nodes;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Server.Jails;
using static SharpBan.Server.CommandArgs;

namespace SharpBan.Server;

/// <summary>
/// <c>reload [--restart] [--unban] [--if-exists] [--all|JAIL]</c> in place, as fail2ban: the affected jails enter a
/// reload state, the re-read configuration stream is executed, and a jail the stream adds again with the same backend
/// is kept running (bans, failures, log positions, started actions) and only takes the new options; see
/// <c>Jail.Reload.cs</c>. A jail whose backend changed is restarted, a jail the stream does not start again is stopped.
/// </summary>
internal sealed partial class JailServer
{
    /// <summary>Jails in reload state, not yet started again by the stream; true once the stream added them.</summary>
    private readonly Dictionary<string, bool> _reloadPending = new(StringComparer.Ordinal);

    /// <summary>Jails the stream started again, to commit at the end of the reload.</summary>
    private readonly List<Jail> _reloaded = [];

    /// <summary>Re-reads the configuration (all jails, or one); set by the host.</summary>
    public Func<string?, ConfigResolution>? ReadConfig { get; set; }

    private async Task<JsonNode?> ReloadAsync(List<object?> args)
    {
        var words = args.Select(Text).ToList();
        var restart = words.Contains("--restart");
        var unban = words.Contains("--unban");
        var ifExists = words.Contains("--if-exists");
        var jail = words.FirstOrDefault(w => !w.StartsWith("--", StringComparison.Ordinal));
        if (ReadConfig is null)
        {
            throw new CommandException("Reload is not available: the server was not started from a configuration directory");
        }

        var resolution = ReadConfig(jail);
        if (resolution.HasErrors)
        {
            // as fail2ban-client: a configuration that does not read cleanly changes nothing (no jail is stopped)
            var errors = resolution.Diagnostics.Where(static d => d.Severity == Engine.Config.DiagnosticSeverity.Error).ToList();
            throw new CommandException("Failed during configuration: " + string.Join("; ", errors.Take(5).Select(static d => d.ToString()))
                + (errors.Count > 5 ? $" (and {errors.Count - 5} more)" : "") + "; nothing was reloaded");
        }

        Log.ReloadBegin(_log, jail is null ? "all jails" : "jail " + jail);
        if (jail is not null && !_jails.ContainsKey(jail))
        {
            // as fail2ban: a jail that is not running (stopped, or never started) is reloaded only with --if-exists, which
            // adds it again from the configuration
            if (!ifExists)
            {
                throw CommandException.UnknownJail(jail);
            }

            if (!resolution.Jails.Contains(jail))
            {
                return null;
            }
        }

        var affected = jail is null ? _jails.Keys.ToList() : _jails.ContainsKey(jail) ? [jail] : [];
        foreach (var name in affected)
        {
            if (unban)
            {
                await _jails[name].UnbanAllAsync(deleteFromDatabase: true).ConfigureAwait(false);
            }

            if (restart || !_jails[name].IsRunning) // a jail added but never started is simply created again
            {
                await StopJailLockedAsync(name).ConfigureAwait(false);
            }
            else
            {
                _reloadPending[name] = false;
                _jails[name].BeginReload();
            }
        }

        // the server options too (fail2ban executes the whole stream: a reload sets loglevel, dbmaxmatches, dbpurgeage …
        // back to the configuration's), then the jail's (or all jails') commands
        var stream = resolution.Stream.Where(c => c.Count > 1
            && Text(c[0]) is "add" or "start" or "set" or "multi-set"
            && (GlobalOptions.Contains(Text(c[1])) || jail is null || Text(c[1]) == jail));
        try
        {
            await ExecuteStreamLockedAsync(stream).ConfigureAwait(false);
        }
        finally
        {
            await EndReloadLockedAsync().ConfigureAwait(false);
        }

        await WatchAwaitedLogsLockedAsync(resolution.AwaitedLogs).ConfigureAwait(false);
        return "OK";
    }

    /// <summary>
    /// <c>add</c> of a jail in reload state: true when it is kept (same backend); with another backend it is stopped
    /// and false is returned, so that a new jail is created.
    /// </summary>
    private async Task<bool> ReloadOnAddAsync(string name, string backend)
    {
        if (!_reloadPending.TryGetValue(name, out var added) || added || !_jails.TryGetValue(name, out var jail))
        {
            return false;
        }

        if (jail.Backend == backend)
        {
            Log.ReloadJail(_log, name);
            _reloadPending[name] = true;
            Database?.AddJail(name);
            return true;
        }

        Log.RestartJail(_log, name, jail.Backend, backend);
        _reloadPending.Remove(name);
        await StopJailLockedAsync(name).ConfigureAwait(false);
        return false;
    }

    /// <summary><c>start</c> of a running jail in reload state: it is reloaded (committed at the end).</summary>
    private bool ReloadOnStart(Jail jail)
    {
        if (!_reloadPending.Remove(jail.Name))
        {
            return false;
        }

        _reloaded.Add(jail);
        Log.JailReloaded(_log, jail.Name);
        return true;
    }

    private async Task EndReloadLockedAsync()
    {
        try
        {
            foreach (var jail in _reloaded)
            {
                try
                {
                    await EndReloadLockedAsync(jail).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
                {
                    // deliberate: one jail that cannot take its new settings must not leave the others in reload state
                    Log.CommandFailed(_log, $"reload {jail.Name}", e.Message);
                }
            }

            // in reload state still: not in the new configuration (or not started by it)
            foreach (var name in _reloadPending.Keys.Where(_jails.ContainsKey).ToList())
            {
                await StopJailLockedAsync(name).ConfigureAwait(false);
            }
        }
        finally
        {
            _reloaded.Clear();
            _reloadPending.Clear();
            Log.ReloadFinished(_log);
        }
    }

    private async Task EndReloadLockedAsync(Jail jail)
    {
        var (removedLogPaths, journalMatchChanged) = await jail.EndReloadAsync().ConfigureAwait(false);
        await WakeLockedAsync(jail).ConfigureAwait(false); // fail2ban's start in the reload wakes an idle jail
        foreach (var path in removedLogPaths)
        {
            _files.Unsubscribe(path);
            Log.LogRemoved(_filterLog, Engine.Config.PyText.Repr(path));
        }

        if (journalMatchChanged && jail.IsJournal)
        {
            await RestartJournalLockedAsync(jail).ConfigureAwait(false);
        }
    }
}

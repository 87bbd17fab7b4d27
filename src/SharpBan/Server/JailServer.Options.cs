using System.Text.Json.Nodes;
using SharpBan.Actions;
using SharpBan.Engine.Jails;
using SharpBan.Server.Jails;
using SharpBan.Storage;
using static SharpBan.Server.CommandArgs;

namespace SharpBan.Server;

internal sealed partial class JailServer
{
    private static readonly HashSet<string> GlobalOptions = new(StringComparer.Ordinal)
    {
        "loglevel", "logtarget", "syslogsocket", "allowipv6", "dbfile", "dbmaxmatches", "dbpurgeage", "thread",
    };

    /// <summary>Properties every command action has, with fail2ban's defaults (empty commands, a 60 s timeout).</summary>
    private static readonly Dictionary<string, string> ActionDefaults = new(StringComparer.Ordinal)
    {
        ["actionban"] = "", ["actioncheck"] = "", ["actionflush"] = "", ["actionreban"] = "", ["actionreload"] = "",
        ["actionrepair"] = "", ["actionstart"] = "", ["actionstop"] = "", ["actionunban"] = "",
        ["timeout"] = Engine.Actions.CommandAction.DefaultTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task<JsonNode?> SetAsync(List<object?> args)
    {
        if (args.Count < 2)
        {
            throw CommandException.InvalidCommand();
        }

        var first = Text(args[0]);
        if (GlobalOptions.Contains(first))
        {
            return SetGlobal(first, Text(args[1]));
        }

        var option = Text(args[1]);
        var rest = args.Skip(2).ToList();
        JailCommandWords.CheckSet(option, rest); // before the jail, as fail2ban
        var jail = GetJail(first);
        switch (option)
        {
            case "logencoding":
                var shown = jail.Set(option, rest);
                if (jail.IsRunning && jail.IsJournal && !jail.IsReloading)
                {
                    await RestartJournalLockedAsync(jail).ConfigureAwait(false); // fail2ban decodes the next entries with it
                }
                else if (jail.IsRunning)
                {
                    foreach (var (logPath, _) in jail.LogPaths)
                    {
                        _files.ChangeEncoding(logPath, jail.LogEncoding); // fail2ban sets it on the jail's open files
                    }
                }

                return shown;
            case "idle":
                return await SetIdleLockedAsync(jail, Text(rest[0]) == "on").ConfigureAwait(false); // on/off checked by JailCommandWords
            case "banip":
                return await BanIpsAsync(jail, rest.SelectMany(List)).ConfigureAwait(false);
            case "unbanip":
                if (rest.Count == 0)
                {
                    throw CommandException.InvalidCommand(); // never "unban everything" by omission
                }

                var reportAbsent = Text(rest[0]) == "--report-absent";
                var ips = rest.Skip(reportAbsent ? 1 : 0).SelectMany(List).ToList(); // matched as given, as fail2ban (no normalisation)
                if (ips.Count == 0)
                {
                    return 0; // fail2ban: --report-absent and no address unbans nothing
                }

                // as fail2ban's removeBannedIP: each address (a network: the bans in it) unbanned in turn, the absent ones
                // reported at the end, after the others were unbanned
                var (unbanned, absent) = (0, new List<string>());
                foreach (var ip in ips)
                {
                    var ids = jail.BannedMatching(ip);
                    if (ids.Count == 0)
                    {
                        Database?.DeleteBans(jail.Name, ip); // fail2ban: also when it is not banned now
                        absent.Add(ip);
                    }

                    unbanned += ids.Count(jail.Unban);
                }

                if (reportAbsent && absent.Count > 0)
                {
                    throw new CommandException($"not banned: [{string.Join(", ", absent.Select(Engine.Config.PyText.Repr))}]");
                }

                return unbanned;
            case "attempt":
                if (rest.Count == 0)
                {
                    throw new CommandException("Filter.addAttempt() missing 1 required positional argument: 'ip'"); // Python's TypeError
                }

                _ = await jail.AttemptAsync(CheckedId(rest[0]), [.. rest.Skip(1).Select(Text)]).ConfigureAwait(false);
                return 1; // fail2ban answers 1 whatever the count
            case "addlogpath":
                var path = Text(rest[0]); // words checked by JailCommandWords (head/tail in any case)
                var tail = rest.Count > 1 && Text(rest[1]).Equals("tail", StringComparison.OrdinalIgnoreCase);
                if (jail.KeepLogPath(path))
                {
                    return Jail.Array(jail.LogPaths.Select(l => l.Path)); // reload: still monitored, at its position
                }

                if (!jail.IsJournal && !File.Exists(path))
                {
                    throw new CommandException($"[Errno 2] No such file or directory: '{path}'",
                        new Control.PyException("FileNotFoundError", [2L, "No such file or directory", path]));
                }

                await WatchLogPathAsync(jail, path, tail).ConfigureAwait(false);
                return Jail.Array(jail.LogPaths.Select(l => l.Path));
            case "dellogpath":
                var del = Text(rest.FirstOrDefault());
                if (jail.LogPaths.RemoveAll(l => l.Path == del) > 0 && jail.IsRunning)
                {
                    _files.Unsubscribe(del);
                    Log.LogRemoved(_filterLog, Engine.Config.PyText.Repr(del));
                }

                return Jail.Array(jail.LogPaths.Select(l => l.Path));
            case "addaction":
                var actionName = Text(rest[0]);
                var builtin = rest.Count > 1 ? PythonAction.Properties(jail.Name, actionName, rest.Skip(1).ToList()) : null;
                if (jail.ReloadAction(actionName))
                {
                    if (builtin is not null)
                    {
                        // fail2ban builds a Python action anew from the reload's arguments: the kept one takes them
                        var kept = jail.GetAction(actionName).Properties;
                        kept.Clear();
                        foreach (var (key, value) in builtin)
                        {
                            kept[key] = value;
                        }
                    }

                    return actionName; // reload: the running action is kept and takes the properties that follow
                }

                if (jail.Actions.ContainsKey(actionName))
                {
                    throw new CommandException($"Action {actionName} already exists");
                }

                jail.AddAction(actionName, builtin is null ? NewAction(jail.Name, actionName) : NewSmtpAction(jail.Name, actionName, builtin));
                if (jail.IsRunning && !jail.IsReloading) // a reload starts new actions at its end
                {
                    await jail.GetAction(actionName).StartAsync(_context.Now(), CancellationToken.None).ConfigureAwait(false);
                }

                return actionName;
            case "delaction":
                var removed = Text(rest[0]);
                var action = jail.GetAction(removed);
                await action.StopAsync(_context.Now(), CancellationToken.None).ConfigureAwait(false);
                jail.Actions.Remove(removed);
                jail.ActionOrder.Remove(removed);
                action.Dispose();
                return null;
            case "action" when rest.Count >= 2 && rest[1] is not IEnumerable<object?> && Jail.ActionMethods.Contains(Text(rest[1])):
                return await jail.CallActionMethodAsync(Text(rest[0]), Text(rest[1]), rest.Count > 2 ? Text(rest[2]) : null).ConfigureAwait(false);
            case "action":
                var answer = SetAction(jail, rest);
                await jail.SyncNativeActionAsync(Text(rest[0]), _context.Now()).ConfigureAwait(false);
                return answer;
            case "addjournalmatch" or "deljournalmatch" when jail.IsJournal:
                var matches = jail.Set(option, rest);
                if (jail.IsRunning && !jail.IsReloading)
                {
                    // fail2ban changes the open reader's matches: journalctl follows the new ones after the last entry read
                    await RestartJournalLockedAsync(jail).ConfigureAwait(false);
                }

                return matches;
            default:
                return jail.Set(option, rest);
        }
    }

    private static JsonNode? SetAction(Jail jail, List<object?> rest)
    {
        var name = Text(rest[0]);
        _ = jail.GetAction(name); // fail2ban looks the action up before it reads the property
        if (rest.Count < 2)
        {
            throw CommandException.InvalidCommand();
        }

        if (rest[1] is IEnumerable<object?> pairs)
        {
            foreach (var pair in pairs.OfType<IEnumerable<object?>>().Select(p => p.ToList()))
            {
                jail.SetActionProperty(name, Text(pair[0]), Text(pair[1]));
            }

            return null;
        }

        return rest.Count > 2 ? jail.SetActionProperty(name, Text(rest[1]), Text(rest[2])) : throw CommandException.InvalidCommand();
    }

    private JsonNode? SetGlobal(string option, string value)
    {
        switch (option)
        {
            case "loglevel":
                return _logSink.SetLevel(value) ? _logSink.LevelName : throw new CommandException($"Invalid log level '{value.ToUpperInvariant()}'");
            case "logtarget":
                return _logSink.TrySetTarget(value) ? value : throw new CommandException("Failed to change log target");
            case "syslogsocket":
                _logSink.SyslogSocket = value;
                return value;
            case "allowipv6":
                AllowIpv6 = value.ToLowerInvariant() is not ("no" or "false" or "0");
                return value;
            case "dbfile":
                if ((Database is not null && DbFile == value) || (Database is null && value.Equals("None", StringComparison.OrdinalIgnoreCase)))
                {
                    return DbFile; // unchanged: nothing to do, also with jails present (fail2ban)
                }

                if (_jails.Count > 0)
                {
                    throw new CommandException("Cannot change database when there are jails present");
                }

                Database?.Dispose();
                List<string>? opening = []; // what the file told while it opened, logged after "Connected …" as fail2ban does
                try
                {
                    Database = value.Equals("None", StringComparison.OrdinalIgnoreCase) || value.Length == 0 ? null : new BanDatabase(value, message =>
                    {
                        if (opening is not null)
                        {
                            opening.Add(message);
                        }
                        else
                        {
                            Log.DatabaseNotice(_dbLog, message);
                        }
                    }, _context.Time);
                }
                catch (Exception e) when (e is InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
                {
                    Database = null;
                    DbFile = "None";
                    throw new CommandException($"Error opening fail2ban persistent database '{value}': {OsError.Describe(e)}");
                }
                DbFile = Database is null ? "None" : value;
                if (Database is { Trouble: null })
                {
                    Log.DatabaseOpened(_dbLog, value);
                }

                foreach (var message in opening)
                {
                    Log.DatabaseNotice(_dbLog, message);
                }

                opening = null;
                if (Database?.Trouble is { } trouble)
                {
                    Log.DatabaseUnusable(_log, value, trouble, BanDatabase.Seconds(Math.Max(0, Database.NextMaintenance - _context.Now())));
                }

                return DbFile;
            case "dbmaxmatches":
                var max = CommandArgs.Int(value, option);
                if (Database is not null)
                {
                    Database.MaxMatches = max;
                }

                return max;
            case "dbpurgeage":
                // fail2ban keeps int(str2seconds(value)): a fraction is cut off
                var age = TimeValue.TryParse(value, out var seconds) ? Math.Truncate(seconds) : throw new CommandException($"Invalid time value '{value}' for dbpurgeage");
                if (Database is not null)
                {
                    Database.PurgeAge = age;
                }

                return age;
            default:
                return null;
        }
    }

    private JsonNode? Get(List<object?> args)
    {
        if (args.Count == 0)
        {
            throw CommandException.InvalidCommand();
        }

        var first = Text(args[0]);
        switch (first)
        {
            case "loglevel":
                return _logSink.LevelName;
            case "logtarget":
                return _logSink.Target;
            case "syslogsocket":
                return _logSink.SyslogSocket;
            case "dbfile":
                return Database is null ? null : DbFile;
            case "dbmaxmatches":
                return Database?.MaxMatches;
            case "dbpurgeage":
                return Database?.PurgeAge;
        }

        if (args.Count < 2)
        {
            throw CommandException.InvalidCommand();
        }

        var option = Text(args[1]);
        JailCommandWords.CheckGet(option, args.Skip(2).ToList()); // before the jail, as fail2ban
        var jail = GetJail(first);
        var rest = args.Skip(2).Select(Text).ToList();
        switch (option)
        {
            case "banned":
                if (rest.Count == 0)
                {
                    return Jail.Array(jail.Bans.Tickets.Select(t => t.Id));
                }

                CheckQueriedIds(rest, jail.Bans.Count > 0);
                return rest.Count == 1
                    ? (jail.Bans.TryGet(Id(rest[0]), out _) ? 1 : 0)
                    : new JsonArray([.. rest.Select(ip => (JsonNode?)(jail.Bans.TryGet(Id(ip), out _) ? 1 : 0))]);
            case "banip":
                var ordered = jail.Bans.OrderedByEnd();
                if (rest.Count > 0 && Text(rest[0]) == "--with-time") // only the first word counts (fail2ban)
                {
                    return Jail.Array(ordered.Select(t =>
                        $"{t.Id} \t{_context.FormatTime(t.Time)} + {(long)t.EffectiveBanTime(jail.Bans.BanTime)} = {_context.FormatTime(t.EndOfBan(jail.Bans.BanTime))}"));
                }

                return Jail.Array(ordered.Select(t => t.Id));
            case "action":
                return jail.GetAction(rest[0]).Properties.TryGetValue(rest[1], out var v) || ActionDefaults.TryGetValue(rest[1], out v)
                    ? v
                    : throw new CommandException($"'{jail.GetAction(rest[0]).ClassName}' object has no attribute '{rest[1]}'");
            case "actionproperties":
                return Jail.Array(jail.GetAction(rest[0]).Properties.Keys.Union(ActionDefaults.Keys).Order(StringComparer.Ordinal));
            case "actionmethods":
                _ = jail.GetAction(rest[0]);
                return Jail.Array(Jail.ActionMethods);
            default:
                return jail.Get(option);
        }
    }
}

using System.Text.Json.Nodes;
using SharpBan.Engine.Config;
using SharpBan.Engine.Jails;
using SharpBan.Server.Jails;
using static SharpBan.Server.CommandArgs;

namespace SharpBan.Server;

internal sealed partial class JailServer
{
    public const string Version = SharpBanVersion.Fail2Ban;

    private async Task<JsonNode?> ExecuteLockedAsync(IReadOnlyList<object?> command)
    {
        if (command.Count == 0)
        {
            throw new CommandException("Sorry but the command is invalid");
        }

        var name = Text(command[0]);
        var args = command.Skip(1).ToList();
        Log.Command(_log, string.Join(' ', command.Select(Text)));
        switch (name)
        {
            case "ping":
                return "pong";
            case "echo":
                return new JsonArray([.. args.Select(Node)]);
            case "version":
                return Version;
            case "server-status":
                return "Server ready";
            case "sleep":
                await Task.Delay(TimeSpan.FromSeconds(double.Parse(Text(args.FirstOrDefault()), System.Globalization.CultureInfo.InvariantCulture))).ConfigureAwait(false);
                return null;
            case "stop" when args.Count == 0:
                ShutdownRequested?.Invoke();
                return null;
            case "stop" when Text(args[0]) == "--all":
                await StopAllJailsLockedAsync().ConfigureAwait(false);

                return null;
            case "stop":
                await StopJailLockedAsync(Text(args[0])).ConfigureAwait(false);
                return null;
            case "add":
                if (args.Count == 0)
                {
                    throw CommandException.InvalidCommand();
                }

                var (added, backend) = (Text(args[0]), args.Count > 1 ? Text(args[1]) : "auto");
                if (added == "--all")
                {
                    throw new CommandException($"Reserved name '{added}'");
                }

                if (!await ReloadOnAddAsync(added, backend).ConfigureAwait(false))
                {
                    AddJail(added, backend);
                }

                return added;
            case "start":
                await StartJailLockedAsync(Text(args.FirstOrDefault())).ConfigureAwait(false);
                return null;
            case "config-error":
                Log.ConfigError(_log, Text(args.FirstOrDefault()));
                return null;
            case "server-stream":
                await ExecuteStreamLockedAsync(args.OfType<IEnumerable<object?>>().Select(a => (IReadOnlyList<object?>)a.ToList())).ConfigureAwait(false);
                return null;
            case "status":
                return Status(args);
            case "banned":
                return Banned(args);
            case "unban":
                return await UnbanAsync(args).ConfigureAwait(false);
            case "reload":
                return await ReloadAsync(args).ConfigureAwait(false);
            case "flushlogs":
                return _logSink.Reopen();
            case "set" or "multi-set":
                return await SetAsync(args).ConfigureAwait(false);
            case "get":
                return Get(args);
            case "metrics" when args.Count == 0:
                return Metrics.MetricsJson.Write(MetricsLocked());
            default:
                throw new CommandException("Invalid command");
        }
    }

    private JsonNode Status(List<object?> args)
    {
        if (args.Count == 0)
        {
            return new JsonObject
            {
                ["Number of jail"] = _jails.Count,
                ["Jail list"] = string.Join(", ", _jails.Keys.Order(StringComparer.Ordinal)),
            };
        }

        var first = Text(args[0]);
        if (first == "--all")
        {
            var all = new JsonObject();
            foreach (var jail in _jails.Keys.Order(StringComparer.Ordinal))
            {
                all[jail] = JailStatus(_jails[jail], args.Count > 1 ? Text(args[1]) : "basic");
            }

            return all;
        }

        if (args.Count > 2)
        {
            throw new CommandException("Invalid command (no status)"); // before the jail, as fail2ban
        }

        return JailStatus(GetJail(first), args.Count > 1 ? Text(args[1]) : "basic");
    }

    private JsonObject JailStatus(Jail jail, string flavor)
    {
        if (flavor is not ("short" or "basic" or "cymru"))
        {
            Log.StatusFlavorUnsupported(_actionsLog, PyText.Repr(flavor));
        }

        var filter = new JsonObject
        {
            ["Currently failed"] = jail.Failures.Count,
            ["Total failed"] = jail.Failures.TotalFailed,
        };
        if (jail.IsJournal)
        {
            filter["Journal matches"] = Jail.Array(jail.JournalMatch.Select(g => string.Join(' ', g)));
        }
        else
        {
            filter["File list"] = Jail.Array(jail.LogPaths.Select(l => l.Path));
        }

        var actions = new JsonObject
        {
            ["Currently banned"] = jail.Bans.Count,
            ["Total banned"] = jail.Bans.TotalBanned,
        };
        if (flavor != "short")
        {
            var ids = jail.Bans.Tickets.Select(t => t.Id).ToList();
            actions["Banned IP list"] = Jail.Array(ids);
            if (flavor == "cymru")
            {
                _cymruPending.Add((actions, ids)); // looked up after the gate (ExecuteAsync): DNS must not hold back log lines
            }
        }

        return new JsonObject { ["Filter"] = filter, ["Actions"] = actions };
    }

    private JsonNode Banned(List<object?> args)
    {
        if (args.Count == 0)
        {
            return new JsonArray([.. _jails.Values.Select(j => (JsonNode?)new JsonObject { [j.Name] = Jail.Array(j.Bans.Tickets.Select(t => t.Id)) })]);
        }

        CheckQueriedIds(args, _jails.Values.Any(j => j.Bans.Count > 0));
        return new JsonArray([.. args.Select(a => (JsonNode?)Jail.Array(_jails.Values.Where(j => j.Bans.TryGet(Id(a), out _)).Select(j => j.Name)))]);
    }

    private async Task<JsonNode> UnbanAsync(List<object?> args)
    {
        if (args.Count == 0)
        {
            throw new CommandException("Invalid command");
        }

        var count = 0;
        if (Text(args[0]) == "--all")
        {
            foreach (var jail in _jails.Values)
            {
                count += await jail.UnbanAllAsync(deleteFromDatabase: true).ConfigureAwait(false);
            }

            return count;
        }

        foreach (var entry in args.Select(Text))
        {
            foreach (var jail in _jails.Values)
            {
                var ids = jail.BannedMatching(entry);
                if (ids.Count == 0)
                {
                    Database?.DeleteBans(jail.Name, entry);
                }

                count += ids.Count(jail.Unban);
            }
        }

        return count;
    }

    /// <summary>
    /// fail2ban compares each queried id with the banned ones as its <c>IPAddr</c>: an id that does not read (a bad prefix,
    /// <c>192.0.2.0/abc</c>) fails the whole query with Python's error, but only when there is a ban to compare it with.
    /// </summary>
    internal static void CheckQueriedIds(IEnumerable<object?> ids, bool anyBanned)
    {
        if (anyBanned)
        {
            foreach (var id in ids)
            {
                _ = CheckedId(id);
            }
        }
    }

    /// <summary>
    /// <c>set JAIL banip IP…</c>, one after the other as fail2ban, all with the time of the command: an address that does
    /// not read (a bad prefix or mask) fails the command with Python's error, and the addresses before it stay banned.
    /// </summary>
    private async Task<JsonNode?> BanIpsAsync(Jail jail, IEnumerable<string> ips)
    {
        var count = 0;
        var now = _context.Now(); // one time for all of them, as fail2ban (their ends of ban compare equal)
        foreach (var ip in ips)
        {
            if (await jail.BanAsync(new BanTicket(CheckedId(ip), now)).ConfigureAwait(false))
            {
                count++;
            }
        }

        return count;
    }
}

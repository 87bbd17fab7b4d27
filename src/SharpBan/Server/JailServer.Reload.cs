using System.Text.Json.Nodes;
using SharpBan.Engine.Config.Resolution;
using static SharpBan.Server.CommandArgs;

namespace SharpBan.Server;

internal sealed partial class JailServer
{
    /// <summary>Re-reads the configuration (all jails, or one); set by the host.</summary>
    public Func<string?, ConfigResolution>? ReadConfig { get; set; }

    /// <summary>
    /// <c>reload [--restart] [--unban] [--if-exists] [--all|JAIL]</c>: the affected jails are stopped (bans flushed
    /// from the firewall but kept in the database unless <c>--unban</c>) and re-created from the re-read configuration;
    /// their unexpired bans are then restored. Simpler than fail2ban's in-place reload, same end state.
    /// </summary>
    private async Task<JsonNode?> ReloadAsync(List<object?> args)
    {
        var words = args.Select(Text).ToList();
        var unban = words.Contains("--unban");
        var ifExists = words.Contains("--if-exists");
        var jail = words.FirstOrDefault(w => !w.StartsWith("--", StringComparison.Ordinal));
        if (ReadConfig is null)
        {
            throw new CommandException("Reload is not available: the server was not started from a configuration directory");
        }

        var resolution = ReadConfig(jail);
        if (jail is not null && !_jails.ContainsKey(jail) && !resolution.Jails.Contains(jail))
        {
            return ifExists ? null : throw new CommandException($"Sorry but the jail '{jail}' does not exist");
        }

        var affected = jail is null ? _jails.Keys.ToList() : _jails.ContainsKey(jail) ? [jail] : [];
        foreach (var name in affected)
        {
            if (unban)
            {
                await _jails[name].UnbanAllAsync(deleteFromDatabase: true).ConfigureAwait(false);
            }

            await StopJailLockedAsync(name).ConfigureAwait(false);
        }

        var stream = resolution.Stream.Where(c => c.Count > 1
            && Text(c[0]) is "add" or "start" or "set" or "multi-set"
            && !GlobalOptions.Contains(Text(c[1]))
            && (jail is null || Text(c[1]) == jail));
        await ExecuteStreamLockedAsync(stream).ConfigureAwait(false);
        return "OK";
    }
}

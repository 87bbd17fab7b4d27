using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;

namespace SharpBan.Server.Jails;

internal sealed partial class Jail
{
    /// <summary>The methods <c>set JAIL action ACT METHOD [JSON]</c> calls (fail2ban calls any callable attribute).</summary>
    public static readonly string[] ActionMethods = ["ban", "flush", "prolong", "reban", "reload", "start", "stop", "unban"];

    /// <summary>
    /// <c>set JAIL action ACT METHOD [JSON]</c>: calls the method with the JSON object's keyword arguments, as fail2ban
    /// does (<c>start</c>, <c>stop</c>, <c>reload</c> and <c>flush</c> take none and answer True; <c>ban</c>, <c>unban</c>,
    /// <c>reban</c> and <c>prolong</c> take <c>aInfo</c>, an object with at least <c>ip</c>, and answer None).
    /// </summary>
    public async Task<JsonNode?> CallActionMethodAsync(string actionName, string method, string? json)
    {
        var action = GetAction(actionName);
        var kwargs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        try
        {
            if (json is not null)
            {
                // JsonDocument, not the reflection serializer: the daemon is also built ahead of time (NativeAOT)
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new CommandException($"CommandAction.{method}() argument after ** must be a mapping");
                }

                foreach (var property in document.RootElement.EnumerateObject())
                {
                    kwargs[property.Name] = property.Value.Clone();
                }
            }
        }
        catch (JsonException)
        {
            throw new CommandException("Expecting value: line 1 column 1 (char 0)"); // Python's json.loads, roughly
        }

        var withTicket = method is "ban" or "unban" or "reban" or "prolong";
        if (kwargs.Keys.FirstOrDefault(k => !(withTicket && k == "aInfo")) is { } unexpected)
        {
            throw new CommandException($"CommandAction.{method}() got an unexpected keyword argument '{unexpected}'");
        }

        var now = _context.Now();
        if (!withTicket)
        {
            switch (method)
            {
                case "start":
                    await action.StartAsync(now, _stopping.Token).ConfigureAwait(false);
                    break;
                case "stop":
                    await action.StopAsync(now, _stopping.Token).ConfigureAwait(false);
                    break;
                case "reload":
                    await action.ReloadAsync(now, _stopping.Token).ConfigureAwait(false);
                    break;
                default:
                    return await action.FlushAsync(now, _stopping.Token).ConfigureAwait(false) || string.IsNullOrWhiteSpace(action.Properties.GetValueOrDefault("actionflush"));
            }

            return true;
        }

        if (!kwargs.TryGetValue("aInfo", out var info))
        {
            throw new CommandException($"CommandAction.{method}() missing 1 required positional argument: 'aInfo'");
        }

        if (info.ValueKind != JsonValueKind.Object || !info.TryGetProperty("ip", out var ip) || ip.ValueKind != JsonValueKind.String)
        {
            throw new CommandException("'ip'");
        }

        var ticket = new BanTicket(CommandArgs.Id(ip.GetString()), now);
        var values = Tags(ticket, now);
        _ = method == "unban"
            ? await action.UnbanAsync(ticket, values, now, _stopping.Token).ConfigureAwait(false)
            : await action.BanAsync(ticket, values, now, _stopping.Token, method == "ban" ? "actionban" : "action" + method).ConfigureAwait(false);
        return null;
    }
}

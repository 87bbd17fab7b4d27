using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SharpBan.Resolution;
using SharpBan.Server.Jails;

namespace SharpBan.Server;

/// <summary><c>status JAIL cymru</c>: the banned addresses' AS, country and registry, looked up outside the gate.</summary>
internal sealed partial class JailServer
{
    /// <summary>The status answers of the command being executed that want Cymru's lists (touched under the gate only).</summary>
    private readonly List<(JsonObject Actions, List<string> Ids)> _cymruPending = [];

    private async Task AddCymruInfoAsync(List<(JsonObject Actions, List<string> Ids)> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var lookup = new CymruLookup(_context.Loggers.CreateLogger("fail2ban.banmanager"));
        foreach (var (actions, ids) in pending)
        {
            var info = await lookup.LookUpAsync(ids, cancellationToken).ConfigureAwait(false);
            actions["Banned ASN list"] = Jail.Array(info.Asn);
            actions["Banned Country list"] = Jail.Array(info.Country);
            actions["Banned RIR list"] = Jail.Array(info.Rir);
        }
    }
}

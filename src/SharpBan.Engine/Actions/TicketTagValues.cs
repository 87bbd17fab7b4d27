using System.Globalization;
using System.Net.Sockets;
using System.Text;
using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Actions;

/// <summary>
/// Run-time tags of one action call (behaviour notes §5.2, phase B), computed lazily. Without a ticket (start, stop,
/// check, flush) only <c>&lt;family&gt;</c> and <c>&lt;time&gt;</c> are known.
/// </summary>
internal sealed class TicketTagValues(
    string jail,
    BanTicket? ticket,
    string family,
    double now,
    long jailBanTime,
    IBanHistory? history = null,
    Func<string, string?>? reverseDns = null,
    Func<string, long?>? jailInfo = null) : ITagValues
{
    public bool TryGet(string tag, out string value, out bool untrusted)
    {
        untrusted = false;
        value = "";
        if (tag == "family")
        {
            value = ticket is null ? family : FamilyOf(ticket.Ip);
            return true;
        }

        if (ticket is null)
        {
            if (tag == "time")
            {
                value = FormatTime(now);
                return true;
            }

            return false;
        }

        if (tag.StartsWith("jail.", StringComparison.Ordinal) && jailInfo?.Invoke(tag) is { } info)
        {
            value = info.ToString(CultureInfo.InvariantCulture);
            return true;
        }

        // an address as fail2ban reads one (inet_pton): .NET's parser also takes "7", "1.2", octal quads and "::1%anything"
        var ipIsAddress = IpEntry.FromId(ticket.Ip) is not null;
        switch (tag)
        {
            case "ip":
                value = ticket.Ip;
                untrusted = !ipIsAddress && !Matching.IpText.IsNetwork(ticket.Ip); // a network's text is the daemon's own
                return true;
            case "fid":
                value = ticket.Id;
                untrusted = IpEntry.FromId(ticket.Id) is null && !Matching.IpText.IsNetwork(ticket.Id);
                return true;
            case "ip-rev":
                value = Matching.IpText.ReverseName(ticket.Ip);
                return true;
            case "ip-host":
                value = (ipIsAddress ? reverseDns?.Invoke(ticket.Ip) : null) ?? "None"; // fail2ban: str(None) without a name
                untrusted = true;
                return true;
            case "failures":
                value = ticket.Failures.ToString(CultureInfo.InvariantCulture);
                return true;
            case "time":
                // a ticket read back from the database carries the row's integer time, as in fail2ban
                value = ticket.IntegerTime ? ((long)ticket.Time).ToString(CultureInfo.InvariantCulture) : FormatTime(ticket.Time);
                return true;
            case "bantime":
                value = ((long)ticket.EffectiveBanTime(jailBanTime)).ToString(CultureInfo.InvariantCulture);
                return true;
            case "bancount":
                value = ticket.BanCount.ToString(CultureInfo.InvariantCulture);
                return true;
            case "restored":
                value = ticket.Restored ? "1" : "0";
                return true;
            case "matches":
                value = string.Join('\n', ticket.Matches);
                untrusted = true;
                return true;
            case "ipmatches":
                value = string.Join('\n', history?.GetMatches(ticket.Ip, null) ?? ticket.Matches); // no database: the ticket's, as fail2ban
                untrusted = true;
                return true;
            case "ipjailmatches":
                value = string.Join('\n', history?.GetMatches(ticket.Ip, jail) ?? ticket.Matches);
                untrusted = true;
                return true;
            case "ipfailures":
                value = (history?.GetFailures(ticket.Ip, null) ?? ticket.Failures).ToString(CultureInfo.InvariantCulture);
                return true;
            case "ipjailfailures":
                value = (history?.GetFailures(ticket.Ip, jail) ?? ticket.Failures).ToString(CultureInfo.InvariantCulture);
                return true;
            case "raw-ticket":
                value = $"BanTicket: ip={ticket.Id} time={FormatTime(ticket.Time)} bantime={(long)ticket.EffectiveBanTime(jailBanTime)} bancount={ticket.BanCount} #attempts={ticket.Failures} matches={ticket.Matches.Count}";
                untrusted = true;
                return true;
        }

        if (tag.StartsWith("F-", StringComparison.Ordinal))
        {
            var key = tag[2..].ToLowerInvariant() switch
            {
                "id" => "fid",
                "port" => "fport",
                var k => k,
            };
            value = key switch
            {
                "fid" => ticket.Id,
                "matches" when !ticket.Data.ContainsKey(key) => FormatData(ticket.Matches), // kept apart from the groups
                "failures" when !ticket.Data.ContainsKey(key) => FormatData(ticket.Failures),
                _ => FormatData(ticket.Data.GetValueOrDefault(key)),
            };
            untrusted = true;
            return true;
        }

        return false;
    }

    /// <summary>The family an action sees; empty (not fail2ban's <c>None</c>) for an id that is no address.</summary>
    public static string FamilyOf(string ip) => Matching.IpText.Family(ip) ?? "";

    public static string FormatTime(double time) => time == Math.Floor(time)
        ? time.ToString("0.0", CultureInfo.InvariantCulture)
        : time.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Python's <c>str()</c> of a captured value, as fail2ban writes an <c>&lt;F-*&gt;</c> tag: a tuple id
    /// (<c>F-TUPLE_*</c>) as <c>('a', 'b')</c>, the users of an mlfid session as a set <c>{'a', 'b'}</c>, lines as a list.
    /// A group that did not take part is not in the ticket (empty).
    /// </summary>
    private static string FormatData(object? value) => value switch
    {
        null => "",
        string s => s,
        object?[] tuple => Matching.PyValue.TupleRepr(tuple),
        ISet<string> { Count: 0 } => "set()",
        ISet<string> set => "{" + string.Join(", ", set.Select(Config.PyText.Repr)) + "}",
        IEnumerable<string> list => "[" + string.Join(", ", list.Select(Config.PyText.Repr)) + "]",
        IEnumerable<Matching.LineTuple> lines => "[" + string.Join(", ", lines.Select(static l => Matching.PyValue.TupleRepr([l.Before, l.Date, l.After]))) + "]",
        double d => Matching.PyValue.FloatRepr(d),
        bool b => b ? "True" : "False",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

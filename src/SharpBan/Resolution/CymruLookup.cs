using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;
using SharpBan.Engine.Jails;

namespace SharpBan.Resolution;

/// <summary>
/// The origin AS, country and registry of banned addresses, from Team Cymru's DNS service (a TXT record under
/// <c>origin.asn.cymru.com</c> or <c>origin6.asn.cymru.com</c> per address), for <c>status JAIL cymru</c>. One entry per
/// address in each list, as fail2ban's ban manager builds them: the record's values joined by <c>", "</c> (sorted,
/// blanks as <c>unknown</c>), <c>nxdomain</c> when the name does not exist; at the first failed query (timeout, no
/// answer, a server error) the error is logged and the lists stop there. No name server configured: one
/// <c>error</c> in each list (fail2ban's answer without its DNS module).
/// </summary>
/// <remarks>
/// The name servers are read from <c>/etc/resolv.conf</c> at each call, never a public resolver in their place.
/// Queries run up to <see cref="Parallel"/> at a time (fail2ban asks one after the other); the answers are read in
/// the addresses' order, so the lists are the same. Each query waits 5 s and is tried twice (dnspython's timeout and
/// lifetime). A network ban is looked up by its first address; an id that is not an address gives <c>unknown</c>.
/// </remarks>
internal sealed class CymruLookup(ILogger logger)
{
    private const int Parallel = 8;

    public async Task<CymruInfo> LookUpAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        var info = new CymruInfo([], [], []);
        var servers = ResolvConf.NameServers();
        if (servers.Count == 0)
        {
            Log.CymruNoNameServer(logger);
            info.Add("error", "error", "error");
            return info;
        }

        var client = new LookupClient(new LookupClientOptions([.. servers.Select(static s => new NameServer(s))])
        {
            UseCache = false,
            Timeout = TimeSpan.FromSeconds(5),
            Retries = 1,
            ThrowDnsErrors = false,
        });
        using var throttle = new SemaphoreSlim(Parallel);
        var answers = ids.Select(id => QueryAsync(client, id, throttle, cancellationToken)).ToList();
        foreach (var answer in answers)
        {
            var (question, result) = await answer.ConfigureAwait(false);
            switch (result)
            {
                case string[] values:
                    info.Add(values[0], values[1], values[2]);
                    break;
                case string error:
                    Log.CymruQueryFailed(logger, error, question);
                    return info; // as fail2ban: the lists end at the first failure
            }
        }

        return info;
    }

    /// <summary>The TXT name Team Cymru answers for <paramref name="address"/> (the reversed octets or nibbles).</summary>
    public static string Question(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return $"{b[3]}.{b[2]}.{b[1]}.{b[0]}.origin.asn.cymru.com";
        }

        var hex = Convert.ToHexStringLower(address.GetAddressBytes());
        return string.Join('.', hex.Reverse()) + ".origin6.asn.cymru.com";
    }

    /// <summary>
    /// The AS numbers, countries and registries of one answer's TXT records (<c>ASN | PREFIX | CC | RIR | DATE</c>),
    /// each sorted and joined by <c>", "</c>; null when a record does not have five fields.
    /// </summary>
    public static string[]? Parse(IEnumerable<IReadOnlyCollection<string>> records)
    {
        var (asns, countries, rirs) = (new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
        foreach (var strings in records)
        {
            // the record as dnspython prints it ("a" "b"), cut at the bars, quotes and blanks trimmed
            var fields = ('"' + string.Join("\" \"", strings) + '"').Split('|');
            if (fields.Length != 5)
            {
                return null;
            }

            asns.Add(Blank(fields[0]));
            countries.Add(Blank(fields[2]));
            rirs.Add(Blank(fields[3]));
        }

        return [string.Join(", ", asns), string.Join(", ", countries), string.Join(", ", rirs)];
    }

    private static string Blank(string field)
    {
        var value = field.Trim('\'', '"', ' ');
        return value.Length == 0 ? "unknown" : value;
    }

    /// <returns>The question and either the three values (<c>string[]</c>) or the reason it failed (<c>string</c>).</returns>
    private static async Task<(string Question, object Result)> QueryAsync(LookupClient client, string id, SemaphoreSlim throttle,
        CancellationToken cancellationToken)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        if (IpEntry.FromId(slash < 0 ? id : id[..slash]) is not { } entry)
        {
            return (id, new[] { "unknown", "unknown", "unknown" }); // no address as fail2ban reads one (not "7" or an octal quad)
        }

        var address = entry.ToAddress();

        var question = Question(address);
        await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await client.QueryAsync(new DnsQuestion(question + ".", QueryType.TXT), cancellationToken).ConfigureAwait(false);
            if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            {
                return (question, new[] { "nxdomain", "nxdomain", "nxdomain" });
            }

            if (response.HasError)
            {
                return (question, response.ErrorMessage);
            }

            var records = response.Answers.TxtRecords().Select(static r => (IReadOnlyCollection<string>)[.. r.EscapedText]).ToList();
            if (records.Count == 0)
            {
                return (question, "the DNS response does not contain an answer to the question");
            }

            return (question, (object?)Parse(records) ?? "a TXT record without the five fields ASN | PREFIX | CC | RIR | DATE");
        }
        catch (DnsResponseException e)
        {
            return (question, e.Message);
        }
        finally
        {
            throttle.Release();
        }
    }
}

using System.Globalization;

namespace SharpBan.Actions;

/// <summary>
/// The options of the SMTP action, read from its properties on every call (they can be changed at run time with
/// <c>set JAIL action NAME PROPERTY VALUE</c>, under smtp.py's attribute names).
/// </summary>
internal sealed record SmtpActionSettings(
    string Host,
    int Port,
    string? User,
    string? Password,
    string FromName,
    string FromAddress,
    string To,
    IReadOnlyList<string> Recipients,
    string? Matches,
    SmtpTls Tls)
{
    public const int DefaultPort = 25;

    /// <summary>Throws <see cref="ArgumentException"/> with the reason for a value that cannot be used.</summary>
    public static SmtpActionSettings From(IReadOnlyDictionary<string, string> properties)
    {
        string? Get(string key) => properties.TryGetValue(key, out var v) ? v : null;

        var (host, port) = SplitHost(Get(SmtpActionProperties.Host) ?? SmtpActionProperties.DefaultHost);
        var to = Get(SmtpActionProperties.To) ?? SmtpActionProperties.DefaultTo;

        // smtp.py hands the recipients to smtplib as toaddr.split(", "): exactly comma and space
        var recipients = to.Split(", ").Where(static r => r.Length > 0).ToList();
        if (recipients.Count == 0)
        {
            throw new ArgumentException("no recipient (dest is empty)");
        }

        var tls = (Get(SmtpActionProperties.Tls) ?? "none").Trim().ToLowerInvariant() switch
        {
            "none" or "" => SmtpTls.None,
            "starttls" => SmtpTls.StartTls,
            "ssl" or "smtps" => SmtpTls.Ssl,
            var other => throw new ArgumentException($"tls '{other}' is not one of none, starttls, ssl"),
        };

        return new SmtpActionSettings(
            host,
            port,
            NoneToNull(Get(SmtpActionProperties.User)),
            NoneToNull(Get(SmtpActionProperties.Password)),
            Get(SmtpActionProperties.FromName) ?? SmtpActionProperties.DefaultFromName,
            Get(SmtpActionProperties.FromAddress) ?? SmtpActionProperties.DefaultFromAddress,
            to,
            recipients,
            NoneToNull(Get(SmtpActionProperties.Matches)),
            tls);
    }

    /// <summary>
    /// smtplib's <c>connect(host)</c>: a <c>host:port</c> with exactly one colon is split (the port must be a number),
    /// anything else (an IPv6 literal) is a host on port 25.
    /// </summary>
    public static (string Host, int Port) SplitHost(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || colon != value.LastIndexOf(':'))
        {
            return (value, DefaultPort);
        }

        var portText = value[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"nonnumeric port '{portText}' in host '{value}'");
        }

        return (value[..colon], port);
    }

    /// <summary>Python's falsy None and empty string both mean "not set".</summary>
    private static string? NoneToNull(string? value) => string.IsNullOrEmpty(value) || value == "None" ? null : value;
}

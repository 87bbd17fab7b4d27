using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using SharpBan.Engine.Actions;

namespace SharpBan.Actions;

/// <summary>
/// fail2ban's <c>action.d/smtp.py</c> (a Python action SharpBan cannot run) built in: a mail through an SMTP server when
/// the jail starts, when it stops and for every new ban (not for bans restored at start), with the ban's log lines on
/// request (<c>matches</c>). Options as smtp.py's: <c>host</c> (<c>host[:port]</c>, default localhost:25), <c>user</c>
/// and <c>password</c> (login when both are set), <c>sendername</c>, <c>sender</c>, <c>dest</c> (", "-separated),
/// <c>matches</c>; plus <c>tls</c> (<see cref="SmtpTls"/>). A failure is the operation's failure (logged, counted).
/// </summary>
internal sealed class SmtpAction(string jail, Func<string> hostName, TimeProvider time, ILogger logger) : IBuiltinAction
{
    /// <summary>The file name fail2ban loads this action from (<c>action = smtp.py[…]</c>).</summary>
    public const string FileName = "smtp.py";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(CommandAction.DefaultTimeoutSeconds);

    public string ClassName => "SMTPAction";

    public async Task RunAsync(string operation, IReadOnlyDictionary<string, string> properties, ITagValues values, CancellationToken cancellationToken)
    {
        (string Subject, string Body) mail;
        switch (operation)
        {
            case "actionstart":
                mail = SmtpMessages.Started(jail, hostName());
                break;
            case "actionstop":
                mail = SmtpMessages.Stopped(jail, hostName());
                break;
            case "actionban" when !(values.TryGet("restored", out var restored, out _) && restored == "1"):
                mail = Banned(properties, values);
                break;
            default:
                return; // smtp.py has no unban, flush, check or repair
        }

        var settings = SmtpActionSettings.From(properties);
        var timeout = properties.TryGetValue("timeout", out var t) && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultTimeout;
        await SendAsync(settings, mail.Subject, mail.Body, timeout, cancellationToken).ConfigureAwait(false);
        Log.MailSent(logger, jail, mail.Subject, settings.To);
    }

    private (string Subject, string Body) Banned(IReadOnlyDictionary<string, string> properties, ITagValues values)
    {
        var ip = Value(values, "ip");
        var banTime = long.TryParse(Value(values, "bantime"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b) ? b : 0;
        (string, string)? matches = null;
        if (properties.GetValueOrDefault(SmtpActionProperties.Matches) is { } kind && kind is "matches" or "ipmatches" or "ipjailmatches")
        {
            matches = (kind, Value(values, kind));
        }

        return SmtpMessages.Banned(jail, hostName(), ip, banTime, Value(values, "failures"), matches);

        static string Value(ITagValues values, string tag) => values.TryGet(tag, out var value, out _) ? value : "";
    }

    private async Task SendAsync(SmtpActionSettings settings, string subject, string body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        var sender = new MailboxAddress(settings.FromName, settings.FromAddress);
        var recipients = settings.Recipients.Select(static r => new MailboxAddress("", r)).ToList();
        message.From.Add(sender);
        if (InternetAddressList.TryParse(settings.To, out var to))
        {
            message.To.AddRange(to);
        }
        else
        {
            message.To.AddRange(recipients);
        }

        message.Subject = subject;
        message.Date = time.GetLocalNow();
        message.Body = new TextPart("plain") { Text = body };

        // The certificate must chain to a trusted root and name the host; revocation is not checked (as Python's and
        // OpenSSL's defaults): a relay behind a firewall, or with an internal CA, cannot reach a revocation list.
        using var client = new SmtpClient
        {
            Timeout = (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds),
            CheckCertificateRevocation = false,
        };
        var security = settings.Tls switch
        {
            SmtpTls.StartTls => SecureSocketOptions.StartTls,
            SmtpTls.Ssl => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(settings.Host, settings.Port, security, cancellationToken).ConfigureAwait(false);
        if (settings.User is { } user && settings.Password is { } password)
        {
            await client.AuthenticateAsync(user, password, cancellationToken).ConfigureAwait(false);
        }

        await client.SendAsync(message, sender, recipients, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }
}

using System.Globalization;

namespace SharpBan.Actions;

/// <summary>
/// Subjects and texts of the SMTP action's mails. The subjects are those of fail2ban's smtp.py (mail rules of a user
/// who switches keep working); the texts are SharpBan's own and carry the same facts.
/// </summary>
internal static class SmtpMessages
{
    public static (string Subject, string Body) Started(string jail, string hostName) => (
        $"[Fail2Ban] {jail}: started on {hostName}",
        $"Hello,\n\nthe jail {jail} has started on {hostName}.\n\n-- \nSharpBan\n");

    public static (string Subject, string Body) Stopped(string jail, string hostName) => (
        $"[Fail2Ban] {jail}: stopped on {hostName}",
        $"Hello,\n\nthe jail {jail} has stopped on {hostName}.\n\n-- \nSharpBan\n");

    /// <param name="matches">smtp.py's <c>matches</c> option: which log lines the mail lists (none, or one of
    /// <c>matches</c>, <c>ipmatches</c>, <c>ipjailmatches</c>) and the lines themselves.</param>
    public static (string Subject, string Body) Banned(string jail, string hostName, string ip, long banTime, string failures, (string Kind, string Lines)? matches)
    {
        var duration = banTime < 0 ? "permanently" : "for " + banTime.ToString(CultureInfo.InvariantCulture) + " seconds";
        var body = $"Hello,\n\n{ip} is banned {duration} after {failures} failures in the jail {jail} on {hostName}.\n";
        if (matches is var (kind, lines))
        {
            var title = kind switch
            {
                "matches" => "Log lines of this ban:",
                "ipmatches" => $"Log lines of {ip} in all jails:",
                _ => $"Log lines of {ip} in the jail {jail}:",
            };
            body += $"\n{title}\n{lines}\n";
        }

        return ($"[Fail2Ban] {jail}: banned {ip} from {hostName}", body + "\n-- \nSharpBan\n");
    }
}

namespace SharpBan.RegexTool;

/// <summary>
/// fail2ban-regex reads its options with optparse, which takes a unique prefix of a long option for the option
/// (<c>--conf</c>, <c>--print-no-mi</c>). This completes them before System.CommandLine parses the line.
/// </summary>
internal static class RegexArguments
{
    /// <summary>fail2ban-regex's long options: a prefix unique among them means the same as there.</summary>
    private static readonly string[] Fail2BanRegex =
    [
        "config", "datepattern", "timezone", "TZ", "encoding", "raw", "usedns", "maxlines", "journalmatch", "log-level", "verbose",
        "verbosity", "verbose-date", "VD", "debuggex", "no-check-all", "out", "print-no-missed", "print-no-ignored", "print-all-matched",
        "print-all-missed", "print-all-ignored", "log-traceback", "full-traceback", "version", "help",
    ];

    /// <summary>Options only sharpban regex has (matched exactly, or by a prefix fail2ban-regex's options do not claim).</summary>
    private static readonly string[] Own = ["json", "now", "journal"];

    public static string[] Normalize(IReadOnlyList<string> args)
    {
        var result = new string[args.Count];
        var options = true;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            result[i] = a;
            if (!options || !a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
            {
                options &= a != "--";
                continue;
            }

            var eq = a.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? a[2..] : a[2..eq];
            var full = Own.Contains(name) ? name : OptionPrefix.Complete(name, Fail2BanRegex) ?? OptionPrefix.Complete(name, Own);
            if (full is not null)
            {
                result[i] = "--" + full + (eq < 0 ? "" : a[eq..]);
            }
        }

        return result;
    }
}

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

    /// <summary>Long options that take a value (the next argument, or after <c>=</c>).</summary>
    private static readonly string[] WithValue =
        ["config", "datepattern", "timezone", "TZ", "encoding", "usedns", "maxlines", "journalmatch", "log-level", "verbosity", "out", "now"];

    /// <summary>Short options: those that take a value (the rest of the argument, else the next one), then flags.</summary>
    private const string ShortWithValue = "cdeLmlo";

    private const string ShortFlags = "rvVDth";

    /// <summary>
    /// optparse's refusal of an option it does not know (<c>no such option: --bogus</c>, <c>ambiguous option: --print-all
    /// (--print-all-ignored, --print-all-matched, --print-all-missed?)</c>), else null. Without this, System.CommandLine
    /// would take an unknown option for the LOG or FILTER argument.
    /// </summary>
    public static string? Refusal(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                return null;
            }

            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = a.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? a[2..] : a[2..eq];
                string[] all = [.. Fail2BanRegex, .. Own];
                if (all.Contains(name, StringComparer.Ordinal))
                {
                    i += eq < 0 && WithValue.Contains(name, StringComparer.Ordinal) ? 1 : 0;
                    continue;
                }

                var candidates = all.Where(o => name.Length > 0 && o.StartsWith(name, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
                if (candidates.Count == 1)
                {
                    i += eq < 0 && WithValue.Contains(candidates[0], StringComparer.Ordinal) ? 1 : 0;
                    continue;
                }

                return candidates.Count == 0
                    ? "no such option: --" + name
                    : $"ambiguous option: --{name} ({string.Join(", ", candidates.Select(static c => "--" + c))}?)";
            }

            if (a.Length < 2 || a[0] != '-')
            {
                continue;
            }

            for (var j = 1; j < a.Length; j++)
            {
                if (ShortWithValue.Contains(a[j], StringComparison.Ordinal))
                {
                    i += j == a.Length - 1 ? 1 : 0; // a value of its own, else the rest of this argument
                    break;
                }

                if (!ShortFlags.Contains(a[j], StringComparison.Ordinal))
                {
                    return "no such option: -" + a[j];
                }
            }
        }

        return null;
    }

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

namespace SharpBan.Client;

/// <summary>
/// fail2ban-client reads its options with Python's <c>getopt</c>: options come first and the first word that is not
/// one starts the command, so <c>echo -v</c> or <c>set sshd action a prop -d</c> send <c>-v</c> and <c>-d</c> to the
/// server. System.CommandLine would take an option anywhere; this puts <c>--</c> before the command words.
/// </summary>
internal static class ClientArguments
{
    /// <summary>Short options that take a value (getopt's <c>c:s:p:</c>).</summary>
    private const string ShortWithValue = "csp";

    /// <summary>Short flags (fail2ban's <c>hxfbdtviqV</c>).</summary>
    private const string ShortFlags = "hxfbdtviqV";

    private static readonly string[] LongWithValue = ["loglevel", "logtarget", "syslogsocket", "conf", "pidfile", "pname", "socket", "timeout", "str2sec"];

    private static readonly string[] LongFlags = ["test", "async", "help", "version", "dp", "dump-pretty", "json"];

    /// <summary>
    /// The arguments after <c>client</c> rewritten for the parser: options (short ones unbundled, repeated flags once,
    /// abbreviated long ones completed as getopt does), then <c>--</c> and the command words. Unknown options are left
    /// for the parser to report.
    /// </summary>
    public static string[] Normalize(IReadOnlyList<string> args)
    {
        var options = new List<string>();
        var i = 0;
        for (; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                i++;
                break;
            }

            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = a.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? a[2..] : a[2..eq];
                var full = OptionPrefix.Complete(name, [.. LongWithValue, .. LongFlags]);
                if (full is null)
                {
                    options.Add(a); // unknown: the parser reports it
                    continue;
                }

                if (LongWithValue.Contains(full))
                {
                    options.Add("--" + full);
                    if (eq >= 0)
                    {
                        options.Add(a[(eq + 1)..]);
                    }
                    else if (i + 1 < args.Count)
                    {
                        options.Add(args[++i]);
                    }
                }
                else if (!options.Contains("--" + full))
                {
                    options.Add("--" + full);
                }

                continue;
            }

            if (a.Length < 2 || a[0] != '-')
            {
                break; // the command starts here
            }

            for (var j = 1; j < a.Length; j++)
            {
                var c = a[j];
                if (ShortWithValue.Contains(c, StringComparison.Ordinal))
                {
                    options.Add("-" + c);
                    if (j + 1 < a.Length)
                    {
                        options.Add(a[(j + 1)..]);
                    }
                    else if (i + 1 < args.Count)
                    {
                        options.Add(args[++i]);
                    }

                    break;
                }

                var flag = "-" + c;
                if (!ShortFlags.Contains(c, StringComparison.Ordinal) || !options.Contains(flag))
                {
                    options.Add(flag);
                }
            }
        }

        return [.. options, "--", .. args.Skip(i)];
    }
}

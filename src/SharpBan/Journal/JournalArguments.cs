using System.Globalization;
using SharpBan.Engine.Config;

namespace SharpBan.Journal;

/// <summary>
/// Translates a <c>systemd[journalpath=…, journalfiles=…, journalflags=…, namespace=…]</c> backend and a jail's
/// journalmatch into <c>journalctl</c> arguments selecting the journal and the entries.
/// </summary>
internal static class JournalArguments
{
    // sd_journal_open flags as fail2ban passes them to python-systemd
    private const int LocalOnly = 1;
    private const int RuntimeOnly = 2;
    private const int System = 4;
    private const int CurrentUser = 8;

    /// <summary>The journal selection (directory, files, flags, namespace) followed by the match groups.</summary>
    /// <exception cref="ArgumentException">An option fail2ban does not know or a flags value that is not a number.</exception>
    public static List<string> Build(string backend, IReadOnlyList<IReadOnlyList<string>> matches)
    {
        var (_, options) = OptionList.Extract(backend);
        var args = new List<string>();
        var selected = false;
        foreach (var (key, value) in options)
        {
            switch (key)
            {
                case "journalpath":
                    args.Add("--directory=" + value);
                    selected |= value.Length > 0;
                    break;
                case "journalfiles":
                    // fail2ban splits on commas, spaces and newlines and globs each word (a word matching no file is
                    // dropped, as glob.glob drops it); journalctl refuses a --file that does not exist
                    foreach (var word in value.Split([' ', ',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        foreach (var file in Engine.Config.PathGlob.Expand(word))
                        {
                            args.Add("--file=" + file);
                        }

                        selected = true;
                    }

                    break;
                case "journalflags":
                    break;
                case "namespace":
                    args.Add("--namespace=" + value);
                    break;
                default:
                    throw new ArgumentException($"unexpected backend option '{key}' for systemd");
            }
        }

        if (options.TryGetValue("journalflags", out var flagsText))
        {
            if (!int.TryParse(flagsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var flags))
            {
                throw new ArgumentException($"journalflags '{flagsText}' is not a number");
            }

            args.AddRange(Flags(flags));
        }
        else if (!selected)
        {
            args.AddRange(Flags(System)); // fail2ban's default: the system journal only (gh-2392)
        }

        // an empty group ("+ A", "A + + B") adds nothing in python-systemd; journalctl would refuse the stray "+"
        var groups = matches.Where(static g => g.Count > 0).ToList();
        for (var i = 0; i < groups.Count; i++)
        {
            if (i > 0)
            {
                args.Add("+");
            }

            args.AddRange(groups[i]);
        }

        return args;
    }

    /// <summary>
    /// journalctl has no flags option: SYSTEM → <c>--system</c>, CURRENT_USER → <c>--user</c>, no LOCAL_ONLY →
    /// <c>--merge</c> (other machines' journals too); RUNTIME_ONLY has no equivalent and is ignored (documented).
    /// </summary>
    private static IEnumerable<string> Flags(int flags)
    {
        if ((flags & System) != 0)
        {
            yield return "--system";
        }

        if ((flags & CurrentUser) != 0)
        {
            yield return "--user";
        }

        if ((flags & LocalOnly) == 0 && (flags & RuntimeOnly) == 0)
        {
            yield return "--merge";
        }
    }

    /// <summary>Journal match words split into groups at <c>+</c> (fail2ban's disjunctions; a group may be empty).</summary>
    public static List<IReadOnlyList<string>> SplitGroups(IEnumerable<string> tokens)
    {
        var groups = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        foreach (var t in tokens)
        {
            if (t == "+")
            {
                groups.Add(current);
                current = [];
            }
            else
            {
                current.Add(t);
            }
        }

        if (current.Count > 0)
        {
            groups.Add(current);
        }

        return groups;
    }
}

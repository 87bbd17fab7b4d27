using static SharpBan.Server.CommandArgs;

namespace SharpBan.Server;

/// <summary>
/// What fail2ban's transmitter checks of <c>set JAIL OPTION …</c> and <c>get JAIL OPTION …</c> before it looks the jail
/// up: that the option is one it knows, that the words it reads first are there ("Sorry but the command is invalid"),
/// that a number reads as one, the <c>idle</c> value and the <c>addlogpath</c> mode. So <c>set nosuch maxretry abc</c>
/// answers Python's <c>int()</c> error and <c>get nosuch nosuchoption</c> "Invalid command …", not "the jail does not
/// exist", as with fail2ban-client.
/// </summary>
internal static class JailCommandWords
{
    /// <summary>SharpBan's own jail options (not fail2ban's): set with one value, got by the jail alone.</summary>
    private static readonly string[] Extensions = ["banprefix.inet4", "banprefix.inet6", "maxtracked", "thresholds"];

    /// <summary>Options of <c>set JAIL</c> that read one value (and nothing else) before the jail is looked up.</summary>
    private static readonly HashSet<string> SetWithValue = new(
    [
        "ignoreself", "ignorecommand", "ignorecache", "dellogpath", "logencoding", "prefregex", "addfailregex", "addignoreregex",
        "usedns", "findtime", "datepattern", "logtimezone", "bantime", "delaction", "delignoreip", "unbanip", "action",
        .. Extensions,
    ], StringComparer.Ordinal);

    /// <summary>Options of <c>set JAIL</c> whose value is read as an integer before the jail is looked up.</summary>
    private static readonly HashSet<string> SetWithInteger = new(StringComparer.Ordinal)
    {
        "delfailregex", "delignoreregex", "maxmatches", "maxretry", "maxlines",
    };

    /// <summary>Options of <c>set JAIL</c> that look the jail up before reading any further word.</summary>
    private static readonly HashSet<string> SetJailFirst = new(StringComparer.Ordinal)
    {
        "addignoreip", "addjournalmatch", "deljournalmatch", "attempt", "banip",
    };

    /// <summary>Options of <c>get JAIL</c> that only look the jail up.</summary>
    private static readonly HashSet<string> GetJailFirst = new(
    [
        "banned", "logpath", "logencoding", "journalmatch", "ignoreself", "ignoreip", "ignorecommand", "ignorecache", "prefregex",
        "failregex", "ignoreregex", "usedns", "findtime", "datepattern", "logtimezone", "maxmatches", "maxretry", "maxlines",
        "bantime", "banip", "actions", "idle", .. Extensions,
    ], StringComparer.Ordinal);

    /// <summary>Checks <c>set JAIL <paramref name="option"/> <paramref name="rest"/>…</c> as far as fail2ban does before the jail.</summary>
    public static void CheckSet(string option, IReadOnlyList<object?> rest)
    {
        if (option == "idle")
        {
            if (Word(rest, 0) is not ("on" or "off"))
            {
                throw new CommandException("Invalid idle option, must be 'on' or 'off'");
            }
        }
        else if (option == "addlogpath")
        {
            _ = Word(rest, 0);
            if (rest.Count == 2 && Text(rest[1]).ToLowerInvariant() is not ("head" or "tail"))
            {
                throw new CommandException("File option must be 'head' or 'tail'");
            }

            if (rest.Count > 2)
            {
                throw new CommandException("Only one file can be added at a time");
            }
        }
        else if (option == "addaction")
        {
            _ = Word(rest, 0);
            if (rest.Count > 1)
            {
                _ = Word(rest, 2); // fail2ban reads a Python action's JSON options here
            }
        }
        else if (SetWithInteger.Contains(option))
        {
            _ = Int(Word(rest, 0), option);
        }
        else if (SetWithValue.Contains(option) || option.StartsWith("bantime.", StringComparison.Ordinal))
        {
            _ = Word(rest, 0);
        }
        else if (!SetJailFirst.Contains(option))
        {
            throw new CommandException($"Invalid command {Engine.Config.PyText.Repr(option)} (no set action or not yet implemented)");
        }
    }

    /// <summary>Checks <c>get JAIL <paramref name="option"/> <paramref name="rest"/>…</c> as far as fail2ban does before the jail.</summary>
    public static void CheckGet(string option, IReadOnlyList<object?> rest)
    {
        switch (option)
        {
            case "action":
                _ = Word(rest, 1);
                break;
            case "actionproperties" or "actionmethods":
                _ = Word(rest, 0);
                break;
            default:
                if (!GetJailFirst.Contains(option) && !option.StartsWith("bantime.", StringComparison.Ordinal))
                {
                    throw new CommandException("Invalid command (no get action or not yet implemented)");
                }

                break;
        }
    }

    /// <summary>The word at <paramref name="index"/>, or fail2ban's answer to the IndexError of a missing one.</summary>
    private static string Word(IReadOnlyList<object?> words, int index) =>
        index < words.Count ? Text(words[index]) : throw CommandException.InvalidCommand();
}

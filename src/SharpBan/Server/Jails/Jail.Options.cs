using System.Globalization;
using System.Text.Json.Nodes;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;
using static SharpBan.Server.CommandArgs;

namespace SharpBan.Server.Jails;

internal sealed partial class Jail
{
    /// <summary><c>set JAIL OPTION VALUE…</c> for filter, counting, ban and ignore options; the new value is returned.</summary>
    public JsonNode? Set(string option, IReadOnlyList<object?> args)
    {
        object? First() => args.Count > 0 ? args[0] : throw CommandException.InvalidCommand();
        switch (option)
        {
            case "ignoreself":
                Ignore.IgnoreSelf = Bool(First());
                return Ignore.IgnoreSelf;
            case "addignoreip" or "delignoreip":
                foreach (var a in args.SelectMany(List))
                {
                    try
                    {
                        if (option == "addignoreip")
                        {
                            Ignore.Add(a);
                        }
                        else
                        {
                            Ignore.Remove(a);
                        }
                    }
                    catch (FormatException e)
                    {
                        throw new CommandException(e.Message); // fail2ban: ValueError from IPAddr or list.remove
                    }
                }

                return Array(Ignore.Entries);
            case "ignorecommand":
                Ignore.Command = Text(First());
                return Ignore.Command;
            case "ignorecache":
                try
                {
                    IgnoreCache = IgnoreCache.Parse(Text(First()), _context.Time);
                }
                catch (ArgumentException e)
                {
                    throw new CommandException(e.Message);
                }

                return IgnoreCacheNode();
            case "addfailregex" or "addignoreregex":
                var target = option == "addfailregex" ? FailRegex : IgnoreRegex;
                var before = target.Count;
                // one regex per command (a list only from multi-set); tags expanded now, with the usedns of this moment, as fail2ban
                var added = List(First()).Select(r => Engine.Matching.Regex.TagExpander.Expand(r, UseDns)).ToList();
                ChangeFilter(() => target.AddRange(added), () => target.RemoveRange(before, target.Count - before), filter =>
                {
                    // fail2ban checks the failure-id group of each failregex as it is added (a later prefregex does not)
                    if (option == "addfailregex" && filter.FailRegexes.Skip(before).FirstOrDefault(r => !r.HasIdGroup && !(filter.PrefRegex?.HasIdGroup ?? false)) is { } noId)
                    {
                        throw new Engine.Matching.Regex.PyRegexException($"No failure-id group in '{noId.Regex.PythonPattern}'");
                    }
                });
                return Array(Expanded(target));
            case "delfailregex" or "delignoreregex":
                var list = option == "delfailregex" ? FailRegex : IgnoreRegex;
                var index = CommandArgs.Int(First(), option);
                if (index < 0)
                {
                    index += list.Count; // Python's del list[-1]: counted from the end
                }

                if (index < 0 || index >= list.Count)
                {
                    // fail2ban logs this and answers with the unchanged list
                    Log.RegexIndexInvalid(_log, Name, index);
                    return Array(Expanded(list));
                }

                list.RemoveAt(index);
                InvalidateFilter();
                return Array(Expanded(list));
            case "prefregex":
                var newPref = Text(First()) is { Length: > 0 } p ? Engine.Matching.Regex.TagExpander.Expand(p, UseDns) : null;
                Validate(() => _ = newPref is null ? null : new Engine.Matching.Regex.PyRegex(newPref, compiled: false));
                PrefRegex = newPref;
                InvalidateFilter();
                return PrefRegex is null ? "" : Expanded([PrefRegex])[0];
            case "maxlines":
                var maxLines = CommandArgs.Int(First(), option);
                if (maxLines <= 0)
                {
                    throw new CommandException("maxlines must be integer greater than zero"); // fail2ban's words; the value stays
                }

                MaxLines = maxLines;
                InvalidateFilter();
                Log.OptionSet(_filterLog, "maxLines", MaxLines.ToString(CultureInfo.InvariantCulture));
                return MaxLines;
            case "datepattern":
                var newPattern = Text(First()) is { Length: > 0 } d ? d : null;
                Validate(() =>
                {
                    Engine.Matching.Dates.DatePatternTemplate.CheckFormats(newPattern);
                    // every template compiled now: fail2ban compiles one at its first use and then fails on each line,
                    // and the pattern is refused here instead, before it replaces the jail's working one
                    _ = Engine.Matching.LogFilter.CreateDateDetector(new() { DatePattern = newPattern }, _context.Clock,
                        Engine.Matching.Dates.DateTemplateCache.ForClock(_context.Time));
                });
                DatePattern = newPattern;
                InvalidateFilter();
                return DatePatternNode();
            case "logtimezone":
                var givenZone = Text(First());
                var newZone = givenZone is { Length: > 0 } ? givenZone : null;
                Validate(() =>
                {
                    if (newZone is not null && !Engine.Matching.Dates.TimeZoneOffsets.TryParse(newZone, out _))
                    {
                        throw new ArgumentException($"Unknown or unsupported time zone: '{newZone}'");
                    }
                });
                LogTimeZone = givenZone == "" ? "" : newZone; // an empty zone is no zone, shown as given (fail2ban)
                InvalidateFilter();
                return LogTimeZone;
            case "usedns":
                var useDns = Text(First());
                if (!UseDnsParser.TryParse(useDns, out var mode))
                {
                    Log.UseDnsInvalid(_filterLog, UseDnsParser.InvalidMessage(useDns)); // and "no", as fail2ban
                }

                UseDns = mode;
                InvalidateFilter();
                return UseDns.ToString().ToLowerInvariant();
            case "logencoding":
                var encoding = Text(First());
                try
                {
                    _ = Engine.Matching.LogEncoding.Get(encoding); // fail2ban looks the codec up when it is set
                }
                catch (ArgumentException e)
                {
                    throw new CommandException(e.Message);
                }

                LogEncoding = encoding;
                Log.OptionSet(_filterLog, "encoding", ShownEncoding);
                return ShownEncoding;
            case "addjournalmatch" or "deljournalmatch" when !IsJournal:
                return null; // fail2ban: only a journal filter has matches (nothing set, "No journal match filter set")
            case "addjournalmatch":
                var matchWords = args.SelectMany(List).ToList();
                foreach (var group in Journal.JournalArguments.SplitGroups(matchWords))
                {
                    JournalMatch.Add(group);
                }

                Log.JournalMatchAdded(_journalLog, Name, Engine.Config.PyText.Repr(string.Join(' ', matchWords)));
                return JournalMatchNode();
            case "deljournalmatch":
                // fail2ban removes the one group equal to the words given, else "Match [...] not found"
                var words = args.SelectMany(List).ToList();
                var found = JournalMatch.FindIndex(g => g.SequenceEqual(words, StringComparer.Ordinal));
                if (found < 0)
                {
                    throw new CommandException($"Match [{string.Join(", ", words.Select(Engine.Config.PyText.Repr))}] not found");
                }

                JournalMatch.RemoveAt(found);
                Log.JournalMatchRemoved(_journalLog, Name, "[" + string.Join(", ", words.Select(Engine.Config.PyText.Repr)) + "]");
                return JournalMatchNode();
            case "findtime":
                Failures.FindTime = Time(First(), option);
                InvalidateFilter();
                Log.OptionSet(_filterLog, "findtime", Number(Failures.FindTime));
                return Failures.FindTime;
            case "bantime":
                Bans.BanTime = (long)Time(First(), option);
                Log.OptionSet(_log, "banTime", Number(Bans.BanTime));
                return Bans.BanTime;
            case "maxretry":
                Failures.MaxRetry = CommandArgs.Int(First(), option);
                Log.OptionSet(_filterLog, "maxRetry", Number(Failures.MaxRetry));
                return Failures.MaxRetry;
            case "maxmatches":
                Failures.MaxMatches = CommandArgs.Int(First(), option);
                return Failures.MaxMatches;
            case "banprefix.inet4" or "banprefix.inet6":
                try
                {
                    BanPrefix = BanPrefix.With(option, Text(First()));
                }
                catch (FormatException e)
                {
                    throw new CommandException($"Invalid value for {option} in jail '{Name}': {e.Message}");
                }

                return BanPrefix.Get(option);
            case "maxtracked":
                try
                {
                    Failures.MaxTracked = FailManager.ParseMaxTracked(Text(First()));
                }
                catch (FormatException e)
                {
                    throw new CommandException($"Invalid value for {option} in jail '{Name}': {e.Message}");
                }

                return Failures.MaxTracked;
            case "thresholds":
                try
                {
                    Failures.Thresholds = Thresholds.Parse(Text(First()));
                    NoteThresholdsSet();
                }
                catch (FormatException e)
                {
                    throw new CommandException($"Invalid value for {option} in jail '{Name}': {e.Message}");
                }

                return Failures.Thresholds.ToString();
            default:
                if (option.StartsWith("bantime.", StringComparison.Ordinal))
                {
                    try
                    {
                        Increment = Increment.With(option["bantime.".Length..], args.Count > 0 ? Text(args[0]) : "");
                    }
                    catch (Exception e) when (e is ArgumentException or FormatException or ExpressionException)
                    {
                        throw new CommandException($"Invalid value for {option} in jail '{Name}': {e.Message}");
                    }

                    var given = args.Count > 0 ? args[0] is bool b ? (b ? "True" : "False") : Text(args[0]) : ""; // Python's str()
                    Log.BanTimeExtraSet(_jailLog, option["bantime.".Length..], given.Length == 0 ? "None" : given);
                    if (option == "bantime.increment" && Increment.Enabled && Database is null)
                    {
                        Log.IncrementWithoutDatabase(_jailLog);
                    }

                    return JsonValue(Increment.Get(option["bantime.".Length..]));
                }

                throw new CommandException($"Invalid command '{option}' (no set action or not yet implemented)");
        }
    }

    /// <summary><c>get JAIL OPTION</c>.</summary>
    public JsonNode? Get(string option) => option switch
    {
        "logpath" => Array(LogPaths.Select(l => l.Path)),
        "logencoding" => ShownEncoding,
        "journalmatch" => IsJournal ? JournalMatchNode() : new JsonArray(),
        "ignoreself" => Ignore.IgnoreSelf,
        "ignoreip" => Array(Ignore.Entries),
        "ignorecommand" => Ignore.Command,
        "prefregex" => PrefRegex is null ? "" : Expanded([PrefRegex])[0],
        "failregex" => Array(Expanded(FailRegex)),
        "ignoreregex" => Array(Expanded(IgnoreRegex)),
        "ignorecache" => IgnoreCacheNode(),
        "usedns" => UseDns.ToString().ToLowerInvariant(),
        "findtime" => Failures.FindTime,
        "bantime" => Bans.BanTime,
        "datepattern" => DatePatternNode(),
        "logtimezone" => LogTimeZone,
        "maxretry" => Failures.MaxRetry,
        "maxmatches" => Failures.MaxMatches,
        "maxlines" => MaxLines,
        "idle" => Idle,
        "actions" => Array(ActionOrder),
        "banprefix.inet4" or "banprefix.inet6" => BanPrefix.Get(option),
        "maxtracked" => Failures.MaxTracked,
        "thresholds" => Failures.Thresholds.ToString(),
        _ when option.StartsWith("bantime.", StringComparison.Ordinal) => GetIncrement(option),
        _ => throw new CommandException("Invalid command (no get action or not yet implemented)"),
    };

    /// <summary><c>set JAIL action NAME PROPERTY VALUE</c>.</summary>
    public JsonNode? SetActionProperty(string action, string property, string value)
    {
        var a = GetAction(action);
        if (property == "bantime")
        {
            return null; // never an action property, as fail2ban
        }

        if (property == "timeout" && !TimeValue.TryParse(value, out _))
        {
            throw new CommandException($"Invalid timeout '{value}' for action '{action}' of jail '{Name}'");
        }

        a.Properties[property] = value;
        return value;
    }

    public CommandAction GetAction(string action) =>
        Actions.TryGetValue(action, out var a) ? a : throw new CommandException($"'Invalid Action name: {action}'", new Control.PyException("KeyError", [$"Invalid Action name: {action}"]));

    public void AddAction(string name, CommandAction action)
    {
        if (!Actions.ContainsKey(name))
        {
            ActionOrder.Add(name);
        }

        Actions[name] = action;
        action.CommandFailed = Counters.ActionFailed;
        action.Repaired = family => OnRepaired(name, family);
        NoteNewAction(name);
    }

    /// <summary>
    /// What fail2ban checks when an option is set (a regex compiles, a datepattern's fields are known…), without building
    /// the whole filter (each jail's date templates would be compiled once more per command); the error is the answer
    /// and the old setting stays.
    /// </summary>
    private static void Validate(Action check)
    {
        try
        {
            check();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or Engine.Matching.Regex.PyRegexException)
        {
            throw new CommandException(e.Message);
        }
    }

    /// <summary>
    /// Applies a change to what the filter is built from and builds it now; when that or <paramref name="check"/> fails
    /// (a regex fail2ban would refuse), the change is undone and the error is the answer, as fail2ban keeps its old setting.
    /// </summary>
    private void ChangeFilter(Action apply, Action undo, Action<Engine.Matching.LogFilter> check)
    {
        apply();
        InvalidateFilter();
        try
        {
            check(Filter);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or Engine.Matching.Regex.PyRegexException or InvalidOperationException)
        {
            undo();
            InvalidateFilter();
            throw new CommandException(e.Message);
        }
    }

    private JsonNode? GetIncrement(string option)
    {
        try
        {
            return JsonValue(Increment.Get(option["bantime.".Length..]));
        }
        catch (ArgumentException e)
        {
            throw new CommandException(e.Message);
        }
    }

    /// <summary>fail2ban resolves <c>auto</c> to the locale's encoding when the option is set; ours is UTF-8.</summary>
    private string ShownEncoding => LogEncoding.Equals("auto", StringComparison.OrdinalIgnoreCase) ? "UTF-8" : LogEncoding;

    /// <summary>Regexes as fail2ban reports them (tags were expanded when added): global flag groups made local.</summary>
    private static List<string> Expanded(IEnumerable<string> regexes) => [.. regexes.Select(Engine.Matching.Regex.GlobalFlagGroups.Localize)];

    /// <summary>
    /// fail2ban's <c>getDatePattern</c>: <c>[pattern, name]</c> of the only (or first of two) template, or
    /// <c>[null, "Default Detectors"]</c> for none yet or the default list.
    /// </summary>
    private JsonArray DatePatternNode()
    {
        // counted from the pattern text, so that no date template is compiled here (the configuration stream sets
        // datepattern for most jails): the default list and {DATE} forms are "Default Detectors" (> 2 templates),
        // anything else is one template per line, and only the first of at most two is built
        var lines = DatePattern?.Split('\n').Select(static p => p.Trim()).Where(static p => p.Length > 0).ToList() ?? [];
        if (lines.Count is 0 or > 2 || lines.Any(static p => p.ToUpperInvariant() is "{^LN-BEG}" or "{DEFAULT}" || Engine.Matching.Dates.DateTemplateCache.HasDatePlaceholder(p)))
        {
            return new JsonArray(null, "Default Detectors");
        }

        var detector = new Engine.Matching.Dates.DateDetector(Engine.Matching.Dates.DateTemplateCache.ForClock(_context.Time), _context.Clock);
        detector.AppendPattern(lines[0]);
        var first = detector.Templates.First().Template;
        return new JsonArray(first.Pattern, first.Name);
    }

    private JsonNode? IgnoreCacheNode() => IgnoreCache is { } c ? new JsonArray(c.Key, c.Entries.MaxCount, c.Entries.MaxSeconds) : null;

    private JsonNode JournalMatchNode() => Array(JournalMatch.Select(g => string.Join(' ', g)));

    private double Time(object? value, string option) =>
        TimeValue.TryParse(Text(value), out var seconds) ? seconds : throw new CommandException($"Invalid time value '{Text(value)}' for {option} in jail '{Name}'");

    public static JsonArray Array(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode?)System.Text.Json.Nodes.JsonValue.Create(i))]);

    /// <summary>A number as Python's <c>%s</c> prints an int or a float of fail2ban's options (<c>600</c>, <c>0.5</c>).</summary>
    private static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);

    private static JsonNode? JsonValue(object? value) => value switch
    {
        null => null,
        bool b => b,
        double d => d,
        long l => l,
        int i => i,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}

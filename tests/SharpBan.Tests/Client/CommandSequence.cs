using System.Globalization;

namespace SharpBan.Tests.Client;

/// <summary>One step of a generated sequence: a client command, log lines appended to a jail's file, or a wait.</summary>
internal abstract record SequenceStep
{
    /// <summary>A client command (<c>$DIR</c> stands for the server's directory).</summary>
    public sealed record Command(string[] Words) : SequenceStep
    {
        public override string ToString() => string.Join(' ', Words.Select(w => w.Length == 0 || w.Contains(' ', StringComparison.Ordinal) ? $"'{w}'" : w));
    }

    /// <summary>
    /// Lines appended in one write to <c>$DIR/File</c>; <c>{sshd-date}</c> and <c>{nginx-date}</c> are replaced by the
    /// time of writing in the format of that log.
    /// </summary>
    public sealed record Append(string File, string[] Lines) : SequenceStep
    {
        public override string ToString() => $"append {File}: " + string.Join(" | ", Lines);
    }

    /// <summary>Wait until both servers have processed what the previous steps queued (see <see cref="ClientSequenceParityTests"/>).</summary>
    public sealed record Settle : SequenceStep
    {
        public override string ToString() => "(settle)";
    }

    /// <summary>The text of <paramref name="line"/> written now.</summary>
    public static string Render(string line, DateTime now) => line
        .Replace("{sshd-date}", now.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{nginx-date}", now.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture), StringComparison.Ordinal);
}

/// <summary>
/// A seeded generator of command sequences for <see cref="ClientSequenceParityTests"/>: bans and unbans of a small pool
/// of addresses (repeated, unknown, invalid, networks, IPv6 spellings), failures written to the jails' logs, every jail
/// option set and read back, ignore lists, regexes, log paths, actions, jails stopped, added, reloaded and restarted,
/// and wrong commands. The same seed always gives the same sequence. A light model of the jails (which exist, what is
/// banned) only steers the choices towards meaningful commands; answers are judged by fail2ban, not by the model.
/// </summary>
internal sealed class CommandSequence
{
    /// <summary>The jails of <see cref="ClientSequenceParityTests.JailLocal"/>, in configuration order.</summary>
    public static readonly string[] ConfiguredJails = ["sshd", "alt", "nginx-http-auth"];

    /// <summary>Log files: the jails' (see the configuration), one no jail watches at start, one that never exists.</summary>
    public static readonly string[] LogFiles = ["auth.log", "auth2.log", "web.log", "extra.log"];

    private static readonly string[] Addresses =
    [
        "192.0.2.1", "192.0.2.2", "192.0.2.3", "198.51.100.4", "203.0.113.5", "2001:db8::1", "2001:DB8:0:0::2", "2001:db8:1::3",
        "::ffff:192.0.2.1", "127.0.0.1",
    ];

    private static readonly string[] Networks = ["192.0.2.0/24", "192.0.2.0/30", "2001:db8::/64", "203.0.113.0/255.255.255.0", "198.51.100.4/32"];

    private static readonly string[] BadAddresses = ["192.0.2.300", "not-an-ip", "1.2.3", "192.0.2.0/abc", "", "2001:db8::g"];

    /// <summary>Addresses written into log lines (as a service would print them).</summary>
    private static readonly string[] LogAddresses = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "198.51.100.4", "203.0.113.5", "2001:db8::1", "2001:db8:1::3", "127.0.0.1", "2001:DB8::9"];

    private static readonly string[] FailRegexes =
    [
        "custom failure from <HOST>", "^custom failure from <HOST> port \\d+$", "(?:denied|refused) for <HOST>", "x(( <HOST>", "no id here",
        "[z-a] <HOST>", "user <F-USER>\\S+</F-USER> from <HOST>",
    ];

    private static readonly string[] IgnoreRegexes = ["for bob from", "^Invalid user", "[z-a]", "port 2222", "custom"];

    private static readonly string[] Times = ["10m", "1h", "2h", "1d", "3600", "1h30m", "2w"];

    private static readonly (string Option, string[] Values)[] JailOptions =
    [
        ("findtime", ["10m", "1h", "1d", "7200", "2h30m"]),
        ("bantime", ["1h", "2h", "1d", "-1", "900", "1w"]),
        ("maxretry", ["1", "2", "3", "5", "10", " 4 "]),
        ("maxmatches", ["1", "2", "5", "0"]),
        // maxlines > 1 set at run time: fail2ban's regexes added before stay single-line (documented difference)
        ("maxlines", ["1", "0", "x"]),
        ("usedns", ["yes", "no", "warn", "raw"]),
        ("ignoreself", ["true", "false", "yes", "0"]),
        ("ignorecommand", ["/bin/true", "/bin/false", ""]),
        ("datepattern", ["{^LN-BEG}", "%Y/%m/%d %H:%M:%S", "^%b %d %H:%M:%S", "EPOCH", "{NONE}", "%Y-%m-%d %H:%M:%S"]),
        ("logencoding", ["utf-8", "latin-1", "ascii", "auto"]),
        ("logtimezone", ["UTC", "UTC+0200", ""]),
        ("bantime.increment", ["true", "false"]),
        ("bantime.factor", ["1", "2", "3"]),
        ("bantime.maxtime", ["1d", "5h", "1w"]),
        ("bantime.multipliers", ["1 2 4 8", "1 5 30", ""]),
        // "false" counts all jails in fail2ban 1.0.2 (a non-empty text is true; documented difference)
        ("bantime.overalljails", ["true", ""]),
        ("bantime.formula", ["ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor", "ban.Time * 2"]),
        ("bantime.rndtime", ["0"]),
    ];

    private static readonly string[] GetOnly = ["logpath", "journalmatch", "prefregex", "failregex", "ignoreregex", "ignoreip", "actions", "ignorecache"];

    private static readonly string[] ActionProperties = ["actionban", "actionunban", "actionstart", "target", "timeout", "myprop", "init", "nosuchprop"];

    private readonly Random _random;
    private readonly List<string> _jails = [.. ConfiguredJails];
    private readonly List<string> _banned = [];
    private readonly HashSet<string> _idle = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _actions = new(StringComparer.Ordinal)
    {
        ["sshd"] = ["dummy"], ["alt"] = ["dummy", "dummy2"], ["nginx-http-auth"] = ["dummy"],
    };

    private readonly List<SequenceStep> _steps = [];

    private CommandSequence(int seed) => _random = new Random(seed);

    /// <summary>The sequence of <paramref name="count"/> steps (plus the waits they need) for <paramref name="seed"/>.</summary>
    public static List<SequenceStep> Generate(int seed, int count)
    {
        var sequence = new CommandSequence(seed);
        while (sequence._steps.Count(s => s is not SequenceStep.Settle) < count)
        {
            sequence.Next();
        }

        sequence._steps.Add(new SequenceStep.Settle()); // the end state is compared too
        return sequence._steps;
    }

    private void Next()
    {
        var roll = _random.Next(100);
        switch (roll)
        {
            case < 10: Ban(); break;
            case < 16: UnbanIp(); break;
            case < 20: Unban(); break;
            case < 24: BannedQuery(); break;
            case < 28: BanList(); break;
            case < 33: Status(); break;
            case < 45: JailOption(); break;
            case < 50: IgnoreIp(); break;
            case < 56: Regex(); break;
            case < 59: LogPath(); break;
            case < 63: Action(); break;
            case < 67: Attempt(); break;
            case < 80: AppendLines(); break;
            case < 87: Lifecycle(); break;
            case < 94: Invalid(); break;
            default: Misc(); break;
        }
    }

    private void Add(params string[] words) => _steps.Add(new SequenceStep.Command(words));

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private string One(params string[] items) => Pick(items);

    private bool Chance(int percent) => _random.Next(100) < percent;

    /// <summary>Mostly a jail that exists now; sometimes one added at run time, one stopped, or none at all.</summary>
    private string Jail() => _random.Next(20) switch
    {
        0 => "nosuch",
        1 => "extra",
        2 => Pick(ConfiguredJails),
        _ => _jails.Count > 0 ? Pick(_jails) : Pick(ConfiguredJails),
    };

    private string Address() => _random.Next(10) switch
    {
        0 => Pick(Networks),
        1 => Pick(BadAddresses),
        2 or 3 when _banned.Count > 0 => Pick(_banned),
        _ => Pick(Addresses),
    };

    private string[] Addresses1To3() => [.. Enumerable.Range(0, 1 + _random.Next(Chance(70) ? 1 : 3)).Select(_ => Address())];

    private void Ban()
    {
        var ips = Addresses1To3();
        _banned.AddRange(ips);
        Add(["set", Jail(), "banip", .. ips]);
    }

    private void UnbanIp()
    {
        string[] absent = Chance(25) ? ["--report-absent"] : [];
        Add(["set", Jail(), "unbanip", .. absent, .. Chance(5) ? [] : Addresses1To3()]);
    }

    private void Unban()
    {
        if (Chance(25))
        {
            _banned.Clear();
            Add("unban", "--all");
        }
        else
        {
            Add(["unban", .. Addresses1To3()]);
        }
    }

    private void BannedQuery()
    {
        if (Chance(50))
        {
            Add(Chance(40) ? ["banned"] : ["banned", .. Addresses1To3()]);
        }
        else
        {
            Add(Chance(40) ? ["get", Jail(), "banned"] : ["get", Jail(), "banned", .. Addresses1To3()]);
        }
    }

    private void BanList() => Add(_random.Next(5) switch
    {
        0 => ["get", Jail(), "banip"],
        1 => ["get", Jail(), "banip", ","],
        2 => ["get", Jail(), "banip", "x", "--with-time"],
        _ => ["get", Jail(), "banip", "--with-time"],
    });

    private void Status() => Add(_random.Next(8) switch
    {
        0 => ["status"],
        1 => ["status", Jail(), "short"],
        2 => ["status", Jail(), "basic"],
        3 => ["status", "--all"],
        4 => ["status", "--all", "short"],
        _ => ["status", Jail()],
    });

    private void JailOption()
    {
        var jail = Jail();
        if (Chance(20))
        {
            Add("get", jail, Pick(GetOnly));
            return;
        }

        var (option, values) = Pick(JailOptions);
        Add("set", jail, option, Pick(values));
        if (Chance(60))
        {
            Add("get", jail, option);
        }
    }

    private void IgnoreIp()
    {
        var jail = Jail();
        var entry = _random.Next(6) switch
        {
            0 => Pick(Networks),
            1 => Pick(BadAddresses),
            _ => Pick(Addresses),
        };
        Add(_random.Next(5) switch
        {
            0 or 1 => ["set", jail, "addignoreip", entry],
            2 => ["set", jail, "addignoreip", entry, Pick(Addresses)],
            3 => ["set", jail, "delignoreip", entry],
            _ => ["get", jail, "ignoreip"],
        });
    }

    private void Regex()
    {
        var jail = Jail();
        var index = One("0", "1", "2", "-1", "7", "x");
        Add(_random.Next(7) switch
        {
            0 or 1 => ["set", jail, "addfailregex", Pick(FailRegexes)],
            2 => ["set", jail, "delfailregex", index],
            3 => ["set", jail, "addignoreregex", Pick(IgnoreRegexes)],
            4 => ["set", jail, "delignoreregex", index],
            5 => ["get", jail, "ignoreregex"],
            _ => ["get", jail, "failregex"],
        });
    }

    private void LogPath()
    {
        var jail = Jail();
        var file = "$DIR/" + (Chance(15) ? "missing.log" : Pick(LogFiles));
        var kind = _random.Next(5);
        Add(kind switch
        {
            0 => ["set", jail, "addlogpath", file],
            1 => ["set", jail, "addlogpath", file, One("head", "tail", "TAIL", "middle", "HEAD")],
            2 or 3 => ["set", jail, "dellogpath", file],
            _ => ["get", jail, "logpath"],
        });
        if (kind < 2)
        {
            _steps.Add(new SequenceStep.Settle()); // a file added is read by fail2ban's jail thread after the answer
        }
    }

    private void Action()
    {
        var jail = Jail();
        var actions = _actions.TryGetValue(jail, out var a) && a.Count > 0 ? a : ["dummy"];
        var action = Chance(10) ? "nosuchaction" : Pick(actions);
        switch (_random.Next(8))
        {
            case 0:
                Add("get", jail, "actions");
                break;
            case 1 or 2:
                Add("get", jail, "action", action, Pick(ActionProperties));
                break;
            case 3:
                // a timeout that is no number: fail2ban answers Python's eval error (documented difference)
                var property = One("myprop", "timeout", "actionban");
                Add("set", jail, "action", action, property, property == "timeout" ? One("30", "45") : One("v1", "30", "echo <ip>"));
                break;
            case 4:
                var added = One("rec", "dummy", "dummy2");
                Add("set", jail, "addaction", added);
                if (_actions.TryGetValue(jail, out var list) && !list.Contains(added))
                {
                    list.Add(added);
                }

                break;
            case 5:
                // only actions added at run time: a reload gives a deleted configured action back in SharpBan, not in
                // fail2ban 1.0.2 (it creates and removes it again in the same reload, docs/compatibility.md)
                var removable = actions.Where(a => a == "rec").ToList();
                var deleted = removable.Count > 0 && Chance(80) ? removable[0] : "nosuchaction";
                Add("set", jail, "delaction", deleted);
                _ = _actions.TryGetValue(jail, out var del) && del.Remove(deleted);
                break;
            default:
                Add("get", jail, "action", action, "actionban");
                break;
        }
    }

    private void Attempt()
    {
        var jail = Jail();
        if (_idle.Contains(jail))
        {
            // fail2ban's idle actions thread bans what reaches maxretry within ~2 s of going idle and holds the rest: a race
            Add("status", jail);
            return;
        }

        var lines = Enumerable.Range(0, _random.Next(3)).Select(i => $"failure line {i}");
        Add(["set", jail, "attempt", Chance(90) ? Pick(LogAddresses) : Pick(BadAddresses), .. lines]);
        _steps.Add(new SequenceStep.Settle()); // a ban it causes is queued (fail2ban's actions thread)
    }

    private void AppendLines()
    {
        var file = Pick(LogFiles);
        var lines = Enumerable.Range(0, 1 + _random.Next(5)).Select(_ => LogLine(file)).ToArray();
        _steps.Add(new SequenceStep.Append(file, lines));
        _steps.Add(new SequenceStep.Settle());
    }

    private string LogLine(string file)
    {
        var ip = Pick(LogAddresses);
        if (file == "web.log" || (file == "extra.log" && Chance(50)))
        {
            return _random.Next(4) switch
            {
                0 => $"{{nginx-date}} [error] 12#0: *{_random.Next(99)} user \"bob\" was not found in \"/etc/nginx/.htpasswd\", client: {ip}, server: example.org, request: \"GET / HTTP/1.1\", host: \"example.org\"",
                1 => $"{{nginx-date}} [notice] 12#0: signal process started",
                _ => $"{{nginx-date}} [error] 12#0: *{_random.Next(99)} user \"alice\": password mismatch, client: {ip}, server: example.org, request: \"GET /a HTTP/1.1\", host: \"example.org\"",
            };
        }

        var pid = 1000 + _random.Next(9000);
        return _random.Next(8) switch
        {
            0 => $"{{sshd-date}} host sshd[{pid}]: Invalid user bob from {ip} port 2222",
            1 => $"{{sshd-date}} host sshd[{pid}]: Accepted password for alice from {ip} port 22 ssh2",
            2 => $"{{sshd-date}} host sshd[{pid}]: custom failure from {ip} port 22",
            3 => $"{{sshd-date}} host sshd[{pid}]: Connection refused for {ip}",
            4 => $"{{sshd-date}} host sshd[{pid}]: Failed password for j\u00f6rg from {ip} port 22 ssh2",
            _ => $"{{sshd-date}} host sshd[{pid}]: Failed password for {One("root", "bob", "invalid user admin")} from {ip} port 22 ssh2",
        };
    }

    private void Lifecycle()
    {
        var jail = Jail();
        switch (_random.Next(11))
        {
            case 0 or 1:
                Add("stop", jail);
                _jails.Remove(jail);
                _idle.Remove(jail);
                break;
            case 2:
                Add("start", jail);
                _idle.Remove(jail);
                break;
            case 3:
                Add("add", "extra", One("polling", "auto"));
                if (!_jails.Contains("extra"))
                {
                    _jails.Add("extra");
                    _actions["extra"] = [];
                }

                break;
            case 4:
                Add("reload", jail);
                Reloaded(jail);
                break;
            case 5:
                var ifExists = Chance(50);
                Add(ifExists ? ["reload", "--if-exists", jail] : ["reload", "--unban", jail]);
                Reloaded(jail, ifExists);
                break;
            case 6:
                Add("restart", jail);
                Reloaded(jail);
                break;
            case 7:
                Add(Chance(50) ? ["reload"] : ["reload", "--unban", "--all"]);
                Reloaded(null);
                break;
            case 8:
                var idle = One("on", "off", "off");
                Add("set", jail, "idle", idle);
                _ = idle == "on" ? _idle.Add(jail) : _idle.Remove(jail);
                break;
            default:
                // a jail built at run time, as fail2ban-client -d would send it: log file, regex, start
                Add("add", "extra", "polling");
                Add("set", "extra", "addlogpath", "$DIR/extra.log");
                Add("set", "extra", "addfailregex", Pick(FailRegexes));
                Add("set", "extra", "maxretry", "2");
                Add("start", "extra");
                if (!_jails.Contains("extra"))
                {
                    _jails.Add("extra");
                    _actions["extra"] = [];
                }

                break;
        }

        // fail2ban reads the files of a jail started, woken or given back by a reload in its own thread, after answering
        _steps.Add(new SequenceStep.Settle());
    }

    /// <summary>After a reload the configured jails are back with their configured actions; a reload of all drops <c>extra</c>.</summary>
    /// <remarks><paramref name="ifExists"/>: <c>reload --if-exists</c>, which also adds a stopped jail again.</remarks>
    private void Reloaded(string? jail, bool ifExists = false)
    {
        if (jail is not null && !ifExists && !_jails.Contains(jail))
        {
            return; // fail2ban: a jail that is not running is reloaded only with --if-exists
        }

        _idle.RemoveWhere(j => jail is null || j == jail);
        foreach (var configured in ConfiguredJails.Where(j => jail is null || j == jail))
        {
            if (!_jails.Contains(configured))
            {
                _jails.Add(configured);
            }

            _actions[configured] = configured == "alt" ? ["dummy", "dummy2"] : ["dummy"];
        }

        if (jail is null)
        {
            _jails.Remove("extra");
        }
    }

    private void Invalid()
    {
        var jail = Jail();
        Add(_random.Next(16) switch
        {
            0 => ["foo"],
            1 => ["get"],
            2 => ["set"],
            3 => ["get", jail],
            4 => ["set", jail],
            5 => ["set", jail, "bantime"],
            6 => ["set", jail, "nosuchoption", "1"],
            7 => ["get", jail, "nosuchoption"],
            8 => ["status", jail, "basic", "x"],
            9 => ["set", jail, "maxretry", "abc"],
            10 => ["unban"],
            11 => ["add"],
            12 => ["reload", jail, "x"],
            13 => ["set", jail, "addfailregex"],
            14 => ["get", jail, "action"],
            // a configured jail that is stopped: added but not started, fail2ban 1.0.2's next reload starts and removes it
            // again (documented difference), so only one that runs (NameError in fail2ban, documented) or none
            _ => ["add", _jails.Contains(jail) || !ConfiguredJails.Contains(jail) ? jail : "--all", "polling"],
        });
    }

    private void Misc() => Add(_random.Next(7) switch
    {
        0 => ["ping"],
        1 => ["echo", "hello", Pick(Addresses)],
        2 => ["get", "dbpurgeage"],
        3 => ["set", "dbpurgeage", Pick(Times)],
        4 => ["set", "dbmaxmatches", One("5", "10")],
        5 => ["get", "dbmaxmatches"],
        _ => ["version"],
    });
}

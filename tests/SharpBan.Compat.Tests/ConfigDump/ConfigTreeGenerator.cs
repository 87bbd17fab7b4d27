namespace SharpBan.Compat.Tests.ConfigDump;

/// <summary>
/// A whole configuration directory from a seed, the way users write them: <c>fail2ban.conf</c> with its
/// <c>.local</c> and <c>fail2ban.d/</c>; <c>jail.conf</c> with <c>[INCLUDES]</c> of path files, <c>[DEFAULT]</c>
/// action shortcuts and jails; <c>jail.local</c> and <c>jail.d/*.conf|*.local</c> overriding them (the same section
/// in several files); filters and actions (<see cref="ConfigTreeGenerator"/>'s other part) with includes,
/// <c>[Init]</c>, conditional sections and <c>.local</c> overrides; log files for globs. Every file is written by a
/// <see cref="RandomIniWriter"/>. Every fourth tree holds one mistake (<see cref="Mistake"/>).
/// </summary>
internal sealed partial class ConfigTreeGenerator
{
    /// <summary>Jail names; those that are also filter names work with <c>filter = %(__name__)s</c>.</summary>
    private static readonly string[] JailNames = ["alpha", "beta", "gamma", "delta", "web-1", "Mixed.Case", "mail smtp"];

    private static readonly string[] Logs = ["alpha.log", "beta.log", "x-1.log", "x-2.log", "sub/gamma.log", "sub/x-3.log"];

    private readonly Random _random;
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _latin1 = new(StringComparer.Ordinal);

    private ConfigTreeGenerator(int seed)
    {
        _random = new Random(seed);

        // every fourth tree has a mistake, each kind in turn (so any 4 × kinds consecutive seeds make each once)
        var kinds = Enum.GetValues<Mistake>().Length - 1;
        Mistake = seed % 4 == 3 ? (Mistake)(1 + (seed / 4 % kinds)) : Mistake.None;
    }

    /// <summary>The mistake made in this tree, if any.</summary>
    public Mistake Mistake { get; }

    /// <summary>Relative path → file text (logs are empty files).</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    public static ConfigTreeGenerator Generate(int seed)
    {
        var tree = new ConfigTreeGenerator(seed);
        tree.WriteGlobal();
        tree.WriteFilters();
        tree.WriteActions();
        tree.WriteJailConf();
        tree.WriteJailOverrides();
        foreach (var log in Logs)
        {
            tree._files["logs/" + log] = string.Empty;
        }

        return tree;
    }

    /// <summary>Writes the tree under <paramref name="directory"/>.</summary>
    public void WriteTo(string directory)
    {
        foreach (var (path, text) in _files)
        {
            var full = Path.Join(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text, _latin1.Contains(path) ? System.Text.Encoding.Latin1 : new System.Text.UTF8Encoding(false));
        }

        // a directory named like a drop-in file: both readers skip it
        Directory.CreateDirectory(Path.Join(directory, "jail.d", "99-dir.conf"));
    }

    private RandomIniWriter NewFile() => new(_random)
    {
        LineEnd = _random.Next(10) switch
        {
            0 => "\r\n",
            1 when _random.Next(5) == 0 => "\r",
            _ => "\n",
        },
    };

    private void Save(string path, RandomIniWriter writer) => _files[path] = writer.ToString();

    private T Pick<T>(params T[] values) => values[_random.Next(values.Length)];

    private bool Chance(int percent) => _random.Next(100) < percent;

    private void WriteGlobal()
    {
        var conf = NewFile().Section("Definition");
        conf.Option("loglevel", Pick("INFO", "NOTICE", "DEBUG", "info", "WARNING", "3"), anyCase: true);
        conf.Option("logtarget", Pick("/var/log/fail2ban.log", "STDOUT", "SYSLOG", "%(logdir)s/fail2ban.log"), anyCase: true);
        if (Chance(50))
        {
            conf.Option("syslogsocket", "auto");
        }

        conf.Option("socket", "/run/fail2ban/fail2ban.sock");
        conf.Option("dbfile", Pick("/var/lib/fail2ban/fail2ban.sqlite3", ":memory:", "None"));
        conf.Option("dbpurgeage", Pick("1d", "86400", "7d", "1w 2d"));
        if (Chance(40))
        {
            conf.Option("dbmaxmatches", Pick("10", "0", "abc"));
        }

        if (Chance(30))
        {
            conf.Option("allowipv6", Pick("auto", "yes", "no"));
        }

        conf.Section("DEFAULT").Option("logdir", "/var/log");
        if (Chance(30))
        {
            conf.Section("Thread").Option("stacksize", Pick("0", "32", "256"));
        }

        Save("fail2ban.conf", conf);
        if (Chance(40))
        {
            var local = NewFile().Section("Definition").Option("loglevel", Pick("DEBUG", "NOTICE"), anyCase: true);
            if (Chance(50))
            {
                local.Option("dbpurgeage", "%(known/dbpurgeage)s");
            }

            Save("fail2ban.local", local);
        }

        if (Chance(30))
        {
            Save("fail2ban.d/10-target.conf", NewFile().Section("Definition").Option("logtarget", "%(logdir)s/f2b.log"));
        }

        if (Chance(20))
        {
            Save("fail2ban.d/20-level.local", NewFile().Section("Definition").Option("loglevel", "%(known/loglevel)s").Option("dbpurgeage", "2d"));
        }
    }

    private void WriteJailConf()
    {
        var conf = NewFile();
        conf.Section("INCLUDES").Option("before", Pick("paths-common.conf", "paths-common.conf\npaths-extra.conf", "./paths-common.conf"));
        if (Chance(50))
        {
            conf.Option("after", Pick("paths-overrides.local", "paths-late.conf"));
        }

        conf.Section("DEFAULT");
        conf.Option("ignoreip", Pick("127.0.0.1/8 ::1", "127.0.0.1/8, ::1", "127.0.0.1/8 ::1\n192.0.2.0/24"), anyCase: true);
        conf.Option("bantime", Pick("10m", "600", "1h", "-1"), anyCase: true);
        conf.Option("findtime", Pick("10m", "1d2h", "3600"), anyCase: true);
        conf.Option("maxretry", Pick("5", "3"), anyCase: true);
        conf.Option("backend", Pick("auto", "polling", "%(default_backend)s"));
        conf.Option("usedns", Pick("warn", "no"));
        conf.Option("logencoding", "auto");
        conf.Option("enabled", Pick("false", "no", "0"));
        conf.Option("mode", "normal");
        conf.Option("filter", Pick("%(__name__)s[mode=%(mode)s]", "%(__name__)s"));
        conf.Option("destemail", "root@localhost");
        conf.Option("sender", "root@<fq-hostname>");
        conf.Option("port", "0:65535");
        conf.Option("protocol", "tcp");
        conf.Option("chain", Pick("<known/chain>", "INPUT"));
        conf.Option("banaction", Pick("fw", "fw-allports"));
        conf.Option("banaction_allports", "fw-allports");
        conf.Option("action_", "%(banaction)s[port=\"%(port)s\", protocol=\"%(protocol)s\", chain=\"%(chain)s\"]");
        conf.Option("action_mw", "%(action_)s\nmail[name=%(__name__)s, dest=\"%(destemail)s\", sender=\"%(sender)s\"]");
        conf.Option("action_hook", "%(action_)s\nhook[name=%(__name__)s-hook, actname=%(__name__)s_hook]");
        conf.Option("action", Pick("%(action_)s", "%(action_mw)s", "\n%(action_)s"));
        if (Chance(20))
        {
            conf.Option("enabled", "true");
        }

        foreach (var jail in JailNames.Where(_ => Chance(60)))
        {
            conf.Section(jail);
            WriteJailBase(conf, jail);
        }

        Save("jail.conf", conf);

        var paths = NewFile().Section("DEFAULT");
        paths.Option("default_backend", Pick("auto", "polling"));
        paths.Option("logdir", "%(fail2ban_confpath)s/logs");
        paths.Option("alpha_log", "%(logdir)s/alpha.log");
        paths.Option("beta_log", Pick("%(logdir)s/beta.log", "%(logdir)s/beta.log\n%(logdir)s/x-1.log"));
        paths.Option("x_logs", Pick("%(logdir)s/x-*.log", "%(logdir)s/x-?.log tail", "%(logdir)s/*/x-*.log", "%(logdir)s/x-[12].log"));
        paths.Option("gamma_log", "%(logdir)s/sub/gamma.log");
        paths.Option("syslog_backend", "%(default_backend)s");
        Save("paths-common.conf", paths);
        if (Chance(40))
        {
            Save("paths-common.local", NewFile().Section("DEFAULT").Option("alpha_log", "%(logdir)s/alpha.log\n%(logdir)s/sub/gamma.log"));
        }

        Save("paths-extra.conf", NewFile().Section("DEFAULT").Option("extra_log", "%(logdir)s/sub/*.log"));
        Save("paths-late.conf", NewFile().Section("DEFAULT").Option("maxretry", "4"));
    }

    /// <summary>What jail.conf says about a jail: a filter (mostly by name), a log and sometimes its own action.</summary>
    private void WriteJailBase(RandomIniWriter conf, string jail)
    {
        switch (jail)
        {
            case "alpha":
                conf.Option("port", Pick("ssh", "22,2222", "\"22,2222\""));
                conf.Option("logpath", Pick("%(alpha_log)s", "%(alpha_log)s head"));
                conf.Option("backend", "%(syslog_backend)s");
                break;
            case "beta":
                conf.Option("logpath", "%(beta_log)s");
                conf.Option("mode", Pick("normal", "ddos", "extra"));
                break;
            case "gamma":
                conf.Option("logpath", "%(gamma_log)s");
                conf.Option("action", "%(action_hook)s");
                break;
            case "delta":
                conf.Option("filter", Pick("alpha", "alpha[maxlines=3]", "beta[mode=ddos]"));
                conf.Option("logpath", "%(x_logs)s");
                conf.Option("banaction", "%(banaction_allports)s");
                break;
            case "web-1":
                conf.Option("filter", Pick("gamma", "gamma[logtype=journal]", "beta[mode=\"extra\"][prefix=web]"));
                conf.Option("logpath", "%(logdir)s/x-*.log\n%(logdir)s/sub/x-3.log tail");
                break;
            case "Mixed.Case":
                conf.Option("filter", "delta");
                conf.Option("logpath", "%(logdir)s/*.log");
                conf.Option("action", "fw[name=MC, port=http]\nfw[name=MC2, port=https]");
                break;
            default:
                conf.Option("filter", "delta[ident=smtpd]");
                conf.Option("logpath", "%(logdir)s/beta.log");
                conf.Option("port", "smtp,465,submission");
                break;
        }
    }

    /// <summary>jail.local and jail.d/: enable jails, override options in every spelling, add jails, and the mistake.</summary>
    private void WriteJailOverrides()
    {
        var files = new List<(string Path, RandomIniWriter Writer)> { ("jail.local", NewFile()) };
        // drop-ins are read .conf first, then .local, each in code point order ("B" before "a"), dot files never
        foreach (var name in (string[])["jail.d/00-defaults.conf", "jail.d/10-web.conf", "jail.d/10-web.local", "jail.d/20-extra.local", "jail.d/B.conf",
            "jail.d/a.conf", "jail.d/.hidden.conf", "jail.d/Z.local", "jail.d/_x.local"])
        {
            if (Chance(25))
            {
                files.Add((name, NewFile()));
            }
        }

        foreach (var (_, writer) in files)
        {
            if (Chance(50))
            {
                writer.Section("DEFAULT");
                WriteJailOptions(writer, null, _random.Next(1, 4));
            }

            foreach (var jail in JailNames.Where(_ => Chance(40)))
            {
                writer.Section(jail);
                if (Chance(85))
                {
                    writer.Option("enabled", Pick("true", "yes", "1", "on", "True", "false"), anyCase: true);
                }

                if (!_files["jail.conf"].Contains("[" + jail + "]", StringComparison.Ordinal))
                {
                    WriteJailBase(writer, jail);
                }

                WriteJailOptions(writer, jail, _random.Next(0, 5));
            }
        }

        var (mistakePath, mistakeWriter) = files[_random.Next(files.Count)];
        MakeMistake(mistakePath, mistakeWriter);
        foreach (var (path, writer) in files)
        {
            Save(path, writer);
        }
    }

    private void WriteJailOptions(RandomIniWriter writer, string? jail, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (name, value) = _random.Next(23) switch
            {
                0 => ("bantime", Pick("1h", "1d2h", "-1", "600", "1.5h", "3600 ; an hour", "%(findtime)s", "2w")),
                1 => ("findtime", Pick("10m", "1h30m", "600", "1d")),
                2 => ("maxretry", Pick("3", "1", " 7")),
                3 => ("maxmatches", Pick("5", "%(maxretry)s")),
                4 => ("port", Pick("ssh", "http,https", "\"80,443\"", "1000:2000")),
                5 => ("action", Pick("%(action_)s", "%(action_mw)s", "%(action_hook)s", "fw[port=\"%(port)s\", name=%(__name__)s]",
                    "\n%(action_)s\n\nhook[actname=second, timeout=5]", "fw-allports[name=all]\nsmtp.py[dest=a@example.org, actname=mailpy]",
                    "mail[dest=\"a@example.org\", sender='f2b@example.org']", "fw[port=\"22,80\", protocol=udp][chain=F2B]",
                    "fw[name=%(__name__)s-v6,\n   port=\"%(port)s\",\n   chain=\"F2B, all\"]", "fw\nfw", "fw[Port=1, PORT=2]\nmail[DEST=x, Üser=ü]",
                    "smtp.py[dest=\"ü@example.org\", subject='a \"b\"', n=1]", "fw[blocktype=<known/blocktype>, name=<__name__>]",
                    "fw[port=%%(port)s, protocol=%(protocol)s%%]", "hook[name=%(__name__)s_x, timeout=<known/timeout>0]", "noop[x=1]\nfw",
                    "%(fail2ban_confpath)s/custom/notify[to=ops]\n%(fail2ban_confpath)s/custom/hook.py[x=1]")),
                6 => ("banaction", Pick("fw", "fw-allports", "hook")),
                7 => ("filter", jail is null ? "%(__name__)s[mode=%(mode)s]" : Pick("alpha", "beta[mode=extra]", "beta[mode=%(mode)s]", "gamma", "delta", "alpha[maxlines=2, ident=\"x, y\"]",
                    "%(fail2ban_confpath)s/custom/site[ident=site]")),
                8 => ("mode", Pick("normal", "ddos", "extra")),
                9 => ("ignoreip", jail is null ? "127.0.0.1/8 ::1 192.0.2.1" : Pick("127.0.0.1/8 ::1 192.0.2.1", "192.0.2.0/24,198.51.100.7", "%(known/ignoreip)s 203.0.113.5")),
                10 => ("usedns", Pick("yes", "no", "raw", "warn")),
                11 => ("backend", Pick("polling", "auto", "systemd", "systemd[journalpath=/run/log/journal]", "pyinotify")),
                12 => ("logpath", jail is null ? "%(logdir)s/alpha.log" : Pick("%(logdir)s/alpha.log", "%(x_logs)s", "%(logdir)s/*.log\n%(logdir)s/sub/*.log", "%(known/logpath)s\n%(logdir)s/x-1.log",
                    "%(logdir)s/alpha.log  tail", "%(logdir)s/[!x]*.log\n\n%(logdir)s/sub/gamma.log head", "%(logdir)s/**/*.log", "%(logdir)s/sub/../alpha.log")),
                13 => ("failregex", Pick("%(known/failregex)s\n^extra <HOST>$", "^only <HOST>$", "^a <HOST>$\n\n^b <HOST>$")),
                14 => ("ignoreregex", Pick("^ignore me", "")),
                15 => ("datepattern", Pick("^%%Y-%%m-%%d %%H:%%M:%%S", "{^LN-BEG}", "%%s")),
                16 => ("journalmatch", Pick("_SYSTEMD_UNIT=x.service + _COMM=x", "_COMM=\"a b\"", "_COMM=a\\ b + 'MESSAGE=x y'", "\"_PID=1\"'2' #x\n_COMM=y")),
                17 => ("bantime.increment", Pick("true", "false")),
                18 => (Pick("bantime.factor", "bantime.maxtime", "bantime.rndtime", "bantime.multipliers"), Pick("2", "1w", "5m", "1 2 4 8")),
                19 => ("ignorecommand", Pick("", "/usr/bin/check <ip>", "%(fail2ban_confpath)s/ignore.sh <ip>")),
                20 => (Pick("my option", "__hidden", "Custom_Key", "__name__", "Ωμέγα"), Pick("a", "b = c", "x: y", "%%(x)s", "%(__name__)s")),
                21 when jail is not null => Pick(("maxretry", "%(default/maxretry)s"), ("port", "%(alpha/port)s"), ("prefregex", "^<F-CONTENT>.+</F-CONTENT>$"),
                    ("ignoreself", Pick("false", "true")), ("ignorecache", "key=\"<ip>\", max-count=100, max-time=5m"), ("logtimezone", "UTC"),
                    ("backend", "gamin"), ("usedns", "%(known/usedns)s")),
                _ => ("maxlines", Pick("1", "2", "abc", "%(maxretry)s")),
            };
            writer.Option(name, value, anyCase: true);
        }
    }
}

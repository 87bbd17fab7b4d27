namespace SharpBan.Compat.Tests.ConfigDump;

/// <summary>
/// The filter.d and action.d part of a generated tree: shared heads included <c>before</c>/<c>after</c> (relative,
/// <c>./</c>, missing <c>.local</c>), <c>[Definition]</c> values with <c>%(…)s</c>, <c>%(known/…)s</c>, <c>&lt;tag&gt;</c>,
/// <c>&lt;known/…&gt;</c>, <c>&lt;sec/opt&gt;</c> and nested <c>&lt;mdre-&lt;mode&gt;&gt;</c> references, <c>%%</c>,
/// <c>[Init]</c> and <c>[Init?family=inet6]</c>, <c>.local</c> files and <c>X.d/</c> directories overriding them.
/// </summary>
internal sealed partial class ConfigTreeGenerator
{
    private void WriteFilters()
    {
        var common = NewFile();
        if (Chance(30))
        {
            common.Section("INCLUDES").Option("after", "common.local");
        }

        common.Section("DEFAULT")
            .Option("_daemon", "\\S*")
            .Option("__pid_re", "(?:\\[\\d+\\])")
            .Option("__daemon_re", "[\\[\\(]?%(_daemon)s(?:\\(\\S+\\))?[\\]\\)]?:?")
            .Option("__prefix_line", Pick("\\s*%(__daemon_re)s\\s+", "<lt_<logtype>/__prefix>"))
            .Option("__prefix_file", "\\S+ %(__daemon_re)s\\s+");
        common.Section("lt_file").Option("__prefix", "%(__prefix_file)s");
        common.Section("lt_journal").Option("__prefix", "\\s*");
        Save("filter.d/common.conf", common);
        if (Chance(30))
        {
            Save("filter.d/common.local", NewFile().Section("DEFAULT").Option("__pid_re", "(?:\\[\\d+\\]|\\(\\d+\\))"));
        }

        var alpha = NewFile();
        if (Chance(25))
        {
            alpha.Section("DEFAULT").Option("head", "common");
            alpha.Section("INCLUDES").Option("before", Pick("%(head)s.conf", "%(head)s.conf\n%%(none)s.local"));
        }
        else
        {
            alpha.Section("INCLUDES").Option("before", Pick("common.conf", "./common.conf", "common.conf\n\nmissing.local", "\ncommon.conf"));
        }

        alpha.Section("Definition")
            .Option("_daemon", "alphad")
            .Option("failregex", "^%(__prefix_line)sfailed login for .* from <HOST>( port \\d+)?$\n^%(__prefix_line)sinvalid user <F-USER>\\S+</F-USER> from <HOST>", anyCase: true)
            .Option("ignoreregex", Pick("", "^%(__prefix_line)slogin ok"), anyCase: true)
            .Option("maxlines", Pick("1", "%(lines)s"))
            .Option("lines", "1");
        if (Chance(50))
        {
            alpha.Option("journalmatch", "_SYSTEMD_UNIT=alpha.service + _COMM=%(_daemon)s");
        }

        if (Chance(20))
        {
            alpha.Option("__name__", "named").Option("section", "%(__name__)s");
        }

        if (Chance(50))
        {
            alpha.Section("Init").Option("maxlines", Pick("2", "5")).Option("ident", "alpha");
            if (Chance(30))
            {
                alpha.Option("usedns", "no").Option("datepattern", "^%%Y");
            }

            if (Chance(30))
            {
                alpha.Option("known/ident", "x").Option("__name__", "init").Option("Größe", "1");
            }
        }

        if (Chance(20))
        {
            alpha.Section(Pick("Init?family=inet6", "Definition?mode=aggressive")).Option(Pick("maxlines", "failregex", "__name__"), "7");
        }

        Save("filter.d/alpha.conf", alpha);
        if (Chance(40))
        {
            Save("filter.d/alpha.local", NewFile().Section("Definition").Option("failregex", "%(known/failregex)s\n^%(__prefix_line)slocal rule <HOST>$"));
        }

        if (Chance(20))
        {
            Save("filter.d/alpha.d/50-site.local", NewFile().Section("Definition").Option("ignoreregex", "%(known/ignoreregex)s\n^site <HOST>"));
        }

        if (Chance(50))
        {
            // a filter that is only a .local (no .conf), named like a jail
            Save("filter.d/web-1.local", NewFile().Section("Definition").Option("failregex", "^web <HOST> <known/x>$").Option("x", "1").Section("Init").Option("x", "2"));
        }

        // a filter outside filter.d, named by its path; its head comes through a 'before' in [DEFAULT]
        var site = NewFile();
        site.Section("DEFAULT").Option("before", "../filter.d/common.conf").Section("INCLUDES");
        site.Section("Definition").Option("_daemon", "<ident>").Option("failregex", "^%(__prefix_line)ssite denied <HOST>$");
        Save("custom/site.conf", site);

        var beta = NewFile();
        beta.Section("INCLUDES").Option("before", "common.conf");
        beta.Section("Definition")
            .Option("_daemon", "betad")
            .Option("prefregex", Pick("^<F-MLFID>%(__prefix_line)s</F-MLFID><F-CONTENT>.+</F-CONTENT>$", "^%(__prefix_line)s<F-CONTENT>.+</F-CONTENT>$"))
            .Option("cmnfailre", "^bad password for <F-USER>\\S+</F-USER> from <HOST>")
            .Option("mdre-normal", "^auth failure from <HOST>")
            .Option("mdre-ddos", "^too many connections from <HOST>")
            .Option("mdre-extra", "<mdre-normal>\n<mdre-ddos>")
            .Option("failregex", "<cmnfailre>\n<mdre-<mode>>")
            .Option("datepattern", Pick("{^LN-BEG}%%Y-%%m-%%d %%H:%%M:%%S", "^%%b %%d %%H:%%M:%%S", "{^LN-BEG}"));
        beta.Section("Init").Option("mode", "normal");
        if (Chance(40))
        {
            beta.Option("prefix", "x").Option("date", "<mode>");
        }

        Save("filter.d/beta.conf", beta);

        var gamma = NewFile();
        gamma.Section("INCLUDES").Option("before", string.Empty);
        gamma.Section("Definition").Option("failregex", "^gamma <HOST>$").Option("logtype", Chance(3) ? "<logtype>" : "file");
        if (Chance(50))
        {
            gamma.Option("journalmatch", "_COMM=gamma\n_COMM=gamma2");
        }

        Save("filter.d/gamma.conf", gamma);
        if (Chance(50))
        {
            Save("filter.d/gamma.d/10-ignore.conf", NewFile().Section("Definition").Option("ignoreregex", "^gamma ok$"));
        }

        if (Chance(40))
        {
            Save("filter.d/gamma.local", NewFile().Section("Definition").Option("failregex", "%(known/failregex)s\n^gamma2 <HOST>$"));
        }

        var delta = NewFile();
        delta.Section("INCLUDES").Option("before", "common.conf").Option("after", Pick("delta-tail.conf", "delta-tail.conf\nnosuch.local"));
        delta.Section("Definition")
            .Option("_daemon", "<ident>")
            .Option("failregex", "^%(__prefix_line)sreject from <HOST>: <reason>$")
            .Option("reason", "(?:denied|refused)");
        delta.Section("Init").Option("ident", "delta").Option("journalmatch", "SYSLOG_IDENTIFIER=<ident>");
        Save("filter.d/delta.conf", delta);
        var tail = NewFile();
        if (Chance(30))
        {
            // a loop read by this one filter only (delta, delta-tail, delta again): cut where it closes
            tail.Section("INCLUDES").Option("after", "delta.conf");
        }

        tail.Section("Definition").Option("reason", "%(known/reason)s|blocked").Option("maxlines", "1");
        Save("filter.d/delta-tail.conf", tail);
    }

    private void WriteActions()
    {
        var fwBase = NewFile();
        fwBase.Section("Definition")
            .Option("actionstart", "fwtool -N f2b-<name>\nfwtool -A f2b-<name> -j RETURN\nfwtool -I <chain> -p <protocol> -m multiport --dports <port> -j f2b-<name>")
            .Option("actionstop", "fwtool -D <chain> -p <protocol> --dports <port> -j f2b-<name>\nfwtool -X f2b-<name>")
            .Option("actioncheck", "fwtool -n -L <chain> | grep -q 'f2b-<name>[ \\t]'")
            .Option("actionban", "fwtool -I f2b-<name> 1 -s <ip> -j <blocktype>")
            .Option("actionunban", "fwtool -D f2b-<name> -s <ip> -j <blocktype>")
            .Option("_stamp", "date +%%s");
        fwBase.Section("Init").Option("chain", "INPUT").Option("port", "ssh").Option("protocol", "tcp").Option("blocktype", Pick("REJECT --reject-with icmp-port-unreachable", "DROP"));
        if (Chance(60))
        {
            fwBase.Section("Init?family=inet6").Option("blocktype", "REJECT --reject-with icmp6-port-unreachable");
        }

        Save("action.d/fw-base.conf", fwBase);

        var fw = NewFile();
        fw.Section("INCLUDES").Option("before", Pick("fw-base.conf", "./fw-base.conf"));
        fw.Section("Definition").Option("actionban", Pick("<known/actionban>\necho %(_stamp)s <ip> >> /tmp/<name>.bans", "%(known/actionban)s", "fwtool -I f2b-<name> 1 -s <ip> -j <blocktype>"));
        if (Chance(50))
        {
            fw.Option("actionstart_on_demand", Pick("false", "true", "1"));
        }

        fw.Section("Init").Option("name", "default");
        Save("action.d/fw.conf", fw);
        if (Chance(40))
        {
            Save("action.d/fw.local", NewFile().Section("Init").Option("blocktype", "DROP").Option("chain", Chance(3) ? "<known/chain>" : "F2B-INPUT"));
        }

        var all = NewFile();
        all.Section("INCLUDES").Option("before", "fw.conf");
        all.Section("Definition").Option("actionstart", "fwtool -N f2b-<name>\nfwtool -I <chain> -p <protocol> -j f2b-<name>").Option("actionstop", "fwtool -X f2b-<name>");
        Save("action.d/fw-allports.conf", all);
        if (Chance(30))
        {
            Save("action.d/fw-allports.d/10-flush.conf", NewFile().Section("Definition").Option("actionflush", "fwtool -F f2b-<name>"));
        }

        var mail = NewFile();
        mail.Section("Definition")
            .Option("actionstart", "")
            .Option("actionban", "printf %%b \"Subject: [f2b] <name>: banned <ip>\\nFrom: <sender>\\n\\n<matches>\" | sendmail -f <sender> <dest>")
            .Option("norestored", Pick("1", "true", "no"));
        mail.Section("Init").Option("dest", "root").Option("sender", "fail2ban").Option("name", "default");
        Save("action.d/mail.conf", mail);

        Save("custom/notify.conf", NewFile().Section("Definition").Option("actionban", "notify <to> <ip> <name>").Section("Init").Option("to", "root"));

        // an action with no [Definition]: fail2ban streams each known property as None
        Save("action.d/noop.conf", NewFile().Section("Init").Option("x", "0").Option("y", "<x>"));

        var hook = NewFile();
        hook.Section("Definition")
            .Option("actionstart_on_demand", "true")
            .Option("actionban", "/usr/local/bin/hook ban <ip> <bantime> <F-USER> '<ipjailmatches>' <family> <name>")
            .Option("actionunban", "/usr/local/bin/hook unban <ip>")
            .Option("actionrepair_on_unban", Pick("yes", "false"))
            .Option("actioncheck", "");
        hook.Section("Init").Option("timeout", "60").Option("family", "inet4");
        if (Chance(25))
        {
            hook.Option("__name__", "hidden").Option("Üser", "root").Option("ΟΔΟΣ", "%(__name__)s");
        }

        if (Chance(25))
        {
            hook.Section("Init?family=inet6").Option("family", "inet6").Option("__name__", "v6");
        }

        Save("action.d/hook.conf", hook);
        if (Chance(40))
        {
            Save("action.d/hook.local", NewFile().Section("Init").Option("timeout", Chance(3) ? "<known/timeout>" : "10").Option("extra", "1"));
        }
    }
}

namespace SharpBan.Compat.Tests.ConfigDump;

/// <summary>The mistakes a generated tree may hold (at most one), each as users make it.</summary>
internal enum Mistake
{
    None,
    UnknownFilter,
    UnknownAction,
    MissingInterpolationKey,
    RecursiveInterpolation,
    DuplicateOption,
    DuplicateSection,
    LineWithoutDelimiter,
    OptionBeforeSection,
    BadActionArguments,
    SelfReferencingTags,
    MissingLogFile,
    NotANumber,
    EmptyFilter,
    ByteOrderMark,
    NotUtf8,
    NoFail2banConf,
    LocalIncludesItsConf,
    FilterWithoutDefinition,
    UnclosedQuoteInJournalmatch,
    IncludeLoopThroughParent,
}

/// <summary>Writes the tree's <see cref="Mistake"/> into a jail.local or jail.d file.</summary>
internal sealed partial class ConfigTreeGenerator
{
    private void MakeMistake(string path, RandomIniWriter writer)
    {
        switch (Mistake)
        {
            case Mistake.None:
                return;
            case Mistake.UnknownFilter:
                writer.Section("broken").Option("enabled", "true").Option("filter", Pick("nosuch", "nosuch[mode=x]")).Option("logpath", "%(logdir)s/alpha.log");
                return;
            case Mistake.UnknownAction:
                writer.Section("broken").Option("enabled", "true").Option("filter", "alpha").Option("logpath", "%(logdir)s/alpha.log")
                    .Option("action", "fw\nnosuch[name=x]");
                return;
            case Mistake.MissingInterpolationKey:
                writer.Section("broken").Option("enabled", "true").Option("filter", "alpha").Option("logpath", "%(logdir)s/alpha.log")
                    .Option("bantime", "%(nosuch)s");
                return;
            case Mistake.RecursiveInterpolation:
                writer.Section("broken").Option("enabled", "true").Option("filter", "alpha").Option("logpath", "%(logdir)s/alpha.log")
                    .Option("a", "%(b)s").Option("b", "x %(a)s").Option("findtime", "%(a)s");
                return;
            case Mistake.DuplicateOption:
                writer.Section("alpha").RawOption("maxretry", "2").RawOption("MaxRetry", "3");
                return;
            case Mistake.DuplicateSection:
                writer.Raw("[dup]").Raw("enabled = false").Raw("[dup]").Raw("enabled = false");
                return;
            case Mistake.LineWithoutDelimiter:
                writer.Section("alpha").Raw("enabled");
                return;
            case Mistake.OptionBeforeSection:
                _files["jail.d/00-first.conf"] = "enabled = true\n[alpha]\nenabled = true\n";
                return;
            case Mistake.BadActionArguments:
                writer.Section("broken").Option("enabled", "true").Option("filter", "alpha").Option("logpath", "%(logdir)s/alpha.log")
                    .Option("action", Pick("fw[port=\"22\" , protocol=tcp]", "fw[port=22]]", "fw[=1]"));
                return;
            case Mistake.SelfReferencingTags:
                writer.Section("broken").Option("enabled", "true").Option("filter", "alpha").Option("logpath", "%(logdir)s/alpha.log")
                    .Option("action", "fw[chain=\"<blocktype>\", blocktype=\"<chain>\"]");
                return;
            case Mistake.MissingLogFile:
                writer.Section("broken").Option("enabled", "true").Option("filter", "alpha").Option("logpath", "%(logdir)s/nosuch.log");
                return;
            case Mistake.NotANumber:
                writer.Section("broken").Option("enabled", "true").Option("filter", "alpha").Option("logpath", "%(logdir)s/alpha.log")
                    .Option("maxretry", "three").Option("maxlines", "0x2");
                return;
            case Mistake.EmptyFilter:
                writer.Section("broken").Option("enabled", "true").Option("filter", "").Option("logpath", "%(logdir)s/alpha.log").Option("action", "");
                return;
            case Mistake.ByteOrderMark:
                _files["jail.d/00-bom.conf"] = "\uFEFF[alpha]\nenabled = true\n";
                return;
            case Mistake.NotUtf8:
                // written as Latin-1: fail2ban logs the file it cannot decode and reads on without it
                _files["jail.d/30-latin1.local"] = "[alpha]\n# réglé par Hélène\nenabled = true\n";
                _latin1.Add("jail.d/30-latin1.local");
                return;
            case Mistake.NoFail2banConf:
                _files.Remove("fail2ban.conf");
                return;
            case Mistake.LocalIncludesItsConf:
                _files["filter.d/alpha.local"] = "[INCLUDES]\nbefore = alpha.conf\n[Definition]\nfailregex = %(known/failregex)s\n  ^own <HOST>$\n";
                writer.Section("alpha").Option("enabled", "true");
                return;
            case Mistake.UnclosedQuoteInJournalmatch:
                writer.Section("broken").Option("enabled", "true").Option("filter", "alpha").Option("logpath", "%(logdir)s/alpha.log")
                    .Option("journalmatch", "_COMM=\"alpha");
                return;
            case Mistake.IncludeLoopThroughParent:
                // the same file under another name each time round: fail2ban never sees it as a loop
                _files["jail.d/loop.inc"] = "[INCLUDES]\nafter = ../jail.d/loop.inc\n[DEFAULT]\nlooped = 1\n";
                writer.Section("INCLUDES").Option("after", path.StartsWith("jail.d/", StringComparison.Ordinal) ? "loop.inc" : "jail.d/loop.inc");
                return;
            case Mistake.FilterWithoutDefinition:
                _files["filter.d/bare.conf"] = "[Init]\nmaxlines = 2\n";
                writer.Section("bare").Option("enabled", "true").Option("filter", "bare").Option("logpath", "%(logdir)s/alpha.log")
                    .Option("failregex", "^bare <HOST>$"); // its own: a DEFAULT '%(known/failregex)s' would meet fail2ban's None

                return;
        }
    }
}

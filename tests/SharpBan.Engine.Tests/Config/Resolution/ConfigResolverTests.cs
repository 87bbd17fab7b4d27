using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Engine.Config.Stream;
using SharpBan.Engine.Tests.Support;

namespace SharpBan.Engine.Tests.Config.Resolution;

public sealed class ConfigResolverTests : IDisposable
{
    private readonly TempConfigDirectory _dir = new();

    public ConfigResolverTests()
    {
        _dir.Write("fail2ban.conf", "[Definition]\nloglevel = INFO\n");
        _dir.Write("filter.d/f.conf", "[Definition]\nfailregex = ^fail <HOST>$\n");
        _dir.Write("action.d/a.conf", "[Definition]\nactionban = ban <ip> <name>\n");
        _dir.Write("logs/x.log", string.Empty);
    }

    public void Dispose() => _dir.Dispose();

    private void Jail(string text) =>
        _dir.Write("jail.conf", "[DEFAULT]\nbackend = polling\naction = a\nfilter = f\nlogpath = %(fail2ban_confpath)s/logs/x.log\n\n" + text);

    private ConfigResolution Resolve(bool allowMissingLogs = true) =>
        ConfigResolver.Resolve(_dir.Path, new ResolveOptions { AllowMissingLogs = allowMissingLogs });

    private static List<string> Lines(ConfigResolution r) => r.Stream.Select(ConfigStreamJson.ToJson).ToList();

    private static ConfigDiagnostic SingleError(ConfigResolution r) =>
        Assert.Single(r.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);

    [Fact]
    public void Resolve_SimpleJail_StreamsInFail2banOrder()
    {
        Jail("[j]\nenabled = true\nmaxretry = 3\n");
        var lines = Lines(Resolve());
        Assert.Equal(
            [
                "[\"add\",\"j\",\"polling\"]",
                "[\"set\",\"j\",\"addfailregex\",\"^fail <HOST>$\"]",
                "[\"set\",\"j\",\"maxretry\",3]",
                $"[\"set\",\"j\",\"addlogpath\",\"{_dir.FullPath("logs/x.log")}\",\"head\"]",
                "[\"set\",\"j\",\"addaction\",\"a\"]",
                "[\"multi-set\",\"j\",\"action\",\"a\",[[\"actionban\",\"ban <ip> j\"],[\"name\",\"j\"],[\"actname\",\"a\"]]]",
                "[\"start\",\"j\"]",
            ],
            lines.Skip(6));
    }

    [Fact]
    public void Resolve_DisabledJails_AreLeftOut_EnabledFormsAccepted()
    {
        Jail("[on1]\nenabled = yes\n[on2]\nenabled = 1\n[on3]\nenabled = ON\n[off1]\nenabled = no\n[off2]\nenabled = maybe\n[off3]\nx = 1\n");
        Assert.Equal(["on1", "on2", "on3"], Resolve().Jails);
    }

    [Fact]
    public void Resolve_UnknownFilter_IsJailConfigErrorWithLocation_OtherJailsResolve()
    {
        Jail("[good]\nenabled = true\n\n[bad]\nenabled = true\nfilter = nosuch\n");
        var r = Resolve();
        var error = SingleError(r);
        Assert.Equal("Unable to read the filter 'nosuch'", error.Message);
        Assert.Equal(new SourceLocation(_dir.FullPath("jail.conf"), 12), error.Location);
        Assert.Equal("bad", error.Section);
        Assert.Equal("filter", error.Option);
        var lines = Lines(r);
        Assert.Contains("[\"config-error\",\"Jail 'bad' skipped, because of wrong configuration: Unable to read the filter 'nosuch'\"]", lines);
        Assert.Contains("[\"start\",\"good\"]", lines);
        Assert.DoesNotContain("[\"start\",\"bad\"]", lines);
    }

    [Fact]
    public void Resolve_UnknownAction_IsJailConfigError()
    {
        Jail("[j]\nenabled = true\naction = a\n         missing[x=1]\n");
        var error = SingleError(Resolve());
        Assert.Equal("Unable to read action 'missing'", error.Message);
        Assert.Equal(("j", "action", 9), (error.Section, error.Option, error.Location.Line));
    }

    /// <summary>The SharpBan extension is streamed only where set, so <c>-d</c> stays fail2ban's without it.</summary>
    [Fact]
    public void Resolve_MaxTracked_StreamedAsANumberOnlyWhereSet()
    {
        Jail("[plain]\nenabled = true\n\n[capped]\nenabled = true\nmaxtracked = 5000\n");
        var lines = Lines(Resolve());
        Assert.Contains("[\"set\",\"capped\",\"maxtracked\",5000]", lines);
        Assert.DoesNotContain(lines, l => l.Contains("\"plain\",\"maxtracked\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_MaxTrackedNotAWholeNumber_IsJailConfigErrorAtItsLine()
    {
        Jail("[j]\nenabled = true\nmaxtracked = -1\n");
        var error = SingleError(Resolve());
        Assert.Equal("must be a whole number of addresses, 0 for no limit, not '-1'", error.Message);
        Assert.Equal(("j", "maxtracked", 9), (error.Section, error.Option, error.Location.Line));
    }

    /// <summary>Like maxtracked: streamed only where set, the pairs one space apart.</summary>
    [Fact]
    public void Resolve_Thresholds_StreamedNormalisedOnlyWhereSet()
    {
        Jail("[plain]\nenabled = true\n\n[extra]\nenabled = true\nthresholds = 10/1d\n   30/1w\n");
        var lines = Lines(Resolve());
        Assert.Contains("[\"set\",\"extra\",\"thresholds\",\"10/1d 30/1w\"]", lines);
        Assert.DoesNotContain(lines, l => l.Contains("\"plain\",\"thresholds\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("10/1d 12h", "'12h' is not COUNT/TIME (e.g. 10/1d)")]
    [InlineData("0/1d", "'0/1d': the count must be a whole number from 1 to 1000")]
    [InlineData("10/-1", "'10/-1': the time must be a positive time value (e.g. 600, 10m, 1d12h)")]
    [InlineData("10/1x", "'10/1x': the time must be a positive time value (e.g. 600, 10m, 1d12h)")]
    public void Resolve_ThresholdsNotPairs_IsJailConfigErrorAtItsLine(string value, string message)
    {
        Jail($"[j]\nenabled = true\nmaxretry = 3\nthresholds = {value}\n");
        var error = SingleError(Resolve());
        Assert.Equal(message, error.Message);
        Assert.Equal(("j", "thresholds", 10), (error.Section, error.Option, error.Location.Line));
    }

    [Fact]
    public void Resolve_BadInterpolationInOneJail_DoesNotStopOthers()
    {
        Jail("[broken]\nenabled = true\nbantime = %(nosuch)s\n\n[fine]\nenabled = true\n");
        var r = Resolve();
        var error = SingleError(r);
        Assert.Equal(
            "Bad value substitution: option 'bantime' in section 'broken' contains an interpolation key 'nosuch' which is not a valid option name. Raw value: '%(nosuch)s'",
            error.Message);
        Assert.Equal(new SourceLocation(_dir.FullPath("jail.conf"), 9), error.Location);
        Assert.Contains("[\"start\",\"fine\"]", Lines(r));
    }

    [Fact]
    public void Resolve_RecursionTooDeep_IsReported()
    {
        Jail("[j]\nenabled = true\nfindtime = %(a)s\na = %(findtime)s\n");
        var error = SingleError(Resolve());
        Assert.StartsWith("Recursion limit exceeded in value substitution: option 'findtime' in section 'j'", error.Message, StringComparison.Ordinal);
        Assert.Equal(9, error.Location.Line);
    }

    [Fact]
    public void Resolve_BadOptionListSyntax_InFilterAndAction()
    {
        Jail("[j1]\nenabled = true\nfilter = f[mode=\"x\" y=1]\n[j2]\nenabled = true\naction = a[p=1]junk\n");
        var errors = Resolve().Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal("Invalid filter definition 'f[mode=\"x\" y=1]': unexpected syntax at 8 after option 'mode':  y=1", errors[0].Message);
        Assert.Equal(("j1", "filter", 9), (errors[0].Section, errors[0].Option, errors[0].Location.Line));
        Assert.Equal("Invalid action definition 'a[p=1]junk': unexpected option syntax", errors[1].Message);
    }

    [Fact]
    public void Resolve_DuplicateKeyInJailFile_IsErrorWithFileAndLine()
    {
        Jail("[j]\nenabled = true\nmaxretry = 3\nmaxretry = 4\n");
        var error = SingleError(Resolve());
        Assert.Equal("option 'maxretry' already exists in section 'j' of this file", error.Message);
        Assert.Equal(new SourceLocation(_dir.FullPath("jail.conf"), 10), error.Location);
    }

    [Fact]
    public void Resolve_MissingLogFile_IsErrorForTestAndWarningForDump()
    {
        Jail("[j]\nenabled = true\nlogpath = /nonexistent/sharpban/*.log\n");
        var test = Resolve(allowMissingLogs: false);
        var error = SingleError(test);
        Assert.Equal("Have not found any log file for j jail", error.Message);
        Assert.Equal(("j", "logpath", 9), (error.Section, error.Option, error.Location.Line));
        var dump = Resolve(allowMissingLogs: true);
        Assert.False(dump.HasErrors);
        Assert.Contains(dump.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Message == "Have not found any log file for j jail");
    }

    [Fact]
    public void Resolve_MissingConfInclude_IsErrorButMissingLocalIsFine()
    {
        _dir.Write("jail.local", "[INCLUDES]\nbefore = nothere.conf\nafter = optional.local\n");
        Jail("[j]\nenabled = true\n");
        var error = SingleError(Resolve());
        Assert.Equal($"included file '{_dir.FullPath("nothere.conf")}' does not exist", error.Message);
        Assert.Equal(new SourceLocation(_dir.FullPath("jail.local"), 2), error.Location);
    }

    [Fact]
    public void Resolve_MissingFail2banConf_IsAWarningAndDefaultsUsed()
    {
        // fail2ban logs it and goes on with the defaults: its -t passes
        File.Delete(_dir.FullPath("fail2ban.conf"));
        Jail("[j]\nenabled = true\n");
        var r = Resolve();
        Assert.False(r.HasErrors);
        Assert.Contains(r.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Message == $"Found no accessible config files for 'fail2ban' under {_dir.Path}");
        Assert.Contains("[\"set\",\"dbfile\",\"/var/lib/fail2ban/fail2ban.sqlite3\"]", Lines(r));
    }

    [Fact]
    public void Resolve_NoJailConf_IsAWarningAndNoJail()
    {
        File.Delete(_dir.FullPath("jail.conf"));
        var r = Resolve(allowMissingLogs: false);
        Assert.False(r.HasErrors);
        Assert.Empty(r.Jails);
        Assert.Contains(r.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Message == $"Found no accessible config files for 'jail' under {_dir.Path}");
    }

    [Fact]
    public void Resolve_FileNotValidUtf8_IsAWarningAndTheFileIsNotRead()
    {
        // fail2ban logs "Error decoding config file" and reads the configuration without that file (its -t passes)
        Jail("[j]\nenabled = true\nmaxretry = 3\n");
        File.WriteAllBytes(_dir.FullPath("jail.local"), [.. "[j]\n# caf"u8, 0xE9, .. "\nmaxretry = 9\n"u8]);
        var r = Resolve(allowMissingLogs: false);
        Assert.False(r.HasErrors);
        Assert.Contains("[\"set\",\"j\",\"maxretry\",3]", Lines(r));
        var warning = Assert.Single(r.Diagnostics, d => d.Location.File == _dir.FullPath("jail.local"));
        Assert.Equal("Error decoding config file: not valid UTF-8 (byte 0xe9 at position 9); the file is not read", warning.Message);
    }

    [Fact]
    public void Resolve_LocalOverlays_InLookupOrder()
    {
        Jail("[j]\nenabled = true\nmaxretry = 1\nfindtime = 1m\nbantime = 1m\n");
        _dir.Write("jail.d/b.conf", "[j]\nmaxretry = 2\nfindtime = 2m\n");
        _dir.Write("jail.d/a.conf", "[j]\nmaxretry = 9\n");
        _dir.Write("jail.local", "[j]\nfindtime = 3m\n");
        _dir.Write("jail.d/z.local", "[j]\nbantime = %(known/bantime)s0\n");
        var lines = Lines(Resolve());
        Assert.Contains("[\"set\",\"j\",\"maxretry\",2]", lines);
        Assert.Contains("[\"set\",\"j\",\"findtime\",\"3m\"]", lines);
        Assert.Contains("[\"set\",\"j\",\"bantime\",\"1m0\"]", lines);
    }

    [Fact]
    public void Resolve_JailExtendsFilterFailregex_WithKnown()
    {
        _dir.Write("filter.d/f.local", "[Definition]\nfailregex = %(known/failregex)s\n            ^local <HOST>$\n");
        Jail("[j]\nenabled = true\nfailregex = %(known/failregex)s\n            ^jail <HOST>$\n");
        var lines = Lines(Resolve());
        Assert.Contains("[\"multi-set\",\"j\",\"addfailregex\",[\"^fail <HOST>$\",\"^local <HOST>$\",\"^jail <HOST>$\"]]", lines);
        Assert.Single(lines, l => l.Contains("addfailregex", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_FilterOptions_JailArgumentsBeatInitBeatDefinition()
    {
        _dir.Write("filter.d/m.conf", "[Definition]\nfailregex = ^<word> <HOST> <other>$\nword = def\nother = def\n[Init]\nword = init\nother = init\n");
        Jail("[j]\nenabled = true\nfilter = m[word=jail]\n");
        Assert.Contains("[\"set\",\"j\",\"addfailregex\",\"^jail <HOST> init$\"]", Lines(Resolve()));
    }

    [Fact]
    public void Resolve_LogtypeFollowsBackendUnlessSet()
    {
        _dir.Write("filter.d/lt.conf", "[Definition]\nfailregex = ^<logtype> <HOST>$\n");
        Jail("[file]\nenabled = true\nfilter = lt\n[journal]\nenabled = true\nfilter = lt\nbackend = systemd\n[given]\nenabled = true\nfilter = lt[logtype=short]\nbackend = systemd\n");
        var lines = Lines(Resolve());
        Assert.Contains("[\"set\",\"file\",\"addfailregex\",\"^file <HOST>$\"]", lines);
        Assert.Contains("[\"set\",\"journal\",\"addfailregex\",\"^journal <HOST>$\"]", lines);
        Assert.Contains("[\"set\",\"given\",\"addfailregex\",\"^short <HOST>$\"]", lines);
        Assert.DoesNotContain(lines, l => l.Contains("\"journal\",\"addlogpath\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_ActionNames_InitRawValuesAndFamilyVariants()
    {
        _dir.Write("action.d/fw.conf",
            "[Definition]\nactionban = <cmd> <ip> <chain>\n[Init]\ncmd = ipt <opt>\nopt = -w\nchain = INPUT\n[Init?family=inet6]\ncmd = ip6t <opt>\n");
        Jail("[j]\nenabled = true\naction = fw\n         fw[name=j-udp]\n         fw[name=other, chain=\"A,B\"]\n");
        var lines = Lines(Resolve());
        Assert.Contains("[\"set\",\"j\",\"addaction\",\"fw\"]", lines);
        Assert.Contains("[\"set\",\"j\",\"addaction\",\"fw-udp\"]", lines);
        Assert.Contains("[\"set\",\"j\",\"addaction\",\"fw-other\"]", lines);
        Assert.Contains(
            "[\"multi-set\",\"j\",\"action\",\"fw\",[[\"actionban\",\"<cmd> <ip> INPUT\"],[\"name\",\"j\"],[\"actname\",\"fw\"],[\"cmd\",\"ipt <opt>\"],[\"opt\",\"-w\"],[\"chain\",\"INPUT\"],[\"cmd?family=inet6\",\"ip6t <opt>\"]]]",
            lines);
        Assert.Contains(lines, l => l.Contains("[\"actionban\",\"<cmd> <ip> A,B\"]", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_IncludeOrder_BeforeFileAfter_WithImplicitLocal()
    {
        _dir.Write("before.conf", "[DEFAULT]\nv = before\nw = before\n");
        _dir.Write("before.local", "[DEFAULT]\nw = before-local\n");
        _dir.Write("after.conf", "[DEFAULT]\nv = after\n");
        Jail("[INCLUDES]\nbefore = before.conf\nafter = after.conf\n[DEFAULT]\nv = main\nw = main\nmaxmatches = 1\n[j]\nenabled = true\nfindtime = %(v)s\nbantime = %(w)s\n");
        var lines = Lines(Resolve());
        Assert.Contains("[\"set\",\"j\",\"findtime\",\"after\"]", lines);
        Assert.Contains("[\"set\",\"j\",\"bantime\",\"main\"]", lines);
    }

    [Fact]
    public void Resolve_IncludeLoops_AreCutWithAWarning()
    {
        _dir.Write("sub/a.conf", "[INCLUDES]\nbefore = ../sub/b.conf\n[DEFAULT]\nfromA = 1\n");
        _dir.Write("sub/b.conf", "[INCLUDES]\nbefore = ../sub/a.conf\n[DEFAULT]\nfromB = 2\n");
        Jail("[INCLUDES]\nbefore = sub/a.conf\n[j]\nenabled = true\nmaxretry = %(froma)s%(fromb)s\n");
        var r = Resolve();
        Assert.False(r.HasErrors);
        Assert.Contains("[\"set\",\"j\",\"maxretry\",12]", Lines(r));
        Assert.Contains(r.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Message.StartsWith("include loop:", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_GlobalSettings_StreamedInServerOrder()
    {
        _dir.Write("fail2ban.conf", "[Definition]\ndbpurgeage = 2d\ndbfile = :memory:\ndbmaxmatches = 3\nloglevel = DEBUG\n[Thread]\nstacksize = 32\n");
        _dir.Write("fail2ban.d/x.local", "[Definition]\nlogtarget = STDOUT\n");
        Jail(string.Empty);
        var lines = Lines(Resolve());
        Assert.Equal(
            [
                "[\"set\",\"thread\",{\"stacksize\":32}]", "[\"set\",\"syslogsocket\",\"auto\"]", "[\"set\",\"loglevel\",\"DEBUG\"]",
                "[\"set\",\"logtarget\",\"STDOUT\"]", "[\"set\",\"allowipv6\",\"auto\"]", "[\"set\",\"dbfile\",\":memory:\"]",
                "[\"set\",\"dbmaxmatches\",3]", "[\"set\",\"dbpurgeage\",\"2d\"]",
            ],
            lines);
    }

    [Fact]
    public void Resolve_InvalidLogLevel_IsError()
    {
        _dir.Write("fail2ban.conf", "[Definition]\nloglevel = LOUD\n");
        Jail(string.Empty);
        var error = SingleError(Resolve());
        Assert.Equal("Invalid log level 'LOUD'", error.Message);
        Assert.Equal(2, error.Location.Line);
    }

    [Theory]
    [InlineData("[Definition]\nlogtarget = %(logdir)s/f2b.log\n", true)] // e.g. [DEFAULT] logdir in a fail2ban.conf that is missing
    [InlineData("[Definition]\nloglevel = LOUD\n", true)]
    [InlineData("[Definition]\nloglevel =\n", true)] // fail2ban: "Invalid log level ''" (it was accepted)
    [InlineData("[Definition]\ndbfile = %(nosuch)s\n", false)]
    [InlineData("[Definition]\n[Thread]\nstacksize = 1%\n", false)]
    public void Resolve_Fail2banConfThatCannotBeRead_RefusesTheWholeConfiguration(string fail2banConf, bool early)
    {
        // fail2ban refuses everything then (it had streamed ["set", "loglevel", null] and started the jails)
        _dir.Write("fail2ban.conf", fail2banConf);
        Jail("[j]\nenabled = true\n");
        var r = Resolve();
        Assert.Same(SingleError(r), r.Global!.Failure);
        Assert.Equal(early, r.Global.FailsEarly);
    }

    [Fact]
    public void Resolve_JailWithoutActions_WarnsAtTheSectionHeader()
    {
        _dir.Write("jail.conf", "[DEFAULT]\nbackend = polling\n\n[quiet]\nenabled = true\nfilter = f\nlogpath = %(fail2ban_confpath)s/logs/x.log\n");
        var warning = Assert.Single(Resolve().Diagnostics, d => d.Message == "No actions were defined for quiet");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(new SourceLocation(_dir.FullPath("jail.conf"), 4), warning.Location);
    }
}

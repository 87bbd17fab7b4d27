using System.Text.Json.Nodes;
using SharpBan.Compat.Tests.Oracle;
using SharpBan.Compat.Tests.Support;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Engine.Config.Stream;
using Xunit.Abstractions;

namespace SharpBan.Compat.Tests.ConfigDump;

/// <summary><c>sharpban client -d</c> against <c>fail2ban-client -d</c> on the same directory: zero differences.</summary>
public sealed partial class ConfigDumpCompatTests(ITestOutputHelper output)
{
    private static readonly string FixtureRoot = Path.Join(AppContext.BaseDirectory, "ConfigDump", "Configs");

    public static TheoryData<string> Fixtures() =>
        new(Directory.EnumerateDirectories(FixtureRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [OracleTheory]
    [MemberData(nameof(Fixtures))]
    public void Dump_FixtureConfig_MatchesReference(string fixture)
    {
        using var temp = new TempDirectory();
        TempDirectory.Copy(Path.Join(FixtureRoot, fixture), temp.Path);
        AssertSameStream(temp.Path, minimumLines: 10);
    }

    [OracleFact]
    public void Dump_DebianConfigWithAllJailsEnabled_MatchesReference()
    {
        using var temp = new TempDirectory();
        TempDirectory.Copy(ReferenceFail2Ban.ConfigDirectory, temp.Path);
        File.WriteAllText(Path.Join(temp.Path, "jail.local"), "[DEFAULT]\nenabled = true\nbackend = polling\n");
        var jails = AssertSameStream(temp.Path, minimumLines: 1000);
        Assert.True(jails >= 90, $"expected the ~91 Debian jails, got {jails}");
    }

    /// <summary>
    /// <c>metrics</c> in <c>fail2ban.local</c> (SharpBan's HTTP listener): fail2ban ignores an option it does not know,
    /// whatever its value, and it is not in our stream, so both dumps stay the same (a bad value is only our diagnostic).
    /// </summary>
    [OracleTheory]
    [InlineData("127.0.0.1:9191")]
    [InlineData("[::1]:9191")]
    [InlineData("off")]
    [InlineData("not an address")]
    public void Dump_MetricsOption_MatchesReference(string metrics)
    {
        using var temp = new TempDirectory();
        TempDirectory.Copy(Path.Join(FixtureRoot, "overlays"), temp.Path);
        File.WriteAllText(Path.Join(temp.Path, "fail2ban.local"), $"[Definition]\nmetrics = {metrics}\n");
        AssertSameStream(temp.Path, minimumLines: 10);
    }

    /// <summary>Debian's configuration under other distributions' paths files and with other action shortcuts.</summary>
    public static TheoryData<string, string> DebianVariants() => new()
    {
        { "paths-debian.conf", "[DEFAULT]\nenabled = true\nbackend = systemd\nbanaction = nftables-multiport\nbanaction_allports = nftables-allports\naction = %(action_mwl)s\n" },
        { "paths-arch.conf", "[DEFAULT]\nenabled = true\naction = %(action_xarf)s\n" },
        {
            "paths-opensuse.conf",
            "[DEFAULT]\nenabled = true\nbackend = polling\ncfemail = a@example.org\ncfapikey = k\nabuseipdb_apikey = z\nabuseipdb_category = 18\n"
            + "blocklist_de_apikey = q\nblocklist_de_email = e@example.org\naction = %(action_cf_mwl)s\n         %(action_blocklist_de)s\n         %(action_abuseipdb)s\n"
        },
        {
            "paths-debian.conf",
            "[DEFAULT]\nenabled = true\nbackend = pyinotify\nmode = aggressive\nbanaction = firewallcmd-ipset\nbantime.increment = true\n"
            + "[sshd]\nmode = ddos\nfilter = sshd[mode=%(mode)s, publickey=any]\naction = iptables-ipset-proto6[name=x, port=\"22,2222\", bantime=3600]\n"
            + "         route\n         hostsdeny[daemon_list=sshd]\n         smtp.py[dest=me@example.org, host=localhost]\n"
            + "[apache-auth]\nfailregex = %(known/failregex)s\n            ^extra <HOST>$\nignoreip = 192.0.2.1\n"
        },
    };

    [OracleTheory]
    [MemberData(nameof(DebianVariants))]
    public void Dump_DebianConfigVariant_MatchesReference(string pathsFile, string jailLocal)
    {
        using var temp = new TempDirectory();
        TempDirectory.Copy(ReferenceFail2Ban.ConfigDirectory, temp.Path);
        var jailConf = Path.Join(temp.Path, "jail.conf");
        File.WriteAllText(jailConf, File.ReadAllText(jailConf).Replace("paths-debian.conf", pathsFile, StringComparison.Ordinal));
        File.WriteAllText(Path.Join(temp.Path, "jail.local"), jailLocal);
        AssertSameStream(temp.Path, minimumLines: 1000);
    }

    /// <summary><c>client --str2sec</c>: the same seconds, printed as Python prints them (int or float).</summary>
    [OracleTheory]
    [InlineData("1h30m")]
    [InlineData("1.5h")]
    [InlineData("1d 2h")]
    [InlineData("-1")]
    [InlineData("1w")]
    [InlineData("1mo")]
    [InlineData("1y")]
    [InlineData("0.5")]
    [InlineData("3 days")]
    [InlineData("2*60")]
    [InlineData("7/2")]
    [InlineData("1y-6mo")]
    public void Str2Sec_Value_SameAsFail2banClient(string value)
    {
        var reference = ReferenceFail2Ban.Str2Sec(value);
        using var output = new StringWriter();

        var exit = SharpBan.Client.ClientCommand.Str2Sec(value, output);

        Assert.Equal(0, exit);
        Assert.Equal(reference, output.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>A file fail2ban reads that is not valid INI: no stream at all, the same message and exit code.</summary>
    [OracleTheory]
    [InlineData("jail.local", "[sshd]\nenabled = true\n\n[sshd]\nmaxretry = 2\n")]
    [InlineData("jail.local", "[sshd]\nenabled = true\nenabled = false\n")]
    [InlineData("jail.local", "enabled = true\n")]
    [InlineData("jail.local", "[sshd]\nenabled = true\n garbage\nnot an option\n")]
    [InlineData("filter.d/sshd.local", "[Definition]\nmaxlines = 1\nmaxlines = 2\n")]
    [InlineData("action.d/iptables-multiport.local", "[Definition]\nactionban = x\nactionban = y\n")]
    public void Dump_FileThatIsNotValidIni_RefusedAsFail2Ban(string file, string text)
    {
        using var temp = new TempDirectory();
        TempDirectory.Copy(ReferenceFail2Ban.ConfigDirectory, temp.Path);
        if (file != "jail.local")
        {
            File.WriteAllText(Path.Join(temp.Path, "jail.local"), "[sshd]\nenabled = true\n");
        }

        File.WriteAllText(Path.Join(temp.Path, file), text);
        var (referenceExit, reference) = ReferenceFail2Ban.DumpRaw(temp.Path);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = SharpBan.Client.ConfigDump.Run(temp.Path, new Dictionary<string, string>(), stdout, stderr);

        Assert.Equal(SharpBan.Client.ConfigDump.SyntaxFailure + "\n", reference);
        Assert.Equal(reference, stdout.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(referenceExit, exit);
        Assert.Contains(Path.Join(temp.Path, file), stderr.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A configuration directory that does not exist: the same line on standard output, the same exit code.</summary>
    [OracleFact]
    public void Dump_MissingDirectory_SameAnswerAsReference()
    {
        using var temp = new TempDirectory();
        var missing = Path.Join(temp.Path, "nosuch");
        var (referenceExit, reference) = ReferenceFail2Ban.DumpRaw(missing);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = SharpBan.Client.ConfigDump.Run(missing, new Dictionary<string, string>(), stdout, stderr);

        Assert.Equal((referenceExit, reference), (exit, stdout.ToString().ReplaceLineEndings("\n")));
        Assert.Equal(ReferenceFail2Ban.TestExit(missing), SharpBan.Client.ConfigTest.Run(missing, new Dictionary<string, string>(), TextWriter.Null));
    }

    /// <summary>A fail2ban.conf fail2ban cannot read: no stream, the same line on standard output, the same exit codes.</summary>
    [OracleTheory]
    [InlineData("[Definition]\nloglevel = LOUD\n")]
    [InlineData("[Definition]\nloglevel =\n")]
    [InlineData("[Definition]\nsocket = %(run)s/f2b.sock\n")]
    [InlineData("[DEFAULT]\nlogdir = /var/log\n[Definition]\nlogtarget = %(logdir)s/f2b.log\ndbfile = %(nosuch)s\n")]
    [InlineData("[Definition]\ndbmaxmatches = 10%\n")]
    [InlineData("[Definition]\n[Thread]\nstacksize = %(x)s\n")]
    public void DumpAndTest_Fail2banConfThatCannotBeRead_RefusedAsFail2Ban(string fail2banConf)
    {
        using var temp = new TempDirectory();
        TempDirectory.Copy(ReferenceFail2Ban.ConfigDirectory, temp.Path);
        File.WriteAllText(Path.Join(temp.Path, "fail2ban.local"), fail2banConf);
        File.WriteAllText(Path.Join(temp.Path, "jail.local"), "[sshd]\nenabled = true\nbackend = polling\nlogpath = /etc/hostname\n");
        var (referenceExit, reference) = ReferenceFail2Ban.DumpRaw(temp.Path);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = SharpBan.Client.ConfigDump.Run(temp.Path, new Dictionary<string, string>(), stdout, stderr);

        Assert.Equal((referenceExit, reference), (exit, stdout.ToString().ReplaceLineEndings("\n")));
        Assert.Equal(ReferenceFail2Ban.TestExit(temp.Path), SharpBan.Client.ConfigTest.Run(temp.Path, new Dictionary<string, string>(), TextWriter.Null));
    }

    /// <summary>
    /// A jail with a problem (unknown filter or action, bad value, missing log, bad substitution): <c>-d</c> and <c>-t</c>
    /// exit as fail2ban-client's do, and where fail2ban prints a stream it is the same (the broken jail a config-error).
    /// </summary>
    [OracleTheory]
    [InlineData("[sshd]\nenabled = true\nfilter = nosuch\n", true)]
    [InlineData("[sshd]\nenabled = true\naction = nosuchaction\n", true)]
    [InlineData("[sshd]\nenabled = true\nmaxretry = abc\n", true)]
    [InlineData("[sshd]\nenabled = true\nfindtime = 10 parsecs\nbantime = x\n", true)]
    [InlineData("[sshd]\nenabled = true\nbackend = nosuchbackend\n", true)]
    [InlineData("[sshd]\nenabled = true\nlogpath = /nonexistent/auth.log\n", true)]
    [InlineData("[sshd]\nenabled = true\nfilter = sshd[mode=nosuchmode]\n", true)]
    [InlineData("[sshd]\nenabled = true\nusedns = maybe\nmaxlines = 0x10\n", true)]
    [InlineData("[sshd]\nenabled = true\n[broken]\nenabled = true\nfilter = nosuch\n", true)]
    [InlineData("[sshd]\nenabled = false\n[broken]\nenabled = true\nfilter = nosuch\n[broken2]\nenabled = true\naction = nosuch\n", true)]
    [InlineData("[sshd]\nenabled = true\nmaxretry = %(nosuch)s\n", false)]
    [InlineData("[sshd]\nenabled = true\na = %(b)s\nb = %(a)s\nmaxretry = %(a)s\n", false)]
    public void DumpAndTest_JailWithAProblem_ExitAsFail2Ban(string jailLocal, bool referencePrintsAStream)
    {
        using var temp = new TempDirectory();
        TempDirectory.Copy(ReferenceFail2Ban.ConfigDirectory, temp.Path);
        File.WriteAllText(Path.Join(temp.Path, "auth.log"), "");
        File.WriteAllText(Path.Join(temp.Path, "jail.local"), "[DEFAULT]\nbackend = polling\n"
            + (jailLocal.Contains("logpath", StringComparison.Ordinal)
                ? jailLocal
                : jailLocal.Replace("enabled = true\n", "enabled = true\nlogpath = " + Path.Join(temp.Path, "auth.log") + "\n", StringComparison.Ordinal)));
        var (referenceDumpExit, _) = ReferenceFail2Ban.DumpRaw(temp.Path);
        var referenceTestExit = ReferenceFail2Ban.TestExit(temp.Path);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var testOutput = new StringWriter();

        var dumpExit = SharpBan.Client.ConfigDump.Run(temp.Path, new Dictionary<string, string>(), stdout, stderr);
        var testExit = SharpBan.Client.ConfigTest.Run(temp.Path, new Dictionary<string, string>(), testOutput);

        output.WriteLine($"fail2ban -d {referenceDumpExit} -t {referenceTestExit}; ours -d {dumpExit} -t {testExit}\n{stderr}{testOutput}");
        Assert.Equal((referenceDumpExit, referenceTestExit), (dumpExit, testExit));
        if (referencePrintsAStream)
        {
            AssertSameStream(temp.Path, minimumLines: 8);
        }

        if (testExit != 0)
        {
            Assert.Contains(Path.Join(temp.Path, "jail.local") + ":", testOutput.ToString(), StringComparison.Ordinal);
        }
    }

    private int AssertSameStream(string directory, int minimumLines)
    {
        var reference = ReferenceFail2Ban.Dump(directory);
        var resolution = ConfigResolver.Resolve(directory, new ResolveOptions { AllowMissingLogs = true });
        var ours = resolution.Stream.Select(c => JsonNode.Parse(ConfigStreamJson.ToJson(c))!).ToList();
        var (onlyReference, onlyOurs) = StreamComparison.Difference(reference, ours);
        output.WriteLine($"{directory}: reference {reference.Count} lines, ours {ours.Count} lines, {onlyReference.Count + onlyOurs.Count} differences");
        foreach (var line in onlyReference.Take(20))
        {
            output.WriteLine("only in fail2ban: " + line);
        }

        foreach (var line in onlyOurs.Take(20))
        {
            output.WriteLine("only in sharpban: " + line);
        }

        Assert.True(reference.Count >= minimumLines, $"the reference printed only {reference.Count} lines");
        Assert.Empty(onlyReference);
        Assert.Empty(onlyOurs);
        return ours.Count(c => c[0]!.GetValue<string>() == "start");
    }
}

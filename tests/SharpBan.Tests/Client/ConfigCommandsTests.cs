using System.Diagnostics;
using System.Text.Json;
using SharpBan.Client;

namespace SharpBan.Tests.Client;

/// <summary><c>sharpban client -d</c> and <c>-t</c>, in process and as the real executable.</summary>
public sealed class ConfigCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-client-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Shipped => Path.Join(AppContext.BaseDirectory, "config");

    /// <summary><c>-t</c> on a directory with <paramref name="jailConf"/>, one filter <c>f</c> and an empty log <c>l.log</c>.</summary>
    private (int Exit, string Output) TestOneFilterConfig(string jailConf, string filter = "[Definition]\nfailregex = ^x <HOST>$\n")
    {
        Write("fail2ban.conf", "[Definition]\nloglevel = INFO\n");
        Write("filter.d/f.conf", filter);
        Write("l.log", string.Empty);
        Write("jail.conf", jailConf);
        using var o = new StringWriter();
        var rc = ConfigTest.Run(_dir, new Dictionary<string, string>(), o);
        return (rc, o.ToString());
    }

    private void Write(string relative, string text)
    {
        var path = Path.Join(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private void CopyShipped()
    {
        foreach (var file in Directory.EnumerateFiles(Shipped, "*", SearchOption.AllDirectories))
        {
            var target = Path.Join(_dir, Path.GetRelativePath(Shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static (int Exit, string Out, string Err) RunExe(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Join(AppContext.BaseDirectory, "sharpban.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    [Fact]
    public void Dump_ShippedConfig_IsOneJsonArrayPerLineWithTheSshdJail()
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var rc = ConfigDump.Run(Shipped, new Dictionary<string, string>(), o, e);
        Assert.Equal(0, rc);
        var lines = o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(l).RootElement.ValueKind));
        Assert.Contains("[\"start\",\"sshd\"]", lines);
        Assert.Contains("[\"set\",\"sshd\",\"maxretry\",3]", lines);
        Assert.Contains("[\"set\",\"sshd\",\"findtime\",\"10m\"]", lines);
        Assert.Contains("[\"set\",\"sshd\",\"bantime\",\"10m\"]", lines);
        Assert.DoesNotContain("error:", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Test_ShippedConfigWithAllJailsAndExistingLogs_IsSuccessful()
    {
        CopyShipped();
        Write("logs/any.log", string.Empty);
        Write("jail.local", "[DEFAULT]\nenabled = true\nbackend = polling\n");
        Write(
            "paths.local",
            "[DEFAULT]\nlogs = %(fail2ban_confpath)s/logs/any.log\n" + string.Concat(File.ReadLines(Path.Join(_dir, "paths.conf"))
                .Select(static l => System.Text.RegularExpressions.Regex.Match(l, @"^(\w+)\s*=\s*/"))
                .Where(static m => m.Success)
                .Select(static m => m.Groups[1].Value + " = %(logs)s\n")));

        using var o = new StringWriter();
        var rc = ConfigTest.Run(_dir, new Dictionary<string, string>(), o);
        Assert.Equal(ConfigTest.Success, o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.DoesNotContain("the server will refuse", o.ToString(), StringComparison.Ordinal); // every jail's filter compiles
        Assert.Equal(0, rc);
    }

    /// <summary>Every shipped action, and the jail.conf shortcuts, from a jail.local on the shipped configuration.</summary>
    [Theory]
    [InlineData("action = %(action_mw)s", "sendmail-whois")]
    [InlineData("action = %(action_mwl)s", "sendmail-whois-lines")]
    [InlineData("mta = mail\naction = %(action_mw)s", "mail-whois")]
    [InlineData("mta = mail\naction = %(action_mwl)s", "mail-whois-lines")]
    [InlineData("action = sendmail[dest=a@example.org]", "sendmail")]
    [InlineData("banaction = firewallcmd-multiport", "firewallcmd-multiport")]
    [InlineData("banaction = firewallcmd-allports", "firewallcmd-allports")]
    [InlineData("banaction = firewallcmd-rich-rules", "firewallcmd-rich-rules")]
    [InlineData("banaction = firewallcmd-ipset", "firewallcmd-ipset")]
    [InlineData("action = hostsdeny[daemon_list=sshd]", "hostsdeny")]
    [InlineData("action = route[blocktype=blackhole]", "route")]
    [InlineData("banaction = iptables-ipset", "iptables-ipset")]
    [InlineData("action = iptables-ipset[type=allports, protocol=\"tcp,udp\"]", "iptables-ipset")]
    [InlineData("banaction = iptables-ipset-proto6", "iptables-ipset-proto6")]
    [InlineData("banaction = iptables-ipset-proto6-allports", "iptables-ipset-proto6-allports")]
    [InlineData("action = abuseipdb[abuseipdb_apikey=k, abuseipdb_category=\"18,22\"]", "abuseipdb")]
    [InlineData("action = %(action_)s\n         %(action_abuseipdb)s[abuseipdb_apikey=k]", "abuseipdb")]
    [InlineData("action = cloudflare-token[cftoken=t, cfzone=z]", "cloudflare-token")]
    [InlineData("action = apprise[config=/etc/sharpban/apprise.yml]", "apprise")]
    [InlineData("action = sendmail-whois-matches[dest=a@example.org]", "sendmail-whois-matches")]
    [InlineData("action = sendmail-whois-ipmatches", "sendmail-whois-ipmatches")]
    [InlineData("action = sendmail-whois-ipjailmatches", "sendmail-whois-ipjailmatches")]
    [InlineData("action = mail[dest=a@example.org]", "mail")]
    [InlineData("banaction = iptables-multiport-log", "iptables-multiport-log")]
    [InlineData("banaction = ufw", "ufw")]
    [InlineData("action = ufw[application=OpenSSH, kill-mode=ss, insert=1]", "ufw")]
    public void DumpAndTest_ShippedConfigWithNewAction_ResolvesWithoutErrors(string jailOptions, string action)
    {
        CopyShipped();
        Write("logs/auth.log", string.Empty);
        Write("jail.local", $"[sshd]\nbackend = polling\nlogpath = %(fail2ban_confpath)s/logs/auth.log\n{jailOptions}\n");
        using var o = new StringWriter();
        using var e = new StringWriter();

        var dump = ConfigDump.Run(_dir, new Dictionary<string, string>(), o, e);
        using var t = new StringWriter();
        var test = ConfigTest.Run(_dir, new Dictionary<string, string>(), t);

        Assert.Equal(0, dump);
        Assert.Equal("", e.ToString());
        var lines = o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"[\"set\",\"sshd\",\"addaction\",\"{action}\"]", lines);
        var multiSet = Assert.Single(lines, l => l.StartsWith($"[\"multi-set\",\"sshd\",\"action\",\"{action}\"", StringComparison.Ordinal));
        Assert.Contains("\"actionban\"", multiSet, StringComparison.Ordinal);
        Assert.DoesNotContain("config-error", o.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, test);
        Assert.EndsWith(ConfigTest.Success + "\n", t.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Test_BrokenConfig_ListsEveryProblemWithLocationAndFails()
    {
        Write("fail2ban.conf", "[Definition]\nloglevel = INFO\n");
        Write("filter.d/f.conf", "[Definition]\nfailregex = ^x <HOST>$\n");
        Write("jail.conf", "[DEFAULT]\nbackend = polling\n\n[a]\nenabled = true\nfilter = nosuch\n\n[b]\nenabled = true\nfilter = f\nlogpath = /nonexistent/x.log\nmaxretry = 1\nmaxretry = 2\n");
        using var o = new StringWriter();
        var rc = ConfigTest.Run(_dir, new Dictionary<string, string>(), o);
        var text = o.ToString();
        Assert.Equal(255, rc);
        var jail = Path.Join(_dir, "jail.conf");
        Assert.Contains($"{jail}:13: error: [b] maxretry: option 'maxretry' already exists in section 'b' of this file", text, StringComparison.Ordinal);
        Assert.Contains($"{jail}:6: error: [a] filter: Unable to read the filter 'nosuch'", text, StringComparison.Ordinal);
        Assert.Contains($"{jail}:11: error: [b] logpath: Have not found any log file for b jail", text, StringComparison.Ordinal);
        Assert.EndsWith(ConfigTest.Failure + "\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    /// <summary>
    /// A host with a systemd journal (Debian 12 without rsyslog): a jail with <c>backend = auto</c> whose log file is
    /// missing is what the server then reads from the journal, so <c>-t</c> warns instead of failing; an explicit
    /// backend, or a host without a journal, still fails.
    /// </summary>
    [Theory]
    [InlineData("auto", true, 0, "warning")]
    [InlineData("auto", false, 255, "error")]
    [InlineData("polling", true, 255, "error")]
    public void Test_MissingLogWithSystemJournal_WarnsWhereTheServerFollowsTheJournal(string backend, bool systemJournal, int expected, string severity)
    {
        Write("fail2ban.conf", "[Definition]\nloglevel = INFO\n");
        Write("filter.d/f.conf", "[Definition]\nfailregex = ^x <HOST>$\njournalmatch = _SYSTEMD_UNIT=ssh.service\n");
        Write("jail.conf", $"[j]\nenabled = true\nfilter = f\nbackend = {backend}\nlogpath = /nonexistent/auth.log\n");
        using var o = new StringWriter();
        var rc = ConfigTest.Run(_dir, new Dictionary<string, string>(), o, systemJournal);
        Assert.Equal(expected, rc);
        Assert.Contains($"{Path.Join(_dir, "jail.conf")}:5: {severity}: [j] logpath: Have not found any log file for j jail", o.ToString(), StringComparison.Ordinal);
        Assert.Equal(severity == "warning", o.ToString().Contains("the server reads the systemd journal instead", StringComparison.Ordinal));
    }

    /// <summary>
    /// A regex or date pattern the server will refuse is a warning (fail2ban's <c>-t</c> compiles none, and its verdict
    /// is kept): the jail, the option, what was given and why.
    /// </summary>
    [Fact]
    public void Test_RegexesTheServerWillRefuse_WarnedWithTheReason()
    {
        var (rc, o) = TestOneFilterConfig(
            "[j]\nenabled = true\nfilter = f\nbackend = polling\nlogpath = %(fail2ban_confpath)s/l.log\n"
            + "ignoreregex = (\ndatepattern = ^*%%Y-%%m-%%d\n[k]\nenabled = true\nfilter = f[prefregex=\"\"]\nbackend = polling\n"
            + "logpath = %(fail2ban_confpath)s/l.log\nfailregex = ^y (?P<user>\\S+)$\n",
            "[Definition]\nprefregex = ^(<F-CONTENT>.+</F-CONTENT>$\nfailregex = ^x <HOST>$\n");

        var warnings = o.Split('\n').Where(static l => l.Contains("the server will refuse", StringComparison.Ordinal)).ToList();
        Assert.Equal(0, rc);
        Assert.Equal(4, warnings.Count);
        Assert.Contains(warnings, static w => w.StartsWith("warning: [j] prefregex: the server will refuse '^(<F-CONTENT>.+</F-CONTENT>$': Unable to compile regular expression", StringComparison.Ordinal));
        Assert.Contains(warnings, static w => w.StartsWith("warning: [j] ignoreregex: the server will refuse '(': Unable to compile regular expression", StringComparison.Ordinal));
        Assert.Contains(warnings, static w => w.StartsWith("warning: [j] datepattern: the server will refuse '^*%Y-%m-%d': Unable to compile regular expression", StringComparison.Ordinal));
        Assert.Contains("warning: [k] failregex: the server will refuse '^y (?P<user>\\\\S+)$': No failure-id group in '^y (?P<user>\\S+)$'", warnings);
    }

    [Fact]
    public void Test_UnknownBackend_WarnedThatTheServerWillNotAddTheJail()
    {
        var (rc, o) = TestOneFilterConfig("[j]\nenabled = true\nfilter = f\nbackend = sytemd\nlogpath = %(fail2ban_confpath)s/l.log\n");

        Assert.Equal(0, rc); // as fail2ban's -t
        Assert.Contains("warning: [j] backend: the server will not add the jail: Unknown backend sytemd. Must be among ['pyinotify', 'gamin', 'polling', 'systemd'] or 'auto'", o, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_BadThresholds_RefusedWithFileAndLine()
    {
        var (rc, o) = TestOneFilterConfig("[j]\nenabled = true\nfilter = f\nbackend = polling\nlogpath = %(fail2ban_confpath)s/l.log\nthresholds = 10/1d 30\n");
        Assert.Equal(255, rc);
        Assert.Contains($"{Path.Join(_dir, "jail.conf")}:6: error: [j] thresholds: '30' is not COUNT/TIME (e.g. 10/1d)", o, StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_MissingDirectory_Fail2banClientsAnswerAndExitCode()
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var rc = ConfigDump.Run(Path.Join(_dir, "nosuch") + "/", new Dictionary<string, string>(), o, e);
        Assert.Equal(255, rc);
        Assert.Equal($"ERROR: Base configuration directory {Path.Join(_dir, "nosuch")} does not exist \n", o.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Executable_DumpAndTest_ExitCodesAndStreams()
    {
        Write("fail2ban.conf", "[Definition]\n");
        Write("filter.d/f.conf", "[Definition]\nfailregex = ^x <HOST>$\n");
        Write("l.log", string.Empty);
        Write("jail.conf", "[j]\nenabled = true\nfilter = f\nbackend = polling\nlogpath = %(fail2ban_confpath)s/l.log\n");
        var dump = RunExe("client", "-c", _dir, "-d");
        Assert.Equal(0, dump.Exit);
        Assert.Contains("[\"add\",\"j\",\"polling\"]", dump.Out, StringComparison.Ordinal);
        var test = RunExe("client", "-c", _dir, "-t");
        Assert.Equal(0, test.Exit);
        Assert.Contains("OK: configuration test is successful", test.Out, StringComparison.Ordinal);
        File.Delete(Path.Join(_dir, "l.log"));
        var failing = RunExe("client", "-c", _dir, "-t");
        Assert.NotEqual(0, failing.Exit);
        Assert.Contains("Have not found any log file for j jail", failing.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", failing.Out + failing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Executable_FileThatIsNotValidIni_NoStreamAndTheServerDoesNotStart()
    {
        Write("fail2ban.conf", "[Definition]\n");
        Write("filter.d/f.conf", "[Definition]\nfailregex = ^x <HOST>$\n");
        Write("l.log", string.Empty);
        Write("jail.conf", "[j]\nenabled = true\nfilter = f\nbackend = polling\nlogpath = %(fail2ban_confpath)s/l.log\n\n[j]\nmaxretry = 2\n");
        var socket = Path.Join(_dir, "s.sock");

        var dump = RunExe("client", "-c", _dir, "-d");
        var server = RunExe("server", "-f", "-c", _dir, "-s", socket, "-p", Path.Join(_dir, "s.pid"));

        Assert.Equal(255, dump.Exit);
        Assert.Equal(ConfigDump.SyntaxFailure + "\n", dump.Out.ReplaceLineEndings("\n"));
        Assert.Contains($"{Path.Join(_dir, "jail.conf")}:7: error: [j] section 'j' already exists in this file", dump.Err, StringComparison.Ordinal);
        Assert.Equal(255, server.Exit);
        Assert.Contains("the server was not started", server.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public void Executable_Fail2banConfWithInvalidLogLevel_NoStreamAndTheServerDoesNotStart()
    {
        Write("fail2ban.conf", "[Definition]\nloglevel = LOUD\n");
        Write("filter.d/f.conf", "[Definition]\nfailregex = ^x <HOST>$\n");
        Write("l.log", string.Empty);
        Write("jail.conf", "[j]\nenabled = true\nfilter = f\nbackend = polling\nlogpath = %(fail2ban_confpath)s/l.log\n");
        var socket = Path.Join(_dir, "s.sock");

        var dump = RunExe("client", "-c", _dir, "-d");
        var server = RunExe("server", "-f", "-c", _dir, "-s", socket, "-p", Path.Join(_dir, "s.pid"));

        Assert.Equal((255, "ERROR: Invalid log level 'LOUD'\n"), (dump.Exit, dump.Out.ReplaceLineEndings("\n")));
        Assert.Equal(255, server.Exit);
        Assert.Contains("Invalid log level 'LOUD'; the server was not started", server.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public void Executable_DumpPretty_SameCommandsAsTheDump()
    {
        Write("fail2ban.conf", "[Definition]\n");
        Write("filter.d/f.conf", "[Definition]\nfailregex = ^x <HOST>$\n            ^y <HOST>$\n");
        Write("l.log", string.Empty);
        Write("jail.conf", "[j]\nenabled = true\nfilter = f\nbackend = polling\nlogpath = %(fail2ban_confpath)s/l.log\n");

        var dump = RunExe("client", "-c", _dir, "-d");
        var pretty = RunExe("client", "-c", _dir, "--dp");

        Assert.Equal(0, pretty.Exit);
        Assert.Contains("\n  \"addfailregex\",\n", pretty.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var commands = System.Text.Json.Nodes.JsonNode.Parse("[" + pretty.Out.ReplaceLineEndings("\n").Replace("]\n[", "],\n[", StringComparison.Ordinal) + "]")!.AsArray();
        var lines = dump.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length, commands.Count);
        Assert.All(lines.Zip(commands), pair => Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(pair.First), pair.Second), pair.First));
    }

    [Fact]
    public void Executable_Version_WithoutAServer()
    {
        var shortVersion = RunExe("client", "-V");
        var version = RunExe("client", "--version");

        Assert.Equal((0, "1.0.2\n"), (shortVersion.Exit, shortVersion.Out.ReplaceLineEndings("\n")));
        Assert.Equal(0, version.Exit);
        Assert.StartsWith("sharpban client ", version.Out, StringComparison.Ordinal);
        Assert.Contains("(fail2ban-client 1.0.2)", version.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Interactive_CommandsUntilQuit_EachRunAsOnTheCommandLine()
    {
        var ran = new List<string>();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = ClientCommand.Interactive(
            new StringReader("status\n\n set sshd banip '192.0.2.1'\nget 'unclosed\nquit\nstatus sshd\n"), output, error, prompt: true,
            command => { ran.Add(string.Join('|', command)); return Task.FromResult(0); });

        Assert.Equal(0, exit);
        Assert.Equal(["status", "set|sshd|banip|192.0.2.1"], ran);
        Assert.Equal("fail2ban> fail2ban> fail2ban> fail2ban> fail2ban> ", output.ToString());
        Assert.StartsWith("ERROR: ", error.ToString(), StringComparison.Ordinal);
    }
}

namespace SharpBan.Tests.Server;

/// <summary>
/// CVE-2021-32749 class: user names full of shell syntax go through fail2ban's own shipped actions (Debian's
/// <c>/etc/fail2ban/action.d</c>, the ones that put <c>&lt;matches&gt;</c>, <c>&lt;ipmatches&gt;</c>,
/// <c>&lt;ipjailmatches&gt;</c> or grepped log lines into a command) and through our own shipped mail actions
/// (<c>config/action.d</c>) under our daemon. Every program they call (mail, sendmail, whois, curl, dig,
/// geoiplookup, logger, reboot) is a stub that records its argv and stdin: nothing may run, and the payload must
/// reach the stub verbatim.
/// </summary>
public class ShippedActionInjectionTests
{
    private const string Fail2BanActions = "/etc/fail2ban/action.d";

    private static readonly string[] Stubs = ["mail", "sendmail", "whois", "curl", "dig", "geoiplookup", "logger", "reboot", "apprise", "ufw", "ss", "conntrack"];

    /// <summary>Action file, its jail arguments, and the stub whose record must hold the payload.</summary>
    public static TheoryData<string, string, string> Actions => new()
    {
        { "abuseipdb", "abuseipdb_apikey=k, abuseipdb_category=18", "curl" },
        { "blocklist_de", "email=a@example.org, apikey=k, service=ssh", "curl" },
        { "sendmail-whois-matches", "mailcmd=sendmail", "sendmail" },
        { "sendmail-whois-ipmatches", "mailcmd=sendmail", "sendmail" },
        { "sendmail-whois-ipjailmatches", "mailcmd=sendmail", "sendmail" },
        { "sendmail-whois-lines", "mailcmd=sendmail, logpath=$DIR/auth.log", "sendmail" },
        { "sendmail-geoip-lines", "mailcmd=sendmail, logpath=$DIR/auth.log", "sendmail" },
        { "mail-whois-lines", "logpath=$DIR/auth.log", "mail" },
        { "complain", "logpath=$DIR/auth.log", "mail" },
        { "xarf-login-attack", "mailcmd=sendmail, service=ssh", "sendmail" },
    };

    /// <summary>Our own mail actions; a log path without the lines makes the -lines actions mail &lt;matches&gt;.</summary>
    public static TheoryData<string, string, string> OurActions => new()
    {
        { "sendmail-whois-lines", "logpath=$DIR/auth.log", "sendmail" },
        { "sendmail-whois-lines", "logpath=$DIR/no-such.log", "sendmail" },
        { "mail-whois-lines", "logpath=$DIR/auth.log", "mail" },
        { "mail-whois-lines", "logpath=$DIR/no-such.log", "mail" },
        { "abuseipdb", "abuseipdb_apikey=k, abuseipdb_url=http://127.0.0.1:9/r", "curl" },
        { "sendmail-whois-matches", "dest=a@example.org", "sendmail" },
        { "sendmail-whois-ipmatches", "dest=a@example.org", "sendmail" },
        { "sendmail-whois-ipjailmatches", "dest=a@example.org", "sendmail" },
    };

    [Theory]
    [MemberData(nameof(Actions))]
    public Task ShippedAction_ShellSyntaxInUserName_ReachesTheProgramVerbatimAndNeverRuns(string action, string args, string recorder) =>
        InjectAsync(action, args, recorder, fail2BanActions: true);

    [Theory]
    [MemberData(nameof(OurActions))]
    public Task OurShippedAction_ShellSyntaxInUserName_ReachesTheProgramVerbatimAndNeverRuns(string action, string args, string recorder) =>
        InjectAsync(action, args, recorder, fail2BanActions: false);

    private static async Task InjectAsync(string action, string args, string recorder, bool fail2BanActions)
    {
        var marker = Path.Join(Path.GetTempPath(), "sharpban-pwned-" + Guid.NewGuid().ToString("N"));
        var jail = $"""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = {action}[{args}]
            """;
        await using var d = await TestDaemon.StartAsync(jail, start: false);
        try
        {
            if (fail2BanActions)
            {
                InstallFail2BanActions(d.Dir);
            }

            var bin = InstallStubs(d.Dir);
            d.Environment["PATH"] = bin + ":" + System.Environment.GetEnvironmentVariable("PATH");
            d.Environment["STUB_RECORDS"] = Path.Join(d.Dir, "records");
            await d.StartServerAsync();
            string[] users = [$"$(touch {marker})", $"`touch {marker}`", $";touch {marker};reboot", $"'; touch {marker}; '"];
            for (var i = 0; i < users.Length; i++)
            {
                var ip = $"203.0.113.{70 + i}";
                d.Append(TestDaemon.FailedPassword(ip, users[i]), TestDaemon.FailedPassword(ip, users[i]), TestDaemon.FailedPassword(ip, users[i]));
            }

            var record = Path.Join(d.Dir, "records", recorder);
            string Recorded() => File.Exists(record) ? File.ReadAllText(record) : "";
            await TestDaemon.WaitUntilAsync(() => users.All(u => Recorded().Contains(u, StringComparison.Ordinal)), $"{recorder} received every user name verbatim; server errors: " + Errors(d.Log()) + "; recorded: " + Recorded()[..Math.Min(3000, Recorded().Length)], 30);
            Assert.False(File.Exists(marker), "a command from a log line was executed");
            Assert.False(File.Exists(Path.Join(d.Dir, "records", "reboot")), "reboot from a log line was executed");
            Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    private static string Errors(string log) =>
        string.Join('\n', log.Split('\n').Where(l => l.Contains("ERROR", StringComparison.Ordinal)).Take(10));

    private static void InstallFail2BanActions(string dir)
    {
        foreach (var file in Directory.GetFiles(Fail2BanActions, "*.conf"))
        {
            File.Copy(file, Path.Join(dir, "action.d", Path.GetFileName(file)), overwrite: true);
        }
    }

    /// <summary>Stub programs in DIR/bin recording into <c>$STUB_RECORDS/NAME</c>; returns the bin directory.</summary>
    internal static string InstallStubs(string dir)
    {
        var bin = Directory.CreateDirectory(Path.Join(dir, "bin")).FullName;
        Directory.CreateDirectory(Path.Join(dir, "records"));
        const string Script = """
            #!/bin/sh
            # test stub: records argv (one argument per line) and, for mailers and apprise, stdin; answers lookups harmlessly
            # (a whole record at once, under a lock: actions of several bans run at the same time)
            name=$(basename "$0")
            tmp=$(mktemp)
            {
              for a in "$@"; do printf 'arg: %s\n' "$a"; done
              case "$name" in mail|sendmail|apprise) printf 'stdin:\n'; cat ;; esac
              printf '\n'
            } > "$tmp"
            flock "$STUB_RECORDS/.lock" cat "$tmp" >> "$STUB_RECORDS/$name"
            rm -f "$tmp"
            case "$name" in
              dig) echo '"abuse@example.org"' ;;
              whois) echo 'abuse-mailbox: abuse@example.org' ;;
              geoiplookup) echo 'GeoIP Country Edition: ZZ, Nowhere' ;;
            esac
            exit 0

            """;
        foreach (var name in Stubs)
        {
            var path = Path.Join(bin, name);
            File.WriteAllText(path, Script);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return bin;
    }
}

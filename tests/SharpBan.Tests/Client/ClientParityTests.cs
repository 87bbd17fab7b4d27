using SharpBan.Tests.Server;

namespace SharpBan.Tests.Client;

/// <summary>
/// The same commands sent to the real fail2ban 1.0.2 (<c>fail2ban-client -f start</c> in a temporary directory) and to
/// <c>sharpban server</c>, both started from a copy of Debian's <c>/etc/fail2ban</c> with the same <c>jail.local</c>:
/// standard output and exit codes must be equal, after the temporary directories are replaced by <c>$DIR</c>.
/// </summary>
public sealed partial class ClientParityTests
{
    private const string JailLocal = """
        [DEFAULT]
        backend = polling
        ignoreself = false
        action = dummy[target="$DIR/dummy.out"]

        [sshd]
        enabled = true
        logpath = $DIR/auth.log
        maxretry = 3

        [nginx-http-auth]
        enabled = true
        logpath = $DIR/web.log

        [sshd-journal]
        enabled = true
        filter = sshd
        backend = systemd
        journalmatch = _SYSTEMD_UNIT=sshd.service + _COMM=sshd
        """;

    /// <summary>Commands whose answers do not depend on timing; each is compared on its own.</summary>
    private static readonly string[][] Commands =
    [
        ["ping"],
        ["status"],
        ["status", "sshd"],
        ["status", "nosuchjail"],
        ["status", "sshd-journal"],
        ["get", "sshd-journal", "journalmatch"],
        ["set", "sshd-journal", "addjournalmatch", "_COMM=foo", "+", "_COMM=bar"],
        ["set", "sshd-journal", "deljournalmatch", "_COMM=foo"],
        ["get", "sshd-journal", "logpath"],
        ["get", "sshd-journal", "datepattern"],
        ["banned"],
        ["get", "loglevel"],
        ["get", "logtarget"],
        ["get", "dbfile"],
        ["get", "dbmaxmatches"],
        ["get", "dbpurgeage"],
        ["set", "sshd", "banip", "192.0.2.10"],
        ["set", "sshd", "banip", "192.0.2.11"],
        ["banned"],
        ["banned", "192.0.2.10", "198.51.100.1"],
        ["get", "sshd", "banned"],
        ["get", "sshd", "banned", "192.0.2.10", "192.0.2.99"],
        ["get", "sshd", "banip"],
        ["get", "sshd", "banip", ","],
        ["get", "sshd", "logpath"],
        ["get", "sshd", "logencoding"],
        ["get", "sshd", "journalmatch"],
        ["get", "sshd", "ignoreself"],
        ["get", "sshd", "ignoreip"],
        ["get", "sshd", "ignorecommand"],
        ["get", "sshd", "failregex"],
        ["get", "sshd", "ignoreregex"],
        ["get", "sshd", "prefregex"],
        ["get", "sshd", "findtime"],
        ["get", "sshd", "bantime"],
        ["get", "sshd", "datepattern"],
        ["get", "nginx-http-auth", "datepattern"],
        ["get", "sshd", "usedns"],
        ["get", "sshd", "maxretry"],
        ["get", "sshd", "maxmatches"],
        ["get", "sshd", "maxlines"],
        ["get", "sshd", "actions"],
        ["get", "sshd", "action", "dummy", "actionban"],
        ["get", "sshd", "action", "dummy", "timeout"],
        ["get", "sshd", "action", "dummy", "target"],
        ["get", "sshd", "bantime.increment"],
        ["get", "sshd", "bantime.factor"],
        ["get", "sshd", "ignorecache"],
        ["get", "sshd", "nosuchoption"],
        ["get", "nosuchjail", "bantime"],
        ["set", "sshd", "addignoreip", "203.0.113.0/24"],
        ["set", "sshd", "delignoreip", "203.0.113.0/24"],
        // ignoreip entries are fail2ban's IPAddr values (at most one single address at a time: fail2ban keeps them in a
        // Python set, whose order changes from run to run)
        ["set", "sshd", "addignoreip", "192.0.2.5/32"],
        ["set", "sshd", "addignoreip", "192.0.2.5"],
        ["set", "sshd", "addignoreip", "192.0.2.0/255.255.255.128"],
        ["set", "sshd", "addignoreip", "2001:db8::/ffff:ffff::", "localhost"],
        ["set", "sshd", "addignoreip", "192.0.2.0/abc"],
        ["set", "sshd", "addignoreip", "192.0.2.0/255.0.255.0"],
        ["set", "sshd", "addignoreip", "203.0.113.0/24/1"],
        ["get", "sshd", "ignoreip"],
        ["set", "sshd", "delignoreip", "192.0.2.5"],
        ["set", "sshd", "delignoreip", "198.51.100.99"],
        ["set", "sshd", "addignoreip", "::ffff:203.0.113.100"],
        ["set", "sshd", "delignoreip", "192.0.2.0/25"],
        ["set", "sshd", "delignoreip", "203.0.113.100"],
        ["set", "sshd", "delignoreip", "2001:db8::/32"],
        ["set", "sshd", "delignoreip", "localhost"],
        ["set", "sshd", "findtime", "1h"],
        ["set", "sshd", "bantime", "2h"],
        ["set", "sshd", "maxretry", "4"],
        ["set", "sshd", "maxmatches", "7"],
        ["set", "sshd", "bantime.increment", "true"],
        ["set", "sshd", "bantime.maxtime", "1d"],
        ["set", "sshd", "bantime.factor", "2"],
        ["set", "sshd", "ignorecache", "key=\"<ip>\", max-count=50, max-time=5m"],
        ["set", "sshd", "logencoding", "latin-1"],
        ["set", "sshd", "logencoding", "cp1252"],
        ["set", "sshd", "logencoding", "no-such-codec"],
        ["get", "sshd", "logencoding"],
        ["set", "sshd", "datepattern", "%Y-%m-%d %H:%M:%S"],
        ["set", "sshd", "datepattern", "{^LN-BEG}"],
        ["set", "sshd", "datepattern", "EPOCH"],
        ["set", "sshd", "datepattern", "%Q(("],
        ["set", "sshd", "datepattern", "%H:%M %"],
        ["set", "sshd", "addfailregex", "x(( <HOST>"],
        ["set", "sshd", "addignoreregex", "[z-a]"],
        ["set", "sshd", "addfailregex", "no id here"],
        ["get", "sshd", "failregex"],
        ["set", "sshd", "usedns", "no"],
        ["set", "sshd", "addfailregex", "^test <HOST>$"],
        ["set", "sshd", "delfailregex", "0"],
        ["set", "sshd", "addignoreregex", "^foo <F-USER>\\S+</F-USER>"],
        ["set", "sshd", "delignoreregex", "0"],
        ["set", "sshd", "attempt", "198.51.100.7", "failure one"],
        ["set", "sshd", "unbanip", "192.0.2.10"],
        ["unban", "192.0.2.11"],
        ["unban", "--all"],
        ["set", "sshd", "action", "nosuch", "actionban", "foo"],
        ["set", "sshd", "banip", "192.0.2.12"],
        ["set", "sshd", "banip", "192.0.2.12"],
        ["status", "sshd"],
        ["set", "sshd", "unbanip", "--report-absent", "192.0.2.99"],
        ["set", "sshd", "unbanip", "192.0.2.99"],
        ["set", "sshd", "idle", "on"],
        ["set", "sshd", "idle", "off"],
        ["set", "sshd", "maxlines", "2"],
        ["get", "sshd", "maxlines"],
        ["set", "sshd", "ignoreself", "true"],
        ["set", "sshd", "ignorecommand", "/bin/true"],
        ["get", "sshd", "ignorecommand"],
        ["set", "sshd", "addlogpath", "$DIR/other.log"],
        ["set", "sshd", "addlogpath", "$DIR/other.log", "tail"],
        ["set", "sshd", "dellogpath", "$DIR/other.log"],
        ["set", "sshd", "prefregex", "^foo <F-CONTENT>.+</F-CONTENT>$"],
        ["get", "sshd", "prefregex"],
        ["set", "sshd", "logtimezone", "UTC"],
        ["get", "sshd", "logtimezone"],
        ["set", "dbpurgeage", "1d"],
        ["get", "dbpurgeage"],
        ["set", "dbmaxmatches", "5"],
        ["get", "dbmaxmatches"],
        ["set", "nosuchjail", "bantime", "1"],
        ["set", "sshd", "delfailregex", "99"],
        ["set", "sshd", "action", "dummy", "timeout", "30"],
        ["get", "sshd", "action", "dummy", "timeout"],
        ["set", "sshd", "action", "dummy", "myprop", "v1"],
        ["get", "sshd", "action", "dummy", "myprop"],
        ["get", "sshd", "action", "dummy", "nosuchprop"],
        ["flushlogs"],
        ["add", "extra", "polling"],
        ["get", "extra", "failregex"],
        ["get", "extra", "datepattern"],
        ["get", "extra", "logpath"],
        ["get", "extra", "actions"],
        ["start", "extra"],
        ["status"],
        ["stop", "extra"],
        ["echo", "hello", "world"],
        ["set", "loglevel", "DEBUG"],
        ["get", "loglevel"],
        ["stop", "nginx-http-auth"],
        ["status"],
        ["set", "sshd", "banip", "2001:DB8:0:0::1"],
        ["get", "sshd", "banned", "2001:db8::1"],
        ["banned", "2001:db8::1"],
        ["set", "sshd", "banip", "::ffff:192.0.2.44"],
        ["get", "sshd", "banned", "192.0.2.44"],
        ["set", "sshd", "banip", "192.0.2.300"],
        ["get", "sshd", "banip"],
        ["set", "sshd", "unbanip", "2001:db8::1"],
        ["set", "sshd", "unbanip", "::FFFF:192.0.2.44"],
        ["set", "sshd", "addignoreip", "2001:db8::/32"],
        ["set", "sshd", "attempt", "2001:db8::5", "line one"],
        ["status", "sshd"],
        ["unban", "--all"],
        ["set", "sshd", "maxretry", "abc"],
        ["set", "sshd", "banip", "192.0.2.13"],
        ["reload", "sshd"],
        ["get", "sshd", "banned", "192.0.2.13"],
        ["get", "sshd", "maxretry"],
        ["reload", "--unban", "sshd"],
        ["get", "sshd", "banned", "192.0.2.13"],
        ["reload", "nosuchjail"],
        ["reload", "--if-exists", "nosuchjail"],
        ["reload"],
        ["status"],
        // argument errors and the commands around them (fail2ban-client's wording, exit codes, no side effects)
        ["foo"],
        ["unban"],
        ["get"],
        ["set"],
        ["get", "sshd"],
        ["set", "sshd", "bantime"],
        ["set", "sshd", "banip", "192.0.2.14"],
        ["set", "sshd", "unbanip"],
        ["set", "sshd", "unbanip", "--report-absent"],
        ["get", "sshd", "banned", "192.0.2.14"],
        ["set", "sshd", "addaction"],
        ["set", "sshd", "addaction", "dummy"],
        ["set", "sshd", "delaction"],
        ["add", "--all"],
        ["status", "sshd", "basic", "x"],
        ["set", "sshd", "idle", "maybe"],
        ["set", "sshd", "addfailregex", "^one <HOST>$"],
        ["set", "sshd", "addfailregex", "^two <HOST>$"],
        ["set", "sshd", "delfailregex", "-1"],
        ["get", "sshd", "failregex"],
        ["set", "sshd", "addjournalmatch", "_COMM=sshd"],
        ["set", "sshd", "deljournalmatch", "_COMM=sshd"],
        ["set", "sshd", "addlogpath", "$DIR/auth.log", "middle"],
        ["set", "sshd", "addlogpath", "$DIR/auth.log", "head", "extra"],
        ["set", "dbfile", "$DIR/db.sqlite3"],
        ["get", "sshd", "banip", "x", "--with-time"],
        ["set", "logtarget", "/nonexistent/dir/x.log"],
        ["get", "logtarget"],
        ["set", "sshd", "action", "dummy", "flush"],
        ["set", "sshd", "action", "dummy", "start", "{}"],
        ["set", "sshd", "action", "dummy", "flush", "{\"x\": 1}"],
        ["set", "sshd", "action", "dummy", "ban"],
        ["set", "sshd", "action", "dummy", "ban", "{\"aInfo\": {\"ip\": \"192.0.2.77\"}}"],
        ["get", "sshd", "bantime.bogus"],
        ["set", "sshd", "bantime.bogus", "1"],
        ["get", "sshd", "bantime.bogus"],
        ["stop", "--all"],
        ["status"],
    ];

    [Fact]
    public async Task Answers_AreThoseOfFail2banClient()
    {
        if (!ReferenceServer.Available())
        {
            return; // outside CI without the reference; .ci/run installs it and sets SHARPBAN_REQUIRE_ORACLE=1
        }

        await AssertSameAnswersAsync(Commands);
    }

    /// <summary>
    /// Sends <paramref name="commands"/> in order to both servers (started afresh) and compares each answer; a second
    /// <c>sharpban server</c> gets the same commands from fail2ban's own <c>fail2ban-client</c> (its pickle protocol),
    /// which must print what it prints talking to fail2ban.
    /// </summary>
    private static async Task AssertSameAnswersAsync(string[][] commands)
    {
        await using var sharpban = await TestDaemon.StartAsync(JailLocal, configSource: "/etc/fail2ban");
        File.WriteAllText(Path.Join(sharpban.Dir, "web.log"), "");
        await using var viaPython = await TestDaemon.StartAsync(JailLocal, configSource: "/etc/fail2ban");
        File.WriteAllText(Path.Join(viaPython.Dir, "web.log"), "");
        await using var fail2ban = await ReferenceServer.StartAsync(JailLocal);

        var differences = new List<string>();
        foreach (var command in commands)
        {
            var (refCode, refOutput, refError) = await fail2ban.ClientSplitAsync([.. command.Select(w => w.Replace("$DIR", fail2ban.Dir, StringComparison.Ordinal))]);
            var (code, output, _) = await sharpban.ClientSplitAsync([.. command.Select(w => w.Replace("$DIR", sharpban.Dir, StringComparison.Ordinal))]);
            var (pyCode, pyOutput, pyError) = await ReferenceServer.RunClientAsync(viaPython.Dir, [.. command.Select(w => w.Replace("$DIR", viaPython.Dir, StringComparison.Ordinal))]);
            var expected = $"{refCode}: {refOutput.Replace(fail2ban.Dir, "$DIR", StringComparison.Ordinal).TrimEnd('\n')}";
            var actual = $"{code}: {output.Replace(sharpban.Dir, "$DIR", StringComparison.Ordinal).TrimEnd('\n')}";
            var throughPickle = $"{pyCode}: {pyOutput.Replace(viaPython.Dir, "$DIR", StringComparison.Ordinal).TrimEnd('\n')}";
            if (expected != actual)
            {
                differences.Add($"{string.Join(' ', command)}\n  fail2ban: {expected}\n  sharpban: {actual}");
            }

            if (expected != throughPickle)
            {
                differences.Add($"{string.Join(' ', command)}\n  fail2ban: {expected}\n  fail2ban-client to sharpban: {throughPickle}");
            }

            // fail2ban-client's own log lines (errors, NOK with the exception's arguments) are the same too
            if (LogLines(refError, fail2ban.Dir) != LogLines(pyError, viaPython.Dir))
            {
                differences.Add($"{string.Join(' ', command)} (standard error)\n  fail2ban: {LogLines(refError, fail2ban.Dir)}\n  fail2ban-client to sharpban: {LogLines(pyError, viaPython.Dir)}");
            }
        }

        Assert.True(differences.Count == 0, $"{differences.Count} of {commands.Length} answers differ:\n" + string.Join('\n', differences));
    }

    /// <summary>fail2ban-client's log lines without their time and pid, the directory as <c>$DIR</c>.</summary>
    private static string LogLines(string error, string dir) =>
        string.Join(" | ", error.Replace(dir, "$DIR", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(static l => l.IndexOf("]: ", StringComparison.Ordinal) is var at and >= 0 ? l[(at + 3)..] : l));
}

using System.Text.RegularExpressions;
using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// What real attacks make a real Apache httpd write (<see cref="ApacheServer"/>: basic and digest authentication, a
/// location refused to everyone, 404s), read by the shipped apache filters: wrong passwords and unknown users (basic
/// and digest, over IPv4 and IPv6), credentials of the wrong scheme, the refused location, probes for WordPress,
/// phpMyAdmin, PHP scripts, cgi-bin and home directories, an over-long request line, an over-long header and too many
/// headers, a bad-bot and a fake Googlebot user agent; and hostile values from a second attacker that repeat Apache's
/// own fields with another address (<see cref="Forged"/>) in the user name, the path, the referrer and the user agent.
/// fail2ban's stock filters (fail2ban-regex) and ours (<c>sharpban regex</c> with the shipped configuration) read the
/// same logs in every mode: ours must find every failure fail2ban's finds, except the differences docs/config.md
/// lists, and never blame an address that did not send the request. fail2ban 1.0.2's apache-overflows does not know
/// Apache 2.4's wording, so ours is held to the lines Apache wrote for the overflows instead. Then the shipped
/// apache-auth and apache-overflows jails in a real daemon ban the attackers at Apache's port with the shipped
/// nftables action, over IPv4 and over IPv6.
/// </summary>
public sealed partial class ApacheAttackTests(ITestOutputHelper output) : IDisposable
{
    private const string Server1V6 = FirewallLab.Server1V6;
    private const string Attacker1V6 = FirewallLab.Attacker1V6;

    /// <summary>The address the hostile values name: nothing in the lab has it.</summary>
    private const string Forged = "203.0.113.99";

    /// <summary>The message ids of Apache's overflow lines: request line, one header field, number of header fields.</summary>
    private static readonly string[] OverflowMessages = ["AH00565", "AH00561", "AH00563"];

    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootFact]
    public void ShippedApacheFilters_RealAttacksOnApache_FindWhatFail2BanFindsAndBlameOnlySenders()
    {
        if (!ShippedFilterComparison.OracleAvailable(output))
        {
            return;
        }

        using var apache = new ApacheServer(_lab.Lab, _lab.Server, FirewallLab.Server1V4, Server1V6, FirewallLab.Server2V4);
        Attack(apache);
        var errorLog = File.ReadAllText(apache.ErrorLog);
        var accessLog = File.ReadAllText(apache.AccessLog);
        output.WriteLine(errorLog);
        output.WriteLine(accessLog);
        string[] senders = [FirewallLab.Attacker1V4, Attacker1V6, FirewallLab.Attacker2V4];
        Assert.DoesNotContain(AccessAddresses(accessLog), a => !senders.Contains(a)); // the lab is what we think
        Assert.DoesNotContain(ErrorAddresses(errorLog), a => !senders.Contains(a));

        var comparison = new ShippedFilterComparison(output, senders, static (_, _, failure) => DocumentedDifference(failure));
        CheckAgainstApache(comparison, apache.ErrorLog, "apache-overflows", OverflowMessages);

        // fail2ban's apache-botsearch only looks below its webroot (/var/www/ by default): give it this server's.
        var webroot = $"webroot={apache.DocumentRoot}/";
        foreach (var (filter, log, modes, required) in new (string, string, string[], bool)[]
                 {
                     ("apache-auth", apache.ErrorLog, ["normal", "aggressive"], true),
                     ("apache-noscript", apache.ErrorLog, ["normal"], true),
                     ("apache-nohome", apache.ErrorLog, ["normal"], true),
                     ("apache-botsearch", apache.ErrorLog, ["normal"], true),
                     ("apache-overflows", apache.ErrorLog, ["normal"], false),
                     ("apache-shellshock", apache.ErrorLog, ["normal"], false),
                     ("apache-modsecurity", apache.ErrorLog, ["normal"], false),
                     ("apache-badbots", apache.AccessLog, ["normal", "aggressive"], true),
                     ("apache-fakegooglebot", apache.AccessLog, ["normal"], false), // fail2ban 1.0.2's needs a field more than "combined" has
                     ("apache-pass", apache.AccessLog, ["normal"], false),
                 })
        {
            foreach (var mode in modes)
            {
                comparison.Compare(log, filter, mode, required, filter == "apache-botsearch" ? $"{filter}[mode={mode}, {webroot}]" : null);
            }
        }

        Assert.True(comparison.Problems.Count == 0, string.Join('\n', comparison.Problems));
    }

    [RootFact]
    public async Task ShippedApacheJails_RealFailures_BanAtApachePortWithNftables()
    {
        using var apache = new ApacheServer(_lab.Lab, _lab.Server, FirewallLab.Server1V4, Server1V6, FirewallLab.Server2V4);
        await using var d = await TestDaemon.StartAsync($"""
            [apache-auth]
            enabled = true
            logpath = {apache.ErrorLog}

            [apache-overflows]
            enabled = true
            logpath = {apache.ErrorLog}
            """, start: false); // maxretry 3 (overflows 2), banaction nftables-multiport, port http,https from the shipped jail.conf
        d.NetworkNamespace = _lab.Server;
        var url1 = $"http://{FirewallLab.Server1V4}/";
        var url2 = $"http://{FirewallLab.Server2V4}/";
        try
        {
            await d.StartServerAsync();
            Assert.Equal(401, ApacheServer.Curl(_lab.Attacker1, url1 + "private/", "-u", "alice:wrong-1"));
            Assert.Equal(401, ApacheServer.Curl(_lab.Attacker1, url1 + "digest/", "--digest", "-u", "mallory:x"));
            Assert.Equal(401, ApacheServer.Curl(_lab.Attacker2, url2 + "private/", "-u", "alice:wrong-2"));
            await d.WaitForFailedAsync(3, "apache-auth");
            Assert.Equal(200, ApacheServer.Curl(_lab.Attacker1, url1)); // two failures: still served
            Assert.Equal(200, ApacheServer.Curl(_lab.Attacker1, url1 + "private/", "-u", $"{apache.User}:{apache.Password}"));
            Assert.Equal(401, ApacheServer.Curl(_lab.Attacker1, url1 + "private/", "-u", "alice:wrong-3"));
            await TestDaemon.WaitUntilAsync(() => !NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, 80), "attacker 1 banned at port 80", 20);
            Assert.Equal(0, ApacheServer.Curl(_lab.Attacker1, url1));
            Assert.Equal(200, ApacheServer.Curl(_lab.Attacker2, url2)); // one failure: another address is served
            var banned = await d.ClientAsync("get", "apache-auth", "banned");
            Assert.Contains(FirewallLab.Attacker1V4, banned.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(FirewallLab.Attacker2V4, banned.Output, StringComparison.Ordinal);
            Assert.Contains(FirewallLab.Attacker1V4, _lab.Ruleset(), StringComparison.Ordinal);

            Assert.Equal(0, (await d.ClientAsync("set", "apache-auth", "unbanip", FirewallLab.Attacker1V4)).Code);
            await TestDaemon.WaitUntilAsync(() => ApacheServer.Curl(_lab.Attacker1, url1) == 200, "unbanip restores attacker 1", 20);

            // The same host over IPv6 (Apache writes "[client 2001:db8:1::2:PORT]"): banned there, its IPv4 address is not.
            var url1V6 = $"http://[{Server1V6}]/";
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal(401, ApacheServer.Curl(_lab.Attacker1, url1V6 + "digest/", "--digest", "-u", $"alice:v6-wrong-{i}"));
            }

            await TestDaemon.WaitUntilAsync(() => !NetworkLab.CanConnect(_lab.Attacker1, Server1V6, 80), "attacker 1 banned over IPv6 at port 80", 20);
            Assert.Equal(0, ApacheServer.Curl(_lab.Attacker1, url1V6));
            Assert.Equal(200, ApacheServer.Curl(_lab.Attacker1, url1)); // its IPv4 address is still served
            Assert.Contains(Attacker1V6, (await d.ClientAsync("get", "apache-auth", "banned")).Output, StringComparison.Ordinal);
            Assert.Contains(Attacker1V6, _lab.Ruleset(), StringComparison.Ordinal);
            Assert.Equal(0, (await d.ClientAsync("set", "apache-auth", "unbanip", Attacker1V6)).Code);
            await TestDaemon.WaitUntilAsync(() => ApacheServer.Curl(_lab.Attacker1, url1V6) == 200, "unbanip restores attacker 1 over IPv6", 20);

            // Attacker 2 sends two over-long request lines (apache-overflows: maxretry 2).
            for (var i = 0; i < 2; i++)
            {
                Assert.StartsWith("HTTP/1.1 414", ApacheServer.Raw(_lab.Attacker2, FirewallLab.Server2V4, LongRequestLine()), StringComparison.Ordinal);
            }

            await TestDaemon.WaitUntilAsync(() => !NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, 80), "attacker 2 banned by apache-overflows", 20);
            Assert.Equal(200, ApacheServer.Curl(_lab.Attacker1, url1));
            Assert.Contains(FirewallLab.Attacker2V4, (await d.ClientAsync("get", "apache-overflows", "banned")).Output, StringComparison.Ordinal);
            Assert.DoesNotContain(FirewallLab.Attacker2V4, (await d.ClientAsync("get", "apache-auth", "banned")).Output, StringComparison.Ordinal);
            Assert.Equal(0, (await d.ClientAsync("set", "apache-overflows", "unbanip", FirewallLab.Attacker2V4)).Code);
            await TestDaemon.WaitUntilAsync(() => ApacheServer.Curl(_lab.Attacker2, url2) == 200, "unbanip restores attacker 2", 20);
            await d.StopServerAsync();
            Assert.DoesNotContain("sharpban", _lab.Ruleset(), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(File.ReadAllText(apache.ErrorLog));
            output.WriteLine(d.Log());
        }
    }

    /// <summary>
    /// Ours counts exactly the error-log lines whose message Apache itself wrote with one of the ids in
    /// <paramref name="messageIds"/> (the id right after the head Apache writes before any client text), each for
    /// the <c>[client ADDR:PORT]</c> address.
    /// </summary>
    private static void CheckAgainstApache(ShippedFilterComparison comparison, string log, string filter, params string[] messageIds)
    {
        var expected = File.ReadAllLines(log)
            .Select(l => (Line: l, Head: ApacheHead().Match(l)))
            .Where(x => x.Head.Success && messageIds.Contains(x.Head.Groups[2].Value))
            .Select(x => x.Head.Groups[1].Value + " " + x.Line)
            .ToHashSet();
        Assert.Equal(messageIds.Length * 2, expected.Count); // each overflow over IPv4 and IPv6
        comparison.CountsExactly(log, filter, expected);
    }

    private void Attack(ApacheServer apache)
    {
        var a1 = _lab.Attacker1;
        var s1 = $"http://{FirewallLab.Server1V4}";
        var s1v6 = $"http://[{Server1V6}]";
        var good = $"{apache.User}:{apache.Password}";

        // Basic authentication: wrong passwords, unknown users, no credentials, one success.
        Assert.Equal(401, ApacheServer.Curl(a1, s1 + "/private/", "-u", "alice:wrong"));
        Assert.Equal(401, ApacheServer.Curl(a1, s1 + "/private/", "-u", "admin:admin"));
        Assert.Equal(401, ApacheServer.Curl(a1, s1 + "/private/"));
        Assert.Equal(401, ApacheServer.Curl(a1, s1v6 + "/private/", "-u", "alice:wrong-v6"));
        Assert.Equal(401, ApacheServer.Curl(a1, s1v6 + "/private/", "-u", "root:toor"));
        Assert.Equal(200, ApacheServer.Curl(a1, s1 + "/private/", "-u", good));
        Assert.Equal(401, ApacheServer.Curl(a1, s1 + "/private/", "-u", "alice:wrong", "-e", "https://www.example.test/a page"));

        // Digest authentication: wrong passwords, unknown users, one success; each scheme's credentials at the other.
        Assert.Equal(401, ApacheServer.Curl(a1, s1 + "/digest/", "--digest", "-u", "alice:wrong"));
        Assert.Equal(401, ApacheServer.Curl(a1, s1 + "/digest/", "--digest", "-u", "eve:x"));
        Assert.Equal(401, ApacheServer.Curl(a1, s1v6 + "/digest/", "--digest", "-u", "alice:wrong-v6"));
        Assert.Equal(401, ApacheServer.Curl(a1, s1v6 + "/digest/", "--digest", "-u", "eve:x"));
        Assert.Equal(200, ApacheServer.Curl(a1, s1 + "/digest/", "--digest", "-u", good));
        Assert.Equal(401, ApacheServer.Curl(a1, s1 + "/private/", "-H", ApacheServer.DigestAuthorization("alice", "Restricted", "/private/")));
        Assert.Equal(401, ApacheServer.Curl(a1, s1 + "/digest/", "-u", "alice:wrong"));

        // The location no one may see.
        Assert.Equal(403, ApacheServer.Curl(a1, s1 + "/denied/"));
        Assert.Equal(403, ApacheServer.Curl(a1, s1v6 + "/denied/"));

        // Probes for software and home directories that are not there.
        foreach (var path in new[] { "/wp-login.php", "/phpmyadmin/", "/x.php", "/cgi-bin/test.cgi", "/~root/", "/.env" })
        {
            Assert.Equal(404, ApacheServer.Curl(a1, s1 + path));
        }

        Assert.Equal(404, ApacheServer.Curl(a1, s1v6 + "/~admin/"));
        Assert.Equal(404, ApacheServer.Curl(a1, s1v6 + "/wp-admin/setup-config.php", "-X", "POST", "-d", "x=1"));

        // Overflows: an over-long request line, an over-long header field, too many header fields; IPv4 and IPv6.
        string[] manyHeaders = [.. Enumerable.Range(1, 105).SelectMany(i => new[] { "-H", $"X-Field-{i}: v" })];
        foreach (var (address, server) in new[] { (FirewallLab.Server1V4, s1), (Server1V6, s1v6) })
        {
            Assert.StartsWith("HTTP/1.1 414", ApacheServer.Raw(a1, address, LongRequestLine()), StringComparison.Ordinal);
            Assert.Equal(400, ApacheServer.Curl(a1, server + "/", "-H", "X-Big: " + new string('a', 9000)));
            Assert.Equal(400, ApacheServer.Curl(a1, server + "/", manyHeaders));
        }

        // A bad robot, and a robot that only says it is Google's.
        Assert.Equal(200, ApacheServer.Curl(a1, s1 + "/", "-A", "EmailCollector"));
        Assert.Equal(200, ApacheServer.Curl(a1, s1v6 + "/", "-A", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));

        // Attacker 2 repeats Apache's fields with another address wherever it can write text.
        var a2 = _lab.Attacker2;
        var s2 = $"http://{FirewallLab.Server2V4}";
        var client = $" [client {Forged}:1] ";
        var failure = $"AH01617: user y: authentication failure for \"/\": Password Mismatch";
        Assert.Equal(401, ApacheServer.Curl(a2, s2 + "/private/", "-u", $"x [client {Forged}] AH01618 user y not found:pw")); // a basic user name ends at the first colon
        Assert.Equal(401, ApacheServer.Curl(a2, s2 + "/digest/", "-H", ApacheServer.DigestAuthorization("x" + client + failure, apache.Realm, "/digest/")));
        Assert.Equal(401, ApacheServer.Curl(a2, s2 + "/private/", "-H", ApacheServer.DigestAuthorization("x" + client + failure, "Restricted", "/private/")));
        Assert.Equal(401, ApacheServer.Curl(a2, s2 + "/private/", "-u", "alice:wrong", "-e", "x" + client + failure));
        Assert.Equal(403, ApacheServer.Curl(a2, s2 + "/denied/", "-e", "x" + client + "AH01630: client denied by server configuration: /"));
        foreach (var path in new[]
                 {
                     "/x" + client + "y",
                     "/wp-login.php" + client + "AH00128: File does not exist: /var/www/html/wp-login.php",
                     "/~x" + client + "AH00565: request failed: client's request-line exceeds LimitRequestLine (longer than 8190)",
                     "/x" + client + "AH01630: client denied by server configuration: /",
                 })
        {
            Assert.Equal(404, ApacheServer.Curl(a2, s2 + string.Join('/', path.Split('/').Select(Uri.EscapeDataString))));
        }

        Assert.Equal(200, ApacheServer.Curl(a2, s2 + "/", "-e", "x\" \"EmailCollector", "-A", "Mozilla/5.0"));
        Assert.Equal(404, ApacheServer.Curl(a2, s2 + "/phpmyadmin/", "-A", $"{Forged} - - [01/Jan/2024:00:00:00 +0000] \"GET /wp-login.php HTTP/1.1\" 404 1 \"-\" \"EmailCollector"));

        LogFileWait.For(apache.AccessLog, l => l.StartsWith(FirewallLab.Attacker2V4, StringComparison.Ordinal), 11, TimeSpan.FromSeconds(10));
        Thread.Sleep(300); // error-log lines of the last requests
    }

    private static string LongRequestLine() => $"GET /{new string('a', 9000)} HTTP/1.1\r\nHost: www.example.test\r\n\r\n";

    /// <summary>Why a failure fail2ban's filter finds is not ours, if docs/config.md says so; null otherwise.</summary>
    private static string? DocumentedDifference(string failure) =>
        failure.StartsWith(Forged + " ", StringComparison.Ordinal) ? "fail2ban blames the forged address"
        : null;

    private static IEnumerable<string> AccessAddresses(string accessLog) =>
        accessLog.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> ErrorAddresses(string errorLog) =>
        errorLog.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => ApacheHead().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal);

    /// <summary>The head Apache 2.4 writes before any client text: date, module:level, pid:tid, client ADDR:PORT, message id.</summary>
    [GeneratedRegex(@"^\[[^\]]+\] \[[\w.]+:\w+\] \[pid \d+:tid \d+\] \[client (\S+):\d+\] (AH\d+): ")]
    private static partial Regex ApacheHead();
}

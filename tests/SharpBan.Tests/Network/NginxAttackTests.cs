using System.Text.RegularExpressions;
using SharpBan.Tests.Server;
using Xunit.Abstractions;

namespace SharpBan.Tests.Network;

/// <summary>
/// What real attacks make a real nginx write (<see cref="NginxServer"/>: basic authentication, a
/// <c>limit_req</c> zone, 404s), read by the shipped web filters: wrong passwords and unknown users, requests
/// without credentials (also HTTP/1.0 without Host and HTTP/0.9), bursts over the rate limit, probes for
/// WordPress, phpMyAdmin, .env and cgi-bin, malformed requests (an empty request, a TLS ClientHello to the HTTP
/// port, a request line with a space, a bad Host), a bad-bot user agent; and hostile values from a second
/// attacker that repeat nginx's own fields with another address (<see cref="Forged"/>) in the user name, the
/// referrer and the path. fail2ban's stock filters (fail2ban-regex) and ours (<c>sharpban regex</c> with the
/// shipped configuration) read the same logs in every mode: ours must find every failure fail2ban's finds,
/// except the differences docs/config.md lists, and never blame an address that did not send the request.
/// Then the shipped jails in a real daemon ban the attacker at nginx's port with the shipped nftables action, over
/// IPv4 and over IPv6.
/// </summary>
public sealed partial class NginxAttackTests(ITestOutputHelper output) : IDisposable
{
    private const string Server1V6 = "2001:db8:1::1";
    private const string Attacker1V6 = "2001:db8:1::2";

    /// <summary>The address the hostile values name: nothing in the lab has it.</summary>
    private const string Forged = "203.0.113.99";

    private readonly FirewallLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootFact]
    public void ShippedWebFilters_RealAttacksOnNginx_FindWhatFail2BanFindsAndBlameOnlySenders()
    {
        if (!ShippedFilterComparison.OracleAvailable(output))
        {
            return;
        }

        using var nginx = new NginxServer(_lab.Lab, _lab.Server, FirewallLab.Server1V4, Server1V6, FirewallLab.Server2V4);
        Attack(nginx);
        var errorLog = File.ReadAllText(nginx.ErrorLog);
        var accessLog = File.ReadAllText(nginx.AccessLog);
        output.WriteLine(errorLog);
        output.WriteLine(accessLog);
        string[] senders = [FirewallLab.Attacker1V4, Attacker1V6, FirewallLab.Attacker2V4];
        Assert.DoesNotContain(NginxAccessAddresses(accessLog), a => !senders.Contains(a)); // the lab is what we think

        var comparison = new ShippedFilterComparison(output, senders, DocumentedDifference);
        CheckAgainstNginx(comparison, nginx.ErrorLog, "nginx-http-auth", "normal", "password mismatch", "was not found in");
        CheckAgainstNginx(comparison, nginx.ErrorLog, "nginx-http-auth", "aggressive", "password mismatch", "was not found in", "no user/password was provided");
        CheckAgainstNginx(comparison, nginx.ErrorLog, "nginx-limit-req", "normal", "limiting requests, excess");
        CheckAgainstNginx(comparison, nginx.ErrorLog, "nginx-limit-req", "aggressive", "limiting requests, excess", "delaying request, excess");
        foreach (var (filter, log) in new[]
                 {
                     ("nginx-http-auth", nginx.ErrorLog), ("nginx-limit-req", nginx.ErrorLog),
                     ("nginx-botsearch", nginx.ErrorLog), ("nginx-botsearch", nginx.AccessLog),
                     ("nginx-bad-request", nginx.AccessLog), ("apache-badbots", nginx.AccessLog),
                 })
        {
            foreach (var mode in new[] { "normal", "aggressive" })
            {
                comparison.Compare(log, filter, mode);
            }
        }

        Assert.True(comparison.Problems.Count == 0, string.Join('\n', comparison.Problems));
    }

    [RootFact]
    public async Task ShippedNginxJails_RealFailures_BanAtNginxPortWithNftables()
    {
        using var nginx = new NginxServer(_lab.Lab, _lab.Server, FirewallLab.Server1V4, Server1V6, FirewallLab.Server2V4);
        await using var d = await TestDaemon.StartAsync($"""
            [nginx-http-auth]
            enabled = true
            logpath = {nginx.ErrorLog}

            [nginx-limit-req]
            enabled = true
            logpath = {nginx.ErrorLog}
            """, start: false); // maxretry 3, banaction nftables-multiport, port http,https from the shipped jail.conf
        d.NetworkNamespace = _lab.Server;
        var url1 = $"http://{FirewallLab.Server1V4}/";
        var url2 = $"http://{FirewallLab.Server2V4}/";
        try
        {
            await d.StartServerAsync();
            Assert.Equal(401, NginxServer.Curl(_lab.Attacker1, url1 + "private/", "-u", "alice:wrong-1"));
            Assert.Equal(401, NginxServer.Curl(_lab.Attacker1, url1 + "private/", "-u", "mallory:x"));
            Assert.Equal(401, NginxServer.Curl(_lab.Attacker2, url2 + "private/", "-u", "alice:wrong-2"));
            await WaitForFailedAsync(d, "nginx-http-auth", 3);
            Assert.Equal(200, NginxServer.Curl(_lab.Attacker1, url1)); // two failures: still served
            Assert.Equal(200, NginxServer.Curl(_lab.Attacker1, url1 + "private/", "-u", $"{nginx.User}:{nginx.Password}"));
            Assert.Equal(401, NginxServer.Curl(_lab.Attacker1, url1 + "private/", "-u", "alice:wrong-3"));
            await TestDaemon.WaitUntilAsync(() => !NetworkLab.CanConnect(_lab.Attacker1, FirewallLab.Server1V4, 80), "attacker 1 banned at port 80", 20);
            Assert.Equal(0, NginxServer.Curl(_lab.Attacker1, url1));
            Assert.Equal(200, NginxServer.Curl(_lab.Attacker2, url2)); // one failure: another address is served
            var banned = await d.ClientAsync("get", "nginx-http-auth", "banned");
            Assert.Contains(FirewallLab.Attacker1V4, banned.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(FirewallLab.Attacker2V4, banned.Output, StringComparison.Ordinal);
            Assert.Contains(FirewallLab.Attacker1V4, _lab.Ruleset(), StringComparison.Ordinal);

            Assert.Equal(0, (await d.ClientAsync("set", "nginx-http-auth", "unbanip", FirewallLab.Attacker1V4)).Code);
            await TestDaemon.WaitUntilAsync(() => NginxServer.Curl(_lab.Attacker1, url1) == 200, "unbanip restores attacker 1", 20);

            // The same host over IPv6 (nginx writes "client: 2001:db8:1::2"): banned there, its IPv4 address is not.
            var url1V6 = $"http://[{Server1V6}]/";
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal(401, NginxServer.Curl(_lab.Attacker1, url1V6 + "private/", "-u", $"alice:v6-wrong-{i}"));
            }

            await TestDaemon.WaitUntilAsync(() => !NetworkLab.CanConnect(_lab.Attacker1, Server1V6, 80), "attacker 1 banned over IPv6 at port 80", 20);
            Assert.Equal(0, NginxServer.Curl(_lab.Attacker1, url1V6));
            Assert.Equal(200, NginxServer.Curl(_lab.Attacker1, url1)); // its IPv4 address is still served
            Assert.Contains(Attacker1V6, (await d.ClientAsync("get", "nginx-http-auth", "banned")).Output, StringComparison.Ordinal);
            Assert.Contains(Attacker1V6, _lab.Ruleset(), StringComparison.Ordinal);
            Assert.Equal(0, (await d.ClientAsync("set", "nginx-http-auth", "unbanip", Attacker1V6)).Code);
            await TestDaemon.WaitUntilAsync(() => NginxServer.Curl(_lab.Attacker1, url1V6) == 200, "unbanip restores attacker 1 over IPv6", 20);

            // Attacker 2 bursts over the rate limit: nginx serves one, delays two, refuses the rest with 503.
            NetworkLab.Exec(_lab.Attacker2, "sh", "-c", $"for i in 1 2 3 4 5 6 7; do curl -s -o /dev/null -m 3 {url2}limited/ & done; wait");
            NginxServer.WaitFor(nginx.ErrorLog, l => l.Contains("limiting requests", StringComparison.Ordinal), 3, TimeSpan.FromSeconds(10));
            await TestDaemon.WaitUntilAsync(() => !NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, 80), "attacker 2 banned by nginx-limit-req", 20);
            Assert.Equal(200, NginxServer.Curl(_lab.Attacker1, url1));
            Assert.Contains(FirewallLab.Attacker2V4, (await d.ClientAsync("get", "nginx-limit-req", "banned")).Output, StringComparison.Ordinal);
            Assert.Equal(0, (await d.ClientAsync("set", "nginx-limit-req", "unbanip", FirewallLab.Attacker2V4)).Code);
            await TestDaemon.WaitUntilAsync(() => NetworkLab.CanConnect(_lab.Attacker2, FirewallLab.Server2V4, 80), "unbanip restores attacker 2", 20);
            await d.StopServerAsync();
            Assert.DoesNotContain("sharpban", _lab.Ruleset(), StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(File.ReadAllText(nginx.ErrorLog));
            output.WriteLine(d.Log());
        }
    }

    /// <summary>
    /// Ours counts exactly the error-log lines whose message nginx itself wrote as one of <paramref name="messages"/>,
    /// each for the connection's address: the first <c>, client: </c> field (nothing the client writes before it can
    /// hold ": ", nginx ends a user name at its first colon).
    /// </summary>
    private static void CheckAgainstNginx(ShippedFilterComparison comparison, string log, string filter, string mode, params string[] messages) =>
        comparison.CountsExactly(log, $"{filter}[mode={mode}]", File.ReadAllLines(log)
            .Where(l => messages.Any(m => l.Contains(m, StringComparison.Ordinal)))
            .Select(l => ClientField().Match(l).Groups[1].Value + " " + l)
            .ToHashSet());

    private void Attack(NginxServer nginx)
    {
        var a1 = _lab.Attacker1;
        var s1 = $"http://{FirewallLab.Server1V4}";
        var s1v6 = $"http://[{Server1V6}]";
        var ip1 = FirewallLab.Server1V4;

        // Basic authentication: wrong passwords, unknown users, no credentials, one success.
        Assert.Equal(401, NginxServer.Curl(a1, s1 + "/private/", "-u", "alice:wrong"));
        Assert.Equal(401, NginxServer.Curl(a1, s1 + "/private/", "-u", "admin:admin"));
        Assert.Equal(401, NginxServer.Curl(a1, s1 + "/private/", "-u", ":"));
        Assert.Equal(401, NginxServer.Curl(a1, s1 + "/private/"));
        Assert.Equal(401, NginxServer.Curl(a1, s1v6 + "/private/", "-u", "alice:wrong-v6"));
        Assert.Equal(200, NginxServer.Curl(a1, s1 + "/private/", "-u", $"{nginx.User}:{nginx.Password}"));
        Assert.Equal(401, NginxServer.Curl(a1, s1 + "/private/", "-u", "alice:wrong", "-e", "https://www.example.test/a page"));
        Assert.StartsWith("HTTP/1.1 401", NginxServer.Raw(a1, ip1, @"GET /private/ HTTP/1.0\r\nAuthorization: Basic YWxpY2U6eA==\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("<html>", NginxServer.Raw(a1, ip1, @"GET /private/\r\n"), StringComparison.Ordinal); // HTTP/0.9: no status line
        Assert.StartsWith("HTTP/1.1 404", NginxServer.Raw(a1, ip1, @"GET /wp-login.php HTTP/1.0\r\n\r\n"), StringComparison.Ordinal);

        // Over the rate limit: one served, two delayed (until curl gives up), the rest refused with 503.
        NetworkLab.Exec(a1, "sh", "-c", $"for i in 1 2 3 4 5 6; do curl -s -o /dev/null -m 3 {s1}/limited/ & done; wait");

        // Probes for software that is not there, and an ordinary 404.
        foreach (var path in new[] { "/wp-login.php", "/phpmyadmin/", "/.env", "/cgi-bin/test.cgi", "/pma/index.php", "/favicon.ico" })
        {
            Assert.Equal(404, NginxServer.Curl(a1, s1 + path));
        }

        Assert.Equal(404, NginxServer.Curl(a1, s1 + "/wp-admin/setup-config.php", "-X", "POST", "-d", "x=1"));
        Assert.Equal(404, NginxServer.Curl(a1, s1v6 + "/roundcube/"));

        // Malformed requests.
        NginxServer.Raw(a1, ip1, @"\r\n");
        NginxServer.Raw(a1, ip1, @"GET /\r\n");
        NginxServer.Raw(a1, ip1, @"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n");
        NetworkLab.Exec(a1, "sh", "-c", $"openssl s_client -connect {ip1}:80 </dev/null >/dev/null 2>&1");
        Assert.Equal(400, NginxServer.Curl(a1, s1 + "/", "-H", "Host: bad/host"));

        // A bad robot.
        Assert.Equal(200, NginxServer.Curl(a1, s1 + "/", "-A", "EmailCollector"));

        // Attacker 2 repeats nginx's fields with another address wherever it can write text.
        var a2 = _lab.Attacker2;
        var s2 = $"http://{FirewallLab.Server2V4}";
        var fields = $"\", client: {Forged}, server: www.example.test, request: \"GET /private/ HTTP/1.1\", host: \"www.example.test";
        Assert.Equal(401, NginxServer.Curl(a2, s2 + "/private/", "-u", "x" + fields + ":pw")); // nginx ends the user name at the first colon
        Assert.Equal(401, NginxServer.Curl(a2, s2 + "/private/", "-u", "alice:wrong", "-e", "x" + fields));
        Assert.Equal(401, NginxServer.Curl(a2, s2 + "/private/", "-u", "alice:wrong", "-e", $"x\": password mismatch, client: {Forged}, server: s, request: \"GET / HTTP/1.1\", host: \"h"));
        Assert.Equal(404, NginxServer.Curl(a2, s2 + "/wp-login.php" + Uri.EscapeDataString(fields)));
        Assert.Equal(404, NginxServer.Curl(a2, s2 + "/.env", "-e", "x" + fields));
        Assert.Equal(200, NginxServer.Curl(a2, s2 + "/", "-e", "x\" \"EmailCollector", "-A", "Mozilla/5.0"));
        Assert.Equal(404, NginxServer.Curl(a2, s2 + "/phpmyadmin/", "-A", $"{Forged} - - [01/Jan/2024:00:00:00 +0000] \"GET /wp-login.php HTTP/1.1\" 404 1 \"-\" \"EmailCollector"));

        NginxServer.WaitFor(nginx.AccessLog, l => l.StartsWith(FirewallLab.Attacker2V4, StringComparison.Ordinal), 7, TimeSpan.FromSeconds(10));
        Thread.Sleep(300); // error-log lines of the last requests
    }

    /// <summary>Why a failure fail2ban's filter finds is not ours, if docs/config.md says so; null otherwise.</summary>
    private static string? DocumentedDifference(string filter, string mode, string failure) =>
        failure.StartsWith(Forged + " ", StringComparison.Ordinal) ? "fail2ban blames the forged address"
        : filter == "nginx-bad-request" && mode == "normal" && WellFormed400().IsMatch(failure) ? "a well-formed request line answered 400 counts in aggressive mode only"
        : null;

    private static IEnumerable<string> NginxAccessAddresses(string accessLog) =>
        accessLog.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).Distinct(StringComparer.Ordinal);

    private static async Task WaitForFailedAsync(TestDaemon d, string jail, int count) =>
        await TestDaemon.WaitUntilAsync(() =>
        {
            var (_, json) = d.ClientAsync(true, "status", jail).GetAwaiter().GetResult();
            return System.Text.Json.Nodes.JsonNode.Parse(json)!["Filter"]!["Total failed"]!.GetValue<int>() >= count;
        }, $"{count} failures counted in {jail}");

    [GeneratedRegex(", client: ([^,]+),")]
    private static partial Regex ClientField();

    [GeneratedRegex("""\] "[A-Z]+ /\S* HTTP/\d\.\d" 400 """)]
    private static partial Regex WellFormed400();
}

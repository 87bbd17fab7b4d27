using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBan.Tests.Support;

namespace SharpBan.Tests.Server;

/// <summary>
/// Our shipped actions that call web APIs (abuseipdb, cloudflare-token, cloudflare) under the real daemon with the real curl,
/// pointed at a <see cref="LoopbackHttpServer"/> that stands in for the service and records what it received; and
/// apprise, through a recording stub (<see cref="ShippedActionInjectionTests.InstallStubs"/>).
/// </summary>
public class ShippedApiActionTests
{
    private const string Token = "tok-8f2Ab_c";
    private const string Zone = "023e105f4ecef8ad9ca31a8372d0c353";

    [Fact]
    public async Task Abuseipdb_BanWithHostileUserNames_PostsTheLogLinesVerbatimAndRunsNothing()
    {
        var marker = Path.Join(Path.GetTempPath(), "sharpban-pwned-" + Guid.NewGuid().ToString("N"));
        using var api = new LoopbackHttpServer();
        await using var d = await TestDaemon.StartAsync($"""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            maxretry = 4
            action = abuseipdb[abuseipdb_apikey="k3y-Secret_1", abuseipdb_category="18,22", abuseipdb_url="{api.BaseUrl}/api/v2/report"]
            """);
        try
        {
            string[] users = [$"$(touch {marker})", $"`touch {marker}`", $";touch {marker};'\"x", "ü&comment=forged%20&ip=192.0.2.9"];
            var lines = users.Select(u => TestDaemon.FailedPassword("203.0.113.70", u)).ToArray();
            d.Append(lines);
            await TestDaemon.WaitUntilAsync(() => !api.Requests.IsEmpty, "report posted; errors: " + d.Log());

            var request = Assert.Single(api.Requests);
            Assert.Equal("POST", request.Method);
            Assert.Equal("/api/v2/report", request.Path);
            Assert.Equal("k3y-Secret_1", request.Headers["Key"]);
            Assert.Equal("application/json", request.Headers["Accept"]);
            Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
            var form = HttpRequestRecord.Fields(request.Body);
            Assert.Equal(["categories", "comment", "ip"], form.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("203.0.113.70", form["ip"]);
            Assert.Equal("18,22", form["categories"]);
            Assert.Equal(string.Join('\n', lines), form["comment"]);
            Assert.False(File.Exists(marker), "a command from a log line was executed");

            // a network is not reported (the API takes single addresses), and that is no error
            Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "198.51.100.0/24")).Code);
            await Task.Delay(1500);
            Assert.Single(api.Requests);
            Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task Abuseipdb_ApiAnswersError_ErrorAndAnswerInTheLog()
    {
        using var api = new LoopbackHttpServer { Respond = _ => (429, """{"errors":[{"detail":"Daily rate limit of 1000 requests exceeded"}]}""") };
        await using var d = await TestDaemon.StartAsync($"""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = abuseipdb[abuseipdb_apikey=k, abuseipdb_url="{api.BaseUrl}/r"]
            """);
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "203.0.113.71")).Code);
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Daily rate limit", StringComparison.Ordinal), "the API's answer logged: " + d.Log());
        Assert.Contains("ERROR", d.Log(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cloudflare-token")]
    [InlineData("cloudflare")]
    public async Task Cloudflare_BanUnban_CreatesAndDeletesItsOwnAccessRulesOnly(string action)
    {
        using var api = new LoopbackHttpServer();
        var token = action == "cloudflare-token";
        var rules = token ? $"/client/v4/zones/{Zone}/firewall/access_rules/rules" : "/client/v4/user/firewall/access_rules/rules";
        var cloudflare = new FakeCloudflare(rules);
        cloudflare.Add("ip", "203.0.113.80", "block", "added by hand"); // not the jail's: must survive the unban
        cloudflare.Add("ip", "203.0.113.81", "block", "Fail2Ban sshd"); // left by fail2ban's action before the switch
        api.Respond = cloudflare.Handle;
        var options = token ? $"cftoken=\"{Token}\", cfzone=\"{Zone}\"" : $"cfuser=\"admin@example.org\", cftoken=\"{Token}\"";
        await using var d = await TestDaemon.StartAsync($"""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = {action}[{options}, cfapi="{api.BaseUrl}/client/v4"]
            """);

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "203.0.113.80", "2001:db8::80", "198.51.100.0/24")).Code);
        await TestDaemon.WaitUntilAsync(() => cloudflare.Count == 5, "three rules created; errors: " + d.Log());
        foreach (var (target, value) in new[] { ("ip", "203.0.113.80"), ("ip6", "2001:db8::80"), ("ip_range", "198.51.100.0/24") })
        {
            var post = Assert.Single(api.Requests, r => r.Method == "POST" && r.Body.Contains($"\"{value}\"", StringComparison.Ordinal));
            Assert.Equal(rules, post.Path);
            Assert.Equal("application/json", post.Headers["Content-Type"]);
            var body = JsonNode.Parse(post.Body)!;
            Assert.Equal("block", (string?)body["mode"]);
            Assert.Equal(target, (string?)body["configuration"]!["target"]);
            Assert.Equal(value, (string?)body["configuration"]!["value"]);
            Assert.Equal("SharpBan sshd", (string?)body["notes"]);
        }

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", "203.0.113.80")).Code);
        await TestDaemon.WaitUntilAsync(() => cloudflare.Count == 4, "the jail's rule for 203.0.113.80 deleted; errors: " + d.Log());
        Assert.True(cloudflare.Has("203.0.113.80", "added by hand"), "the hand-made rule stays");
        var list = Assert.Single(api.Requests, r => r.Method == "GET");
        Assert.Equal(rules, list.Path);
        var query = HttpRequestRecord.Fields(list.Query);
        Assert.Equal("ip", query["configuration.target"]);
        Assert.Equal("203.0.113.80", query["configuration.value"]);
        Assert.Equal("block", query["mode"]);
        var delete = Assert.Single(api.Requests, r => r.Method == "DELETE");
        Assert.Equal($"{rules}/{cloudflare.LastDeleted}", delete.Path);

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", "198.51.100.0/24")).Code);
        await TestDaemon.WaitUntilAsync(() => cloudflare.Count == 3, "network rule deleted; errors: " + d.Log());
        Assert.Equal("198.51.100.0/24", HttpRequestRecord.Fields(api.Requests.Last(r => r.Method == "GET").Query)["configuration.value"]);

        // a ban fail2ban made (its rule noted "Fail2Ban sshd"), then lifted by us
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "203.0.113.81")).Code);
        await TestDaemon.WaitUntilAsync(() => cloudflare.Count == 4, "rule created; errors: " + d.Log());
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", "203.0.113.81")).Code);
        await TestDaemon.WaitUntilAsync(() => !cloudflare.Has("203.0.113.81", "Fail2Ban sshd") && !cloudflare.Has("203.0.113.81", "SharpBan sshd"),
            "both rules for 203.0.113.81 deleted; errors: " + d.Log());

        await d.StopServerAsync(); // a stopping jail lifts its bans
        Assert.Equal(1, cloudflare.Count);
        Assert.All(api.Requests, r =>
        {
            if (token)
            {
                Assert.Equal("Bearer " + Token, r.Headers["Authorization"]);
            }
            else
            {
                Assert.Equal("admin@example.org", r.Headers["X-Auth-Email"]);
                Assert.Equal(Token, r.Headers["X-Auth-Key"]);
                Assert.False(r.Headers.ContainsKey("Authorization"));
            }
        });
        Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apprise_StartBanStop_NotifiesThroughTheAppriseCommand()
    {
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = apprise[config="$DIR/apprise.yml"]
            """, start: false);
        var bin = ShippedActionInjectionTests.InstallStubs(d.Dir);
        d.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        d.Environment["STUB_RECORDS"] = Path.Join(d.Dir, "records");
        var record = Path.Join(d.Dir, "records", "apprise");
        string Recorded() => File.Exists(record) ? File.ReadAllText(record) : "";
        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => Recorded().Contains(": started on ", StringComparison.Ordinal), "start notified");
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "203.0.113.90")).Code);
        await TestDaemon.WaitUntilAsync(() => Recorded().Contains("banned 203.0.113.90", StringComparison.Ordinal), "ban notified: " + d.Log());
        var ban = Recorded()[Recorded().IndexOf($"arg: -c\narg: {d.Dir}/apprise.yml\narg: -n\narg: warning\n", StringComparison.Ordinal)..];
        Assert.StartsWith($"arg: -c\narg: {d.Dir}/apprise.yml\narg: -n\narg: warning\narg: -t\narg: [SharpBan] sshd: banned 203.0.113.90\nstdin:\nSharpBan on ", ban, StringComparison.Ordinal);
        Assert.Matches(@"^SharpBan on \S+ has banned 203\.0\.113\.90 in the jail sshd after \d+ failures\.\n", ban[(ban.IndexOf("stdin:\n", StringComparison.Ordinal) + 7)..]);
        await d.StopServerAsync();
        Assert.Contains(": stopped on ", Recorded(), StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
    }

    /// <summary>The part of Cloudflare's API v4 IP Access rules (one zone, or the account's) the action uses: create, list, delete.</summary>
    private sealed class FakeCloudflare(string rules)
    {
        private readonly Lock _lock = new();
        private readonly List<JsonObject> _rules = [];

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _rules.Count;
                }
            }
        }

        public string? LastDeleted { get; private set; }

        public void Add(string target, string value, string mode, string notes)
        {
            lock (_lock)
            {
                _rules.Add(new JsonObject
                {
                    ["id"] = Guid.NewGuid().ToString("N"),
                    ["mode"] = mode,
                    ["notes"] = notes,
                    ["configuration"] = new JsonObject { ["target"] = target, ["value"] = value },
                    ["scope"] = new JsonObject { ["id"] = Zone, ["type"] = "zone" },
                });
            }
        }

        public bool Has(string value, string notes)
        {
            lock (_lock)
            {
                return _rules.Any(r => (string?)r["configuration"]!["value"] == value && (string?)r["notes"] == notes);
            }
        }

        public (int Status, string Body) Handle(HttpRequestRecord request)
        {
            lock (_lock)
            {
                if (request.Method == "POST" && request.Path == rules)
                {
                    var body = JsonNode.Parse(request.Body)!;
                    Add((string)body["configuration"]!["target"]!, (string)body["configuration"]!["value"]!, (string)body["mode"]!, (string)body["notes"]!);
                    return Ok(_rules[^1].DeepClone());
                }

                if (request.Method == "GET" && request.Path == rules)
                {
                    var query = HttpRequestRecord.Fields(request.Query);
                    var found = new JsonArray([.. _rules.Where(r =>
                            (string?)r["configuration"]!["target"] == query.GetValueOrDefault("configuration.target")
                            && (string?)r["configuration"]!["value"] == query.GetValueOrDefault("configuration.value")
                            && (string?)r["mode"] == query.GetValueOrDefault("mode"))
                        .Select(r => r.DeepClone())]);
                    return Ok(found);
                }

                if (request.Method == "DELETE" && request.Path.StartsWith(rules + "/", StringComparison.Ordinal))
                {
                    var id = request.Path[(rules.Length + 1)..];
                    if (_rules.RemoveAll(r => (string?)r["id"] == id) == 0)
                    {
                        return (404, """{"success":false,"errors":[{"code":10001,"message":"not found"}]}""");
                    }

                    LastDeleted = id;
                    return Ok(new JsonObject { ["id"] = id });
                }

                return (400, """{"success":false,"errors":[{"code":10000,"message":"bad request"}]}""");
            }
        }

        private static (int, string) Ok(JsonNode? result) =>
            (200, new JsonObject { ["success"] = true, ["errors"] = new JsonArray(), ["messages"] = new JsonArray(), ["result"] = result }
                .ToJsonString(JsonSerializerOptions.Default));
    }
}

namespace SharpBan.Tests.Server;

/// <summary>
/// Our shipped ufw action under the real daemon with <c>ufw</c>, <c>ss</c> and <c>conntrack</c> as recording stubs
/// (<see cref="ShippedActionInjectionTests.InstallStubs"/>): the argument lists a real ufw would get. Real ufw is not
/// run: it rewrites /etc/ufw and the host's iptables.
/// </summary>
public class ShippedUfwActionTests
{
    [Theory]
    [InlineData("port=\"22,2222\", protocol=\"tcp,udp\"",
        "prepend|reject|from|203.0.113.5|to|any|port|22,2222|proto|tcp;prepend|reject|from|203.0.113.5|to|any|port|22,2222|proto|udp",
        "prepend|reject|from|2001:db8::5|to|any|port|22,2222|proto|tcp;prepend|reject|from|2001:db8::5|to|any|port|22,2222|proto|udp")]
    [InlineData("port=ssh, blocktype=deny, destination=192.0.2.1, insert=3",
        "insert|3|deny|from|203.0.113.5|to|192.0.2.1|port|ssh|proto|tcp",
        "prepend|deny|from|2001:db8::5|to|192.0.2.1|port|ssh|proto|tcp")]
    [InlineData("application=\"OpenSSH\", kill-mode=ss",
        "prepend|reject|from|203.0.113.5|to|any|app|OpenSSH",
        "prepend|reject|from|2001:db8::5|to|any|app|OpenSSH")]
    public async Task Ufw_BanUnban_RuleAddedAndDeletedWithTheJailsOptions(string args, string ipv4Calls, string ipv6Calls)
    {
        await using var d = await TestDaemon.StartAsync($"""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = ufw[{args}]
            """, start: false);
        d.Environment["PATH"] = ShippedActionInjectionTests.InstallStubs(d.Dir) + ":" + Environment.GetEnvironmentVariable("PATH");
        d.Environment["STUB_RECORDS"] = Path.Join(d.Dir, "records");
        string Calls(string stub) => File.Exists(Path.Join(d.Dir, "records", stub))
            ? File.ReadAllText(Path.Join(d.Dir, "records", stub)).Replace("arg: ", "", StringComparison.Ordinal).TrimEnd('\n').Replace("\n\n", "\n--\n", StringComparison.Ordinal)
            : "";
        string[] CallList(string stub) => Calls(stub) is { Length: > 0 } text ? [.. text.Split("\n--\n").Select(c => c.Replace('\n', '|'))] : [];
        string[] bans4 = ipv4Calls.Split(';');
        string[] expectedBans = [.. bans4, .. ipv6Calls.Split(';')];
        await d.StartServerAsync();

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "203.0.113.5")).Code);
        await TestDaemon.WaitUntilAsync(() => CallList("ufw").Length == bans4.Length, "IPv4 ban");
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "2001:db8::5")).Code);
        await TestDaemon.WaitUntilAsync(() => CallList("ufw").Length == expectedBans.Length, "IPv6 ban");
        Assert.Equal(expectedBans, CallList("ufw"));

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "unbanip", "203.0.113.5")).Code);
        var deletes = bans4
            .Select(b => "delete|" + string.Join('|', b.Split('|').SkipWhile(w => w is "insert" or "3" or "prepend"))).ToArray();
        await TestDaemon.WaitUntilAsync(() => CallList("ufw").Length == expectedBans.Length + deletes.Length, "unban");
        Assert.Equal(deletes, CallList("ufw").Skip(expectedBans.Length));

        Assert.Equal(args.Contains("kill-mode=ss", StringComparison.Ordinal) ? ["-K|dst|2001:db8::5", "-K|dst|203.0.113.5"] : [], CallList("ss").Order(StringComparer.Ordinal));
        Assert.DoesNotContain("ERROR", d.Log(), StringComparison.Ordinal);
    }
}

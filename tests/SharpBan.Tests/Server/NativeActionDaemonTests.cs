namespace SharpBan.Tests.Server;

/// <summary>
/// The daemon with <c>banaction = nftables-native</c>, its <c>nft</c> replaced by a fake on <c>PATH</c> that records
/// every transaction it is fed (separated by a marker line) and succeeds: the wiring from jail to native backend.
/// </summary>
public class NativeActionDaemonTests
{
    private const string Marker = "#--- end of transaction";

    private const string Jail = """
        [sshd]
        enabled = true
        backend = auto
        logpath = $DIR/auth.log
        banaction = nftables-native
        """; // maxretry 3, bantime 10m come from the shipped jail.conf

    [Fact]
    public async Task Server_NativeAction_ThreeFailuresBanThroughNft()
    {
        await using var d = await StartAsync(Jail);
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("add chain inet sharpban-native in-sshd", StringComparison.Ordinal)), "jail started");
        d.Append(TestDaemon.FailedPassword("203.0.113.10"), TestDaemon.FailedPassword("203.0.113.10"));
        await d.WaitForFailedAsync(2);
        Assert.DoesNotContain(Transactions(d), t => t.Contains("203.0.113.10", StringComparison.Ordinal));
        d.Append(TestDaemon.FailedPassword("203.0.113.10"));
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("add element inet sharpban-native ban4-sshd { 203.0.113.10 timeout", StringComparison.Ordinal)), "ban sent to nft");
        Assert.Contains("th dport { ssh } ip saddr @ban4-sshd reject", Transactions(d)[0], StringComparison.Ordinal);
        Assert.Contains("[sshd] action nftables-native: native nftables backend started with 0 restored bans", d.Log(), StringComparison.Ordinal);
        Assert.DoesNotContain("/bin/sh", d.Log(), StringComparison.Ordinal); // no command action ran
    }

    [Fact]
    public async Task Server_NativeAction_UnbanAndIPv6GoToTheirSets()
    {
        await using var d = await StartAsync(Jail);
        await d.ClientAsync("set", "sshd", "banip", "2001:db8::7");
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("ban6-sshd { 2001:db8::7 timeout", StringComparison.Ordinal)), "IPv6 ban");
        await d.ClientAsync("set", "sshd", "unbanip", "2001:db8::7");
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("delete element inet sharpban-native ban6-sshd { 2001:db8::7 }", StringComparison.Ordinal)), "IPv6 unban");
    }

    [Fact]
    public async Task Server_NativeAction_RestartLoadsPersistedBansInTheStartTransaction()
    {
        await using var d = await StartAsync(Jail);
        await d.ClientAsync("set", "sshd", "banip", "192.0.2.50", "192.0.2.51", "2001:db8::50");
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("2001:db8::50", StringComparison.Ordinal)), "bans");
        await d.StopServerAsync();
        Assert.Contains("delete table inet sharpban-native", Transactions(d)[^1], StringComparison.Ordinal); // stop removes the table
        File.Delete(NftLog(d));
        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Count > 0, "start transaction");
        var start = Transactions(d)[0];
        Assert.Contains("add chain inet sharpban-native in-sshd", start, StringComparison.Ordinal);
        Assert.Matches(@"add element inet sharpban-native ban4-sshd \{ 192\.0\.2\.5[01] timeout \d+ms, 192\.0\.2\.5[01] timeout \d+ms \}", start);
        Assert.Contains("ban6-sshd { 2001:db8::50 timeout", start, StringComparison.Ordinal);
        Assert.Contains("restored bans", d.Log(), StringComparison.Ordinal);
        Assert.Contains("started with 3 restored bans", d.Log(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A native action added to a running jail by client commands alone, its properties one by one after it: started
    /// natively with the bans the jail already holds once it is native, started again when a property changes its
    /// settings, and every later ban goes to its set (before, it stayed unstarted and bans never reached nft).
    /// </summary>
    [Fact]
    public async Task Server_NativeActionAddedByClientCommands_StartsWithTheJailsBansAndTakesLaterOnes()
    {
        await using var d = await StartAsync("""
            [sshd]
            enabled = true
            backend = auto
            logpath = $DIR/auth.log
            action = dummy[target="$DIR/dummy.out"]
            """);
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "192.0.2.61")).Code);
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "addaction", "fw")).Code);
        Assert.Empty(Transactions(d));

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "action", "fw", "native", "nftables")).Code);
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("add chain inet sharpban-native in-sshd", StringComparison.Ordinal)), "native start");
        Assert.Contains("ban4-sshd { 192.0.2.61 timeout", Transactions(d)[0], StringComparison.Ordinal);
        Assert.Contains("[sshd] action fw: native nftables backend started with 1 restored bans", d.Log(), StringComparison.Ordinal);

        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "action", "fw", "port", "2222")).Code); // another port: started again
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("th dport { 2222 }", StringComparison.Ordinal)), "restart with the new port");
        var count = Transactions(d).Count;
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "action", "fw", "port", "2222")).Code); // the same settings: nothing to do
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "192.0.2.62")).Code);
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("add element inet sharpban-native ban4-sshd { 192.0.2.62 timeout", StringComparison.Ordinal)), "a later ban");
        Assert.Equal(count + 1, Transactions(d).Count);
        Assert.Contains("+192.0.2.62", File.ReadAllText(Path.Join(d.Dir, "dummy.out")), StringComparison.Ordinal); // the command action too
    }

    /// <summary>
    /// The set gets the ban's address as shell actions get <c>&lt;ip&gt;</c>: the address beside an F-ID, not the id
    /// (<c>7</c>, which .NET's parser read as 0.0.0.7).
    /// </summary>
    [Fact]
    public async Task Server_NativeAction_IdBesideAddress_TheAddressIsBanned()
    {
        const string SessionJail = """
            [session]
            enabled = true
            backend = auto
            logpath = $DIR/auth.log
            filter = session
            banaction = nftables-native
            """;
        await using var d = await StartAsync(SessionJail, static dir => File.WriteAllText(
            Path.Join(dir, "filter.d", "session.conf"), "[Definition]\nfailregex = session <F-ID>\\d+</F-ID> failed from <HOST>$\n"));
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("add chain inet sharpban-native in-session", StringComparison.Ordinal)), "jail started");
        var line = DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " session 7 failed from 203.0.113.20";
        d.Append(line, line, line);
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("ban4-session { 203.0.113.20 timeout", StringComparison.Ordinal)), "the address banned");
        Assert.Contains("7", (await d.ClientAsync("get", "session", "banned")).Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Transactions(d), t => t.Contains("0.0.0.7", StringComparison.Ordinal));
    }

    /// <summary>
    /// An id that is no address in fail2ban's reading (a quad with a leading zero) reaches no set: .NET's parser read
    /// <c>192.030.0.6</c> as octal, 192.24.0.6, and banned an address nobody logged.
    /// </summary>
    [Fact]
    public async Task Server_NativeAction_QuadWithLeadingZero_NotBannedAsAnotherAddress()
    {
        await using var d = await StartAsync(Jail);
        await d.ClientAsync("set", "sshd", "banip", "192.030.0.6", "203.0.113.21");
        await TestDaemon.WaitUntilAsync(() => Transactions(d).Any(t => t.Contains("ban4-sshd { 203.0.113.21 timeout", StringComparison.Ordinal)), "the address banned");
        Assert.DoesNotContain(Transactions(d), t => t.Contains("192.24.0.6", StringComparison.Ordinal) || t.Contains("192.030.0.6", StringComparison.Ordinal));
    }

    private static async Task<TestDaemon> StartAsync(string jail, Action<string>? prepare = null)
    {
        var d = await TestDaemon.StartAsync(jail, start: false);
        prepare?.Invoke(d.Dir);
        var bin = Directory.CreateDirectory(Path.Join(d.Dir, "fakebin")).FullName;
        var nft = Path.Join(bin, "nft");
        File.WriteAllText(nft, $"#!/bin/sh\ncat >> '{NftLog(d)}'\necho '{Marker}' >> '{NftLog(d)}'\n");
        File.SetUnixFileMode(nft, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        d.Environment["PATH"] = bin + ":" + System.Environment.GetEnvironmentVariable("PATH");
        await d.StartServerAsync();
        return d;
    }

    private static string NftLog(TestDaemon d) => Path.Join(d.Dir, "nft.log");

    private static List<string> Transactions(TestDaemon d) => File.Exists(NftLog(d))
        ? [.. File.ReadAllText(NftLog(d)).Split(Marker + "\n", StringSplitOptions.RemoveEmptyEntries)]
        : [];
}

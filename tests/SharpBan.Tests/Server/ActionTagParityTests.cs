using System.Globalization;
using SharpBan.Tests.Client;

namespace SharpBan.Tests.Server;

/// <summary>
/// The tags an action's ban command gets, run by the real fail2ban 1.0.2 and by <c>sharpban server</c> on the same
/// failures (both from a copy of Debian's <c>/etc/fail2ban</c>): a recorder action prints every tag that does not
/// depend on the clock, and the printed lines must be the same. Failures come from sshd log lines (IPv4, IPv6, user
/// names, one with quotes and a dollar sign) and from <c>banip</c>.
/// </summary>
public sealed class ActionTagParityTests
{
    private const string TagRecorder = """
        [Definition]
        actionban = printf '%%s\n' "ban ip=<ip> family=<family> rev=<ip-rev> fid=<fid> failures=<failures> bancount=<bancount> bantime=<bantime> restored=<restored> user=<F-USER> ipfailures=<ipfailures> ipjailfailures=<ipjailfailures> port=<port> protocol=<protocol> name=<name>" >> '<target>'
                    printf '%%s\n' "matches of <ip>: <matches>" >> '<target>'
                    printf '%%s\n' "ipjailmatches of <ip>: <ipjailmatches>" >> '<target>'
        actionunban = printf '%%s\n' "unban <ip> <F-USER>" >> '<target>'
        [Init]
        target = /dev/null
        name = default
        port = ssh
        protocol = tcp
        """;

    private const string JailLocal = """
        [DEFAULT]
        backend = polling
        usedns = no
        ignoreself = false

        [sshd]
        enabled = true
        logpath = $DIR/auth.log
        maxretry = 2
        bantime = 1h
        action = tags[target="$DIR/tags.out", name=sshd-tags, port="22,2222"]
        """;

    [Fact]
    public async Task Ban_TagsGivenToTheAction_AreThoseOfFail2ban()
    {
        if (!ReferenceServer.Available())
        {
            return; // outside CI without the reference
        }

        await using var sharpban = await TestDaemon.StartAsync(JailLocal, start: false, configSource: "/etc/fail2ban");
        Prepare(sharpban.Dir);
        await sharpban.StartServerAsync();
        await using var fail2ban = await ReferenceServer.StartAsync(JailLocal, Prepare);

        var now = DateTime.Now;
        string Line(int secondsAgo, string text) => now.AddSeconds(-secondsAgo).ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture) + " srv sshd[" + (100 + secondsAgo) + "]: " + text;
        string[] lines =
        [
            Line(50, "Failed password for root from 192.0.2.21 port 4001 ssh2"),
            Line(40, "Failed password for invalid user it's$me from 192.0.2.21 port 4002 ssh2"),
            Line(35, "Invalid user bob from 2001:db8::21 port 4003"),
            Line(30, "Failed password for invalid user bob from 2001:db8::21 port 4004 ssh2"),
            Line(20, "Failed password for admin from 198.51.100.21 port 4005 ssh2"),
            Line(10, "Failed password for admin from 198.51.100.22 port 4006 ssh2"),
        ];
        foreach (var dir in (ReadOnlySpan<string>)[fail2ban.Dir, sharpban.Dir])
        {
            File.AppendAllLines(Path.Join(dir, "auth.log"), lines);
        }

        var expected = await ReferenceServer.SettledLinesAsync(Path.Join(fail2ban.Dir, "tags.out"), 4, quietSeconds: 2);
        var actual = await ReferenceServer.SettledLinesAsync(Path.Join(sharpban.Dir, "tags.out"), 4, quietSeconds: 2);
        foreach (var words in new[] { new[] { "set", "sshd", "banip", "203.0.113.21" }, ["set", "sshd", "unbanip", "192.0.2.21"] })
        {
            _ = await fail2ban.ClientAsync(words);
            _ = await sharpban.ClientSplitAsync(words);
        }

        expected = await ReferenceServer.SettledLinesAsync(Path.Join(fail2ban.Dir, "tags.out"), expected.Count + 4, quietSeconds: 2);
        actual = await ReferenceServer.SettledLinesAsync(Path.Join(sharpban.Dir, "tags.out"), actual.Count + 4, quietSeconds: 2);

        Assert.Contains(expected, static l => l.StartsWith("ban ip=2001:db8::21 family=inet6", StringComparison.Ordinal));
        var (theirs, ours) = (Normalized(expected, fail2ban.Dir), Normalized(actual, sharpban.Dir));
        var onlyTheirs = theirs.Except(ours).ToList();
        var onlyOurs = ours.Except(theirs).ToList();
        Assert.True(onlyTheirs.Count == 0 && onlyOurs.Count == 0 && theirs.Count == ours.Count,
            "only fail2ban:\n  " + string.Join("\n  ", onlyTheirs) + "\nonly sharpban:\n  " + string.Join("\n  ", onlyOurs));
    }

    private static void Prepare(string dir)
    {
        File.WriteAllText(Path.Join(dir, "action.d", "tags.conf"), TagRecorder);
        File.WriteAllText(Path.Join(dir, "auth.log"), "");
    }

    /// <summary>Actions run side by side, so lines of different bans may interleave: compared sorted.</summary>
    private static List<string> Normalized(List<string> lines, string dir) =>
        [.. lines.Select(l => l.Replace(dir, "$DIR", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}

namespace SharpBan.Tests.Server;

/// <summary>kill -9 in the middle of a ban storm: the SQLite file stays intact and every committed ban comes back.</summary>
public class CrashSafetyTests
{
    private const int Attackers = 3000;

    private static readonly string Jail = TestDaemon.PollingJail.Replace("action = dummy[", "action = slowdummy[", StringComparison.Ordinal);

    /// <summary>
    /// The dummy action with 20 ms per ban: 3,000 bans then take seconds even with 8 in flight, so the kill below always
    /// comes in the middle of the storm (with the instant dummy, a loaded CI machine once let all 3,000 finish first).
    /// </summary>
    private const string SlowDummy = """
        [Definition]
        actionstart = touch '<target>' && printf '%%s\n' 'start <name>' >> '<target>'
        actionban = sleep 0.02; printf '%%s\n' "+<ip>" >> '<target>'
        actionunban = printf '%%s\n' "-<ip>" >> '<target>'
        [Init]
        target = /dev/null
        name = default
        """;

    [Fact]
    public async Task Server_KilledMidBanStorm_DatabaseIntactAndEveryCommittedBanReapplied()
    {
        await using var d = await TestDaemon.StartAsync(Jail, start: false);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "slowdummy.conf"), SlowDummy);
        await d.StartServerAsync();
        var lines = new List<string>();
        // big enough that the storm is still running at the kill, with several action commands in flight per jail
        for (var i = 1; i <= Attackers; i++)
        {
            var ip = $"198.18.{i / 250}.{i % 250 + 1}";
            lines.AddRange([TestDaemon.FailedPassword(ip), TestDaemon.FailedPassword(ip), TestDaemon.FailedPassword(ip)]);
        }

        d.Append([.. lines]);
        await TestDaemon.WaitUntilAsync(() => Bans(d.Dummy()).Count >= 20, "bans under way", 30);
        await d.KillServerAsync();
        var appliedBeforeCrash = Bans(d.Dummy());
        Assert.True(appliedBeforeCrash.Count < Attackers, "the storm was over before the kill; the test would prove nothing");

        var db = Path.Join(d.Dir, "db.sqlite3");
        Assert.Equal(["ok"], Query(db, "PRAGMA integrity_check")); // as the crash left it (the WAL is replayed on open)
        var committed = Query(db, "SELECT ip FROM bips WHERE jail='sshd'");
        Assert.Subset(committed.ToHashSet(StringComparer.Ordinal), appliedBeforeCrash); // an applied ban was always committed first

        await d.StartServerAsync();
        await TestDaemon.WaitUntilAsync(() => committed.All(ip => Bans(AfterLastStart(d.Dummy())).Contains(ip)), "every committed ban re-applied", 60);
        Assert.Equal(["ok"], Query(db, "PRAGMA integrity_check"));
        var (_, banned) = await d.ClientAsync("get", "sshd", "banned", committed[0]);
        Assert.Equal("1", banned);
    }

    private static HashSet<string> Bans(string dummy) =>
        dummy.Split('\n').Where(l => l.StartsWith('+')).Select(l => l[1..]).ToHashSet(StringComparer.Ordinal);

    private static string AfterLastStart(string dummy) =>
        dummy[(dummy.LastIndexOf("start sshd", StringComparison.Ordinal) is var i and >= 0 ? i : 0)..];

    private static List<string> Query(string db, string sql) => DatabaseDaemonTests.Query(db, sql);
}

using SharpBan.Engine.Config;
using SharpBan.Engine.Config.Resolution;
using SharpBan.Server;
using SharpBan.Tests.Network;

namespace SharpBan.Tests.Server;

/// <summary>
/// A jail with backend auto none of whose log files exists reads the systemd journal when the host keeps one (a
/// Debian 12 without rsyslog has no /var/log/auth.log), as <see cref="JournalFallback"/> decides.
/// </summary>
[Collection(SystemJournalCollection.Name)]
public sealed class JournalFallbackTests
{
    private static ConfigResolution Resolution(string backend, string awaited, bool journalMatch = true)
    {
        List<IReadOnlyList<object?>> stream = [["add", "sshd", backend], ["set", "sshd", "maxretry", 3]];
        if (journalMatch)
        {
            stream.Add(["set", "sshd", "addjournalmatch", "_SYSTEMD_UNIT=ssh.service", "+", "_COMM=sshd"]);
        }

        stream.Add(["start", "sshd"]);
        return new ConfigResolution(stream, null, [], ["sshd"])
        {
            AwaitedLogs = new Dictionary<string, IReadOnlyList<(string Path, string Tail)>>(StringComparer.Ordinal) { ["sshd"] = [(awaited, "head")] },
        };
    }

    [Fact]
    public void Apply_AutoJailWithoutItsFileAndAJournal_ReadsTheJournal()
    {
        var result = JournalFallback.Apply(Resolution("auto", "/var/log/auth.log"), systemJournal: true, out var switched);

        Assert.Equal(["sshd"], switched);
        Assert.Equal(["add", "sshd", "systemd"], result.Stream[0]);
        Assert.Empty(result.AwaitedLogs);
        Assert.Equal(4, result.Stream.Count);
    }

    [Theory]
    [InlineData("auto", "/var/log/auth.log", true, false)] // no journal on this host: wait for the file
    [InlineData("polling", "/var/log/auth.log", true, true)] // chosen explicitly
    [InlineData("pyinotify", "/var/log/auth.log", true, true)]
    [InlineData("auto", "/var/log/nginx/*error.log", true, true)] // a pattern waits for its files
    [InlineData("auto", "/var/log/auth.log", false, true)] // the filter has no journalmatch
    public void Apply_OtherCases_Unchanged(string backend, string awaited, bool journalMatch, bool journal)
    {
        var resolution = Resolution(backend, awaited, journalMatch);

        var result = JournalFallback.Apply(resolution, journal, out var switched);

        Assert.Empty(switched);
        Assert.Same(resolution, result);
    }

    /// <summary>
    /// The shipped sshd jail (backend auto) on a host without /var/log/auth.log that keeps a journal (a journal file of
    /// this machine): it runs as a journal jail with the filter's matches, and says so in its log. (Reading entries
    /// from the journal is covered by <see cref="JournalBackendTests"/>; journalctl does not follow the host's journal
    /// in this test container, where journald does not run.)
    /// </summary>
    [RootFact]
    public async Task Server_ShippedSshdJailWithoutAuthLog_FollowsTheSystemJournal()
    {
        var machine = File.ReadAllText("/etc/machine-id").Trim();
        var dir = Path.Join("/var/log/journal", machine);
        var created = !Directory.Exists(dir);
        Directory.CreateDirectory(dir);
        var file = Path.Join(dir, $"sharpban-test-{Guid.NewGuid():N}.journal");
        try
        {
            JournalFile.Append(file, JournalFile.Sshd("Server listening on 0.0.0.0 port 22."));
            await using var d = await TestDaemon.StartAsync("""
                [sshd]
                enabled = true
                logpath = $DIR/no-such-auth.log
                action = dummy[target="$DIR/dummy.out"]
                """);

            var (_, status) = await d.ClientAsync("status", "sshd");
            Assert.Contains("Journal matches:\t_SYSTEMD_UNIT=ssh.service + _COMM=sshd", status, StringComparison.Ordinal);
            await TestDaemon.WaitUntilAsync(() => d.Log().Contains("[sshd] None of its log files exists: reading the systemd journal instead", StringComparison.Ordinal), "the switch is logged");
            Assert.DoesNotContain("Waiting for log file", d.Log(), StringComparison.Ordinal);
            await d.StopServerAsync();
        }
        finally
        {
            File.Delete(file);
            if (created)
            {
                Directory.Delete(dir);
            }
        }
    }
}

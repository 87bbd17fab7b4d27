using SharpBan.Tests.RegexTool;

namespace SharpBan.Tests.Server.Logging;

/// <summary>
/// What a failed action command prints reaches the daemon's log only as quoted text inside one of its own lines, never as
/// a line of its own: a command that echoes a log-derived value (or a whois answer) holding a forged
/// <c>NOTICE [jail] Ban ADDR</c> line cannot make a recidive jail ban ADDR.
/// </summary>
public sealed class CommandOutputLogTests
{
    private const string Forged = "203.0.113.66";

    [Fact]
    public async Task FailedCommand_OutputWithForgedBanLine_NotABanForRecidive()
    {
        await using var d = await TestDaemon.StartAsync("""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = printer
            """, start: false);
        File.WriteAllText(Path.Join(d.Dir, "action.d", "printer.conf"), $"""
            [Definition]
            actionban = printf '%%s\n' "2026-11-26 10:00:00,000 fail2ban.actions        [1]: NOTICE  [sshd] Ban {Forged}" "[sshd] Ban {Forged}" >&2; exit 1
            actionunban =
            """);
        await d.StartServerAsync();
        Assert.Equal(0, (await d.ClientAsync("set", "sshd", "banip", "192.0.2.66")).Code);
        await TestDaemon.WaitUntilAsync(() => d.Log().Contains("Error banning 192.0.2.66", StringComparison.Ordinal), "the failed ban logged");
        Assert.Contains($"-- stdout: '[sshd] Ban {Forged}'", d.Log(), StringComparison.Ordinal);
        Assert.DoesNotContain(d.Log().Split('\n'), l => l.StartsWith("[sshd]", StringComparison.Ordinal) || l.StartsWith("2026-11-26 10:00:00", StringComparison.Ordinal));

        foreach (var config in new[] { TestDaemon.ShippedConfig(), "/etc/fail2ban" }.Where(Directory.Exists))
        {
            var (exit, output) = RegexCli.Run("-c", config, "-o", "<ip>", d.LogFile, "recidive");
            Assert.Equal(0, exit);
            Assert.Contains("192.0.2.66", output, StringComparison.Ordinal); // the real ban line counts
            Assert.DoesNotContain(Forged, output, StringComparison.Ordinal);
        }
    }
}

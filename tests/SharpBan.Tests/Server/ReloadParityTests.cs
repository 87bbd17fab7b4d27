using SharpBan.Tests.Client;

namespace SharpBan.Tests.Server;

/// <summary>
/// The same reload scenario run against the real fail2ban 1.0.2 and <c>sharpban server</c> (both from a copy of Debian's
/// <c>/etc/fail2ban</c>, recorder actions writing one line per command): after every step, each action must have run
/// the same commands in the same order. Actions of different jails run independently, so only each action's own
/// sequence is compared.
/// </summary>
public sealed class ReloadParityTests
{
    private const string JailLocal = """
        [DEFAULT]
        backend = polling
        ignoreself = false

        [sshd]
        enabled = true
        logpath = $DIR/auth.log
        action = rec[target="$DIR/dummy.out", name=a]
                 recplain[target="$DIR/dummy.out", name=b]

        [nginx-http-auth]
        enabled = true
        logpath = $DIR/web.log
        action = rec[target="$DIR/dummy.out", name=w]
        """;

    /// <summary>The same with another <c>maxretry</c> for sshd.</summary>
    private static readonly string MaxRetryChanged = JailLocal.Replace("logpath = $DIR/auth.log\n", "logpath = $DIR/auth.log\nmaxretry = 7\n", StringComparison.Ordinal);

    /// <summary>sshd without action b, nginx-http-auth disabled.</summary>
    private const string ActionAndJailRemoved = """
        [DEFAULT]
        backend = polling
        ignoreself = false

        [sshd]
        enabled = true
        logpath = $DIR/auth.log
        action = rec[target="$DIR/dummy.out", name=a]

        [nginx-http-auth]
        enabled = false
        """;

    /// <summary>Each step: the client commands, or a new jail.local (<c>=</c> prefix).</summary>
    private static readonly string[][] Steps =
    [
        ["set", "sshd", "banip", "192.0.2.1"],
        ["set", "nginx-http-auth", "banip", "192.0.2.9"],
        ["reload", "sshd"],
        ["reload"],
        ["=" + MaxRetryChanged],
        ["reload", "sshd"],
        ["get", "sshd", "maxretry"],
        ["reload", "--unban", "sshd"],
        ["set", "sshd", "banip", "192.0.2.3"],
        ["restart", "sshd"],
        ["reload", "--restart", "--all"],
        ["=" + ActionAndJailRemoved],
        ["reload"],
        ["status"],
        ["get", "sshd", "actions"],
        ["status", "sshd"],
    ];

    [Fact]
    public async Task Reload_ActionCommandsAndAnswers_AreThoseOfFail2ban()
    {
        if (!ReferenceServer.Available())
        {
            return; // outside CI without the reference
        }

        await using var sharpban = await TestDaemon.StartAsync(JailLocal, start: false, configSource: "/etc/fail2ban");
        AddActions(sharpban.Dir);
        File.WriteAllText(Path.Join(sharpban.Dir, "web.log"), "");
        await sharpban.StartServerAsync();
        await using var fail2ban = await ReferenceServer.StartAsync(JailLocal, AddActions);

        var differences = new List<string>();
        var (seenRef, seenOurs) = (0, 0);
        Assert.Contains("maxretry = 7", MaxRetryChanged, StringComparison.Ordinal);
        foreach (var step in Steps)
        {
            string expected, actual;
            if (step[0].StartsWith('='))
            {
                File.WriteAllText(Path.Join(fail2ban.Dir, "jail.local"), step[0][1..].Replace("$DIR", fail2ban.Dir, StringComparison.Ordinal));
                File.WriteAllText(Path.Join(sharpban.Dir, "jail.local"), step[0][1..].Replace("$DIR", sharpban.Dir, StringComparison.Ordinal));
                continue;
            }

            var (refCode, refOutput) = await fail2ban.ClientAsync([.. step]);
            var (code, output, _) = await sharpban.ClientSplitAsync([.. step]);
            expected = $"{refCode}: {refOutput.Replace(fail2ban.Dir, "$DIR", StringComparison.Ordinal).TrimEnd('\n')}";
            actual = $"{code}: {output.Replace(sharpban.Dir, "$DIR", StringComparison.Ordinal).TrimEnd('\n')}";
            var refLines = await ReferenceServer.SettledLinesAsync(Path.Join(fail2ban.Dir, "dummy.out"));
            var lines = await ReferenceServer.SettledLinesAsync(Path.Join(sharpban.Dir, "dummy.out"));
            foreach (var name in new[] { "a", "b", "w" })
            {
                var refRan = string.Join(", ", refLines.Skip(seenRef).Where(l => l.EndsWith(" " + name, StringComparison.Ordinal)));
                var ran = string.Join(", ", lines.Skip(seenOurs).Where(l => l.EndsWith(" " + name, StringComparison.Ordinal)));
                if (refRan != ran)
                {
                    differences.Add($"{string.Join(' ', step)}, action {name}\n  fail2ban: {refRan}\n  sharpban: {ran}");
                }
            }

            (seenRef, seenOurs) = (refLines.Count, lines.Count);
            if (expected != actual)
            {
                differences.Add($"{string.Join(' ', step)}\n  fail2ban: {expected}\n  sharpban: {actual}");
            }
        }

        Assert.True(differences.Count == 0, $"{differences.Count} differences:\n" + string.Join('\n', differences));
    }

    private static void AddActions(string dir)
    {
        File.WriteAllText(Path.Join(dir, "action.d", "rec.conf"), ReloadTests.Recorder);
        File.WriteAllText(Path.Join(dir, "action.d", "recplain.conf"), ReloadTests.PlainRecorder);
    }
}

using SharpBan.Tests.Client;
using SharpBan.Tests.Server;
using SharpBan.Tests.Support;

namespace SharpBan.Tests.Actions;

/// <summary>
/// The same jail with <c>action = smtp.py[…]</c> under fail2ban 1.0.2 (which runs its Python file) and under SharpBan
/// (built in), each delivering to its own real SMTP server: the mails go to the same envelope recipients from the same
/// sender, with the same From, To and Subject, in the same order (start, ban, stop). The texts are SharpBan's own.
/// </summary>
public class SmtpActionParityTests
{
    private const string Banned = "203.0.113.7";

    [Fact]
    public async Task StartBanStop_SameEnvelopesAndHeadersAsFail2ban()
    {
        if (!ReferenceServer.Available())
        {
            return; // outside CI without the reference; .ci/run installs it and sets SHARPBAN_REQUIRE_ORACLE=1
        }

        var expected = await RunAsync(async (jail, sink) =>
        {
            await using var server = await ReferenceServer.StartAsync(jail);
            return await BanAndStopAsync(sink, words => server.ClientAsync(words));
        });
        var actual = await RunAsync(async (jail, sink) =>
        {
            await using var daemon = await TestDaemon.StartAsync(jail, configSource: "/etc/fail2ban");
            return await BanAndStopAsync(sink, words => daemon.ClientAsync(words));
        });

        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, actual);
    }

    private static async Task<List<string>> RunAsync(Func<string, SmtpSink, Task<List<string>>> run)
    {
        await using var sink = await SmtpSink.StartAsync();
        var jail = $"""
            [sshd]
            enabled = true
            backend = polling
            logpath = $DIR/auth.log
            action = smtp.py[host="{sink.Address}", dest="admin@example.org, ops@example.org", sender="guard@example.org", sendername="Guard Dog", matches=ipmatches]
            """;
        return await run(jail, sink);
    }

    /// <summary>Starts (already done by the caller), bans by command, stops; what each mail looked like from outside.</summary>
    private static async Task<List<string>> BanAndStopAsync(SmtpSink sink, Func<string[], Task<(int Code, string Output)>> client)
    {
        await sink.WaitForAsync("started on");
        Assert.Equal(0, (await client(["set", "sshd", "banip", Banned])).Code);
        await sink.WaitForAsync("banned " + Banned);
        Assert.Equal(0, (await client(["stop"])).Code);
        await sink.WaitForAsync("stopped on");
        return [.. sink.Messages().Select(static m =>
        {
            var message = m.Message;
            return $"envelope {m.MailFrom} -> {string.Join(" ", m.Recipients)}; From {string.Join(" ", message.From.Mailboxes.Select(static b => $"'{b.Name}' <{b.Address}>"))}; "
                + $"To {string.Join(" ", message.To.Mailboxes.Select(static b => b.Address))}; Subject {message.Subject}; body mentions address: {(message.TextBody ?? "").Contains(Banned, StringComparison.Ordinal) || !(message.Subject ?? "").Contains("banned", StringComparison.Ordinal)}";
        })];
    }
}

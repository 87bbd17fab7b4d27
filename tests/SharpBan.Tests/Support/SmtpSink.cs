using System.Text.Json.Nodes;

namespace SharpBan.Tests.Support;

/// <summary>One message as the SMTP server received it: envelope, login (if any) and the raw message text.</summary>
internal sealed record SmtpRecord(string MailFrom, IReadOnlyList<string> Recipients, string? Login, string Data)
{
    /// <summary>The message as a mail reader sees it (headers and body decoded).</summary>
    public MimeKit.MimeMessage Message => MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Data.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal))));

    public string Subject => Message.Subject ?? "";

    /// <summary>One line of a sink's record file: <c>{"from", "to", "login", "data"}</c>.</summary>
    public static SmtpRecord FromJson(JsonNode n) => new(
        n["from"]!.GetValue<string>(),
        [.. n["to"]!.AsArray().Select(static r => r!.GetValue<string>())],
        n["login"]?.GetValue<string>(),
        n["data"]!.GetValue<string>());
}

/// <summary>
/// A real SMTP server on 127.0.0.1 for the mail actions: Python's <c>smtpd</c> (an implementation independent of the
/// client under test), which records every message it accepts, and offers <c>AUTH PLAIN</c> to record a login. Only
/// loopback; its process is killed by pid on dispose.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private const string Script = """
        import asyncore, base64, json, smtpd, sys, warnings
        warnings.simplefilter("ignore")
        out, portfile = sys.argv[1], sys.argv[2]

        class Channel(smtpd.SMTPChannel):
            def push(self, msg):
                if msg == "250 HELP" and self.extended_smtp:
                    super().push("250-AUTH PLAIN")
                super().push(msg)

            def smtp_AUTH(self, arg):
                words = (arg or "").split()
                if len(words) != 2 or words[0].upper() != "PLAIN":
                    self.push("504 5.5.4 only AUTH PLAIN with an initial response")
                    return
                _, user, password = base64.b64decode(words[1]).decode().split("\0")
                self.smtp_server.login = user + ":" + password
                self.push("235 2.7.0 Authentication successful")

        class Sink(smtpd.SMTPServer):
            channel_class = Channel
            login = None

            def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
                with open(out, "a") as f:
                    f.write(json.dumps({"from": mailfrom, "to": rcpttos, "login": self.login, "data": data.decode("utf-8", "replace")}) + "\n")
                self.login = None

        server = Sink(("127.0.0.1", 0), None, decode_data=False)
        with open(portfile + ".tmp", "w") as f:
            f.write(str(server.socket.getsockname()[1]))
        import os
        os.rename(portfile + ".tmp", portfile)
        asyncore.loop()
        """;

    private readonly HelperServer _server;

    private SmtpSink(HelperServer server) => _server = server;

    public int Port => _server.Port;

    /// <summary><c>host:port</c> as smtp.py's <c>host</c> option takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<SmtpSink> StartAsync() =>
        new(await HelperServer.StartPythonAsync("smtp", Script, static dir => [Path.Join(dir, "messages"), Path.Join(dir, "port")]));

    /// <summary>Every message received so far, in order.</summary>
    public List<SmtpRecord> Messages()
    {
        var path = Path.Join(_server.Dir, "messages");
        if (!File.Exists(path))
        {
            return [];
        }

        return [.. File.ReadAllLines(path).Where(static l => l.Length > 0).Select(static l => SmtpRecord.FromJson(JsonNode.Parse(l)!))];
    }

    /// <summary>The first message whose subject contains <paramref name="subject"/>, once it has arrived.</summary>
    public async Task<SmtpRecord> WaitForAsync(string subject, double seconds = 30)
    {
        SmtpRecord? found = null;
        await Server.TestDaemon.WaitUntilAsync(
            () => (found = Messages().FirstOrDefault(m => m.Subject.Contains(subject, StringComparison.Ordinal))) is not null,
            $"a mail with the subject '{subject}' (received: {string.Join(" | ", Messages().Select(static m => m.Subject))})", seconds);
        return found!;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

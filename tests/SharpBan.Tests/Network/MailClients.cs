namespace SharpBan.Tests.Network;

/// <summary>
/// Real IMAP, POP3 and SMTP clients (python3's sockets, speaking the protocols by hand so that any user name can be
/// sent: quoted IMAP strings, POP3 <c>USER</c>, base64 SASL), run from a namespace. One call is one connection doing one
/// thing: a login, a garbage SASL exchange, a hang-up in the middle of AUTHENTICATE, a run of unknown commands, a
/// connection that never speaks.
/// </summary>
internal static class MailClients
{
    private const string Script = """
        import base64, os, socket, sys
        scenario, host = sys.argv[1], sys.argv[2]
        args = [os.fsencode(a) for a in sys.argv[3:]]

        def converse(port, commands, done):
            s = socket.create_connection((host, port), timeout=60)
            f = s.makefile('rb')
            f.readline()
            try:
                for c in commands:
                    if c is None:
                        break  # hang up here
                    s.sendall(c + b'\r\n')
                    while True:
                        r = f.readline()
                        if not r or done(r):
                            break
                    if not r:
                        break
            except OSError:
                pass  # the server hung up first (too many bad commands)
            s.close()

        def imap(commands):
            converse(143, commands, lambda r: not r.startswith(b'*'))

        def smtp(commands):
            converse(25, commands, lambda r: r[3:4] != b'-')

        def pop3(commands):
            converse(110, commands, lambda r: True)

        def quoted(b):
            return b'"' + b.replace(b'\\', b'\\\\').replace(b'"', b'\\"') + b'"'

        def plain(user, password):
            return base64.b64encode(b'\0' + user + b'\0' + password)

        if scenario == 'imap-login':
            imap([b'a LOGIN ' + quoted(args[0]) + b' ' + quoted(args[1]), b'b LOGOUT'])
        elif scenario == 'imap-plain':
            imap([b'a AUTHENTICATE PLAIN ' + plain(args[0], args[1]), b'b LOGOUT'])
        elif scenario == 'imap-garbage':
            imap([b'a AUTHENTICATE PLAIN', b'!!!not base64!!!', b'b LOGOUT'])
        elif scenario == 'imap-hangup':
            imap([b'a AUTHENTICATE PLAIN', None])
        elif scenario == 'imap-bad-commands':
            imap([b'x BOGUS'] * 12 + [b'b LOGOUT'])
        elif scenario == 'imap-silent':
            imap([None])
        elif scenario == 'pop3-login':
            pop3([b'USER ' + args[0], b'PASS ' + args[1], b'QUIT'])
        elif scenario == 'smtp-plain':
            smtp([b'EHLO client.example.test', b'AUTH PLAIN ' + plain(args[0], args[1]), b'QUIT'])
        elif scenario == 'smtp-login':
            smtp([b'EHLO client.example.test', b'AUTH LOGIN', base64.b64encode(args[0]), base64.b64encode(args[1]), b'QUIT'])
        elif scenario == 'smtp-garbage':
            smtp([b'EHLO client.example.test', b'AUTH PLAIN !!!not base64!!!', b'QUIT'])
        elif scenario == 'smtp-hangup':
            smtp([b'EHLO client.example.test', b'AUTH LOGIN', None])
        elif scenario == 'smtp-relay':
            smtp([b'EHLO client.example.test', b'MAIL FROM:<a@example.org>', b'RCPT TO:<victim@example.net>',
                  b'RCPT TO:<nosuch@example.test>', b'QUIT'])
        elif scenario == 'smtp-bad-commands':
            smtp([b'BOGUS'] * 12 + [b'QUIT'])
        else:
            sys.exit('unknown scenario ' + scenario)
        """;

    /// <summary>Runs one client from <paramref name="ns"/> against <paramref name="server"/>; throws if python fails.</summary>
    public static void Run(string ns, string server, string scenario, params string[] args) => PythonClient.Run(Script, ns, server, scenario, args);

    /// <summary>Runs clients at once (Dovecot's auth penalty would delay one after another by up to 15 s each).</summary>
    public static Task RunAllAsync(string ns, string server, IEnumerable<string[]> clients) => PythonClient.RunAllAsync(Script, ns, server, clients);
}

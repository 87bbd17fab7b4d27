using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SharpBan.Tests.Support;

/// <summary>
/// An SMTP server on 127.0.0.1 that speaks TLS, for the SMTP action's <c>tls</c> option: STARTTLS (offered until used)
/// or TLS from the first byte, with a certificate for 127.0.0.1 issued by a test CA made for the occasion
/// (<see cref="CaFile"/>: a client trusts it through <c>SSL_CERT_FILE</c>). A small Python server (its <c>ssl</c>
/// module, independent of the client under test) that records each message and whether it came over TLS. Only
/// loopback; its process is killed by pid on dispose.
/// </summary>
internal sealed class TlsSmtpSink : IAsyncDisposable
{
    private const string Script = """
        import base64, json, os, socketserver, ssl, sys
        out, portfile, mode, cert, key = sys.argv[1:6]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                sock = self.request
                tls = mode == "ssl"
                if tls:
                    sock = context.wrap_socket(sock, server_side=True)
                stream = sock.makefile("rwb")
                def send(line):
                    stream.write((line + "\r\n").encode())
                    stream.flush()
                send("220 sink ESMTP")
                sender, recipients, login = None, [], None
                while True:
                    raw = stream.readline()
                    if not raw:
                        return
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    verb = line.split(" ")[0].upper()
                    if verb in ("EHLO", "HELO"):
                        offers = ["AUTH PLAIN", "8BITMIME"] + ([] if tls else ["STARTTLS"])
                        for i, offer in enumerate(["sink"] + offers):
                            send(("250 " if i == len(offers) else "250-") + offer)
                    elif verb == "STARTTLS" and not tls:
                        send("220 2.0.0 ready to start TLS")
                        sock = context.wrap_socket(sock, server_side=True)
                        stream = sock.makefile("rwb")
                        tls = True
                    elif verb == "AUTH":
                        _, user, password = base64.b64decode(line.split(" ")[2]).decode().split("\0")
                        login = user + ":" + password
                        send("235 2.7.0 Authentication successful")
                    elif verb == "MAIL":
                        sender = line[line.index("<") + 1:line.index(">")]
                        send("250 2.1.0 ok")
                    elif verb == "RCPT":
                        recipients.append(line[line.index("<") + 1:line.index(">")])
                        send("250 2.1.5 ok")
                    elif verb == "DATA":
                        send("354 go ahead")
                        data = []
                        while True:
                            part = stream.readline().decode("utf-8", "replace")
                            if part in (".\r\n", ".\n", ""):
                                break
                            data.append(part[1:] if part.startswith("..") else part)
                        with open(out, "a") as f:
                            f.write(json.dumps({"from": sender, "to": recipients, "login": login, "tls": tls, "data": "".join(data)}) + "\n")
                        sender, recipients = None, []
                        send("250 2.0.0 accepted")
                    elif verb == "QUIT":
                        send("221 2.0.0 bye")
                        return
                    else:
                        send("250 2.0.0 ok")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        server = Server(("127.0.0.1", 0), Handler)
        with open(portfile + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(portfile + ".tmp", portfile)
        server.serve_forever()
        """;

    private readonly HelperServer _server;

    private TlsSmtpSink(HelperServer server) => _server = server;

    public int Port => _server.Port;

    /// <summary><c>host:port</c> as smtp.py's <c>host</c> option takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The test CA's certificate (PEM): the only root a client given it as <c>SSL_CERT_FILE</c> trusts.</summary>
    public string CaFile => Path.Join(_server.Dir, "ca.pem");

    /// <param name="mode"><c>starttls</c> or <c>ssl</c>.</param>
    public static async Task<TlsSmtpSink> StartAsync(string mode) =>
        new(await HelperServer.StartPythonAsync(
            "tls-smtp",
            Script,
            dir => [Path.Join(dir, "messages"), Path.Join(dir, "port"), mode, Path.Join(dir, "server.pem"), Path.Join(dir, "server.key")],
            MakeCertificates));

    /// <summary>Every message received so far: sender, recipients, login, whether over TLS, and the raw message.</summary>
    public List<(SmtpRecord Record, bool Tls)> Messages()
    {
        var path = Path.Join(_server.Dir, "messages");
        if (!File.Exists(path))
        {
            return [];
        }

        return [.. File.ReadAllLines(path).Where(static l => l.Length > 0).Select(static l => JsonNode.Parse(l)!)
            .Select(static n => (SmtpRecord.FromJson(n), n["tls"]!.GetValue<bool>()))];
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A CA, and a certificate for 127.0.0.1 and localhost it issued (openssl, keys of the test alone).</summary>
    private static void MakeCertificates(string dir)
    {
        File.WriteAllText(Path.Join(dir, "server.ext"), "subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n");
        Run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=SharpBan test CA", "-keyout", "ca.key", "-out", "ca.pem",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Run(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr");
        Run(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", "server.pem",
            "-extfile", "server.ext");
    }

    private static void Run(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("openssl") { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)}: {stderr.Result}");
        }
    }
}

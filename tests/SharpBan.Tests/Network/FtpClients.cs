namespace SharpBan.Tests.Network;

/// <summary>
/// Real FTP clients (python3's ftplib, any user name it will send: quotes, brackets, <c>$(…)</c>; not CR or LF), run
/// from a namespace. One call is one connection: a login with one or more passwords in turn (stops at the first that
/// works or when the server hangs up), a <c>USER</c> without a password, or a login followed by commands whose
/// arguments the server logs (a <c>RETR</c> of a missing file, a second <c>USER</c>).
/// </summary>
internal static class FtpClients
{
    private const string Script = """
        import ftplib, sys
        scenario, host = sys.argv[1], sys.argv[2]
        args = sys.argv[3:]
        ftp = ftplib.FTP(host, timeout=30)

        def expect_refusal(send, command):
            try:
                send(command)
            except ftplib.error_perm:
                return
            sys.exit('accepted: ' + command)

        if scenario == 'login':
            user, passwords = args[0], args[1:]
            for password in passwords:
                try:
                    ftp.login(user, password)
                    break
                except ftplib.error_perm:
                    continue
                except (EOFError, OSError):
                    sys.exit(0)  # the server hung up (max_login_fails)
        elif scenario == 'user-only':
            ftp.sendcmd('USER ' + args[0])
        elif scenario == 'commands':
            ftp.login(args[0], args[1])
            for argument in args[2:]:
                expect_refusal(lambda c: ftp.retrbinary(c, lambda block: None), 'RETR ' + argument)  # a missing file
                expect_refusal(ftp.sendcmd, 'USER ' + argument)  # "Can't change to another user."
        else:
            sys.exit('unknown scenario ' + scenario)
        try:
            ftp.quit()
        except (EOFError, OSError, ftplib.Error):
            ftp.close()
        """;

    /// <summary>Runs one client from <paramref name="ns"/> against <paramref name="server"/>; throws if python fails.</summary>
    public static void Run(string ns, string server, string scenario, params string[] args) => PythonClient.Run(Script, ns, server, scenario, args);

    /// <summary>Runs clients at once (PAM delays each failed password by about 2 s).</summary>
    public static Task RunAllAsync(string ns, string server, IEnumerable<string[]> clients) => PythonClient.RunAllAsync(Script, ns, server, clients);
}

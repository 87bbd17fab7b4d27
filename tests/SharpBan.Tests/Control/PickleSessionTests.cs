using SharpBan.Tests.Server;

namespace SharpBan.Tests.ControlPickle;

/// <summary>
/// A real <c>sharpban server</c> spoken to in fail2ban's socket protocol by Python's own <c>pickle</c> (what
/// fail2ban-client's <c>CSocket</c> does), including requests crafted to run code.
/// </summary>
public class PickleSessionTests
{
    private const string Jail = TestDaemon.PollingJail;

    /// <summary>Sends each request (a Python expression giving the bytes before the end marker) on one connection and prints the repr of each answer.</summary>
    private const string Client = """
        import pickle, socket, sys
        END = b"<F2B_END_COMMAND>"
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sys.argv[1])
        for line in sys.stdin.read().splitlines():
            s.sendall(eval(line) + END)
            data = b""
            while not data.endswith(END):
                chunk = s.recv(4096)
                if not chunk:
                    raise SystemExit("connection closed")
                data += chunk
            print(repr(pickle.loads(data[:-len(END)])))
        s.sendall(b"<F2B_CLOSE_COMMAND>" + END)
        s.close()
        """;

    [Fact]
    public async Task Socket_PickledRequests_AnsweredAsFail2banAnswersThemOnOneConnection()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        var answers = Run(d, """
            pickle.dumps(["ping"], 5)
            pickle.dumps(["set", "sshd", "banip", "192.0.2.7"], 2)
            pickle.dumps(["status", "sshd"], 0)
            pickle.dumps(["get", "sshd", "datepattern"], 4)
            pickle.dumps(["status", "nosuch"], 5)
            pickle.dumps(["echo", "a", 1, 2.5, True, None, ["x"]], 5)
            pickle.dumps(["get", "sshd"], 5)
            """);

        Assert.Equal(
            [
                "(0, 'pong')",
                "(0, 1)",
                "(0, [('Filter', [('Currently failed', 0), ('Total failed', 0), ('File list', ['" + d.AuthLog + "'])]), "
                    + "('Actions', [('Currently banned', 1), ('Total banned', 1), ('Banned IP list', ['192.0.2.7'])])])",
                "(0, (None, 'Default Detectors'))",
                "(1, UnknownJailException('nosuch'))",
                "(0, ['a', 1, 2.5, True, None, ['x']])",
                "(1, IndexError('list index out of range'))",
            ],
            answers);
    }

    /// <summary>
    /// Requests that would import and call (<c>os.system</c> through GLOBAL + REDUCE, protocol 4's STACK_GLOBAL, BUILD)
    /// are refused with an error answer, nothing runs, and the connection and the daemon go on.
    /// </summary>
    [Fact]
    public async Task Socket_PickleThatWouldRunCode_RefusedAndNothingRuns()
    {
        await using var d = await TestDaemon.StartAsync(Jail);
        var marker = Path.Join(d.Dir, "owned");
        var answers = Run(d, $$"""
            b"cos\nsystem\n(S'touch {{marker}}'\ntR."
            b"\x80\x04\x8c\x02os\x94\x8c\x06system\x94\x93\x94\x8c\x{{(6 + marker.Length):x2}}touch {{marker}}\x94\x85\x94R\x94."
            pickle.dumps(["ping"], 5)
            b"\x80\x02}q\x00}q\x01b."
            b"not a pickle at all"
            pickle.dumps(["ping"], 2)
            """);

        Assert.Equal(6, answers.Count);
        Assert.StartsWith("'ERROR: ", answers[0], StringComparison.Ordinal);
        Assert.Contains("GLOBAL", answers[0], StringComparison.Ordinal);
        Assert.StartsWith("'ERROR: ", answers[1], StringComparison.Ordinal);
        Assert.Contains("STACK_GLOBAL", answers[1], StringComparison.Ordinal);
        Assert.Equal("(0, 'pong')", answers[2]);
        Assert.StartsWith("'ERROR: ", answers[3], StringComparison.Ordinal);
        Assert.StartsWith("'ERROR: ", answers[4], StringComparison.Ordinal);
        Assert.Equal("(0, 'pong')", answers[5]);
        await Task.Delay(300);
        Assert.False(File.Exists(marker), "a pickled request ran a command");
        Assert.Equal(0, (await d.ClientAsync("ping")).Code); // the JSON protocol on the same socket is unaffected
    }

    private static List<string> Run(TestDaemon d, string requests)
    {
        var script = Client.Replace("sys.argv[1]", "'" + d.Socket + "'", StringComparison.Ordinal);
        return [.. Python3.Run(script, requests).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}

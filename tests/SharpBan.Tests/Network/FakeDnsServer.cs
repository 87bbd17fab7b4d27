using System.Diagnostics;
using System.Text.Json;

namespace SharpBan.Tests.Network;

/// <summary>
/// A DNS server on 127.0.0.1:53 inside a namespace of a <see cref="NetworkLab"/>, made the namespace's only resolver
/// (<c>/etc/netns/NS/resolv.conf</c>, which <c>ip netns exec</c> mounts over <c>/etc/resolv.conf</c>; deleted on
/// dispose). It answers from a table: a name gets TXT records (each a string or a list of strings), or
/// <c>"nxdomain"</c>, <c>"servfail"</c>, <c>"noanswer"</c> (no record), <c>"timeout"</c> (no reply), or an address
/// record: <c>{"a": "192.0.2.1"}</c>, answered after <c>"delay"</c> seconds if given (no AAAA record); a name not in the
/// table is NXDOMAIN. Every question is recorded (<see cref="Questions"/>).
/// </summary>
internal sealed class FakeDnsServer : IDisposable
{
    private const string Script = """
        import json, socket, struct, sys, threading
        answers = json.load(open(sys.argv[1]))
        log = open(sys.argv[2], 'a')
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('127.0.0.1', 53))
        print('ready', flush=True)
        while True:
            data, peer = s.recvfrom(4096)
            qid, flags = struct.unpack('>HH', data[:4])
            i, labels = 12, []
            while data[i]:
                labels.append(data[i + 1:i + 1 + data[i]].decode('ascii'))
                i += 1 + data[i]
            qtype, = struct.unpack('>H', data[i + 1:i + 3])
            question = data[12:i + 5]
            name = '.'.join(labels).lower()
            log.write('%s %d\n' % (name, qtype))
            log.flush()
            answer = answers.get(name, 'nxdomain')
            if answer == 'timeout':
                continue
            rcode = {'nxdomain': 3, 'servfail': 2}.get(answer, 0) if isinstance(answer, str) else 0
            body = question
            if isinstance(answer, dict):
                if qtype == 1:
                    rdata = socket.inet_aton(answer['a'])
                    body += b'\xc0\x0c' + struct.pack('>HHIH', 1, 1, 60, len(rdata)) + rdata
                count = 1 if qtype == 1 else 0
            else:
                records = answer if isinstance(answer, list) and qtype == 16 else []
                for record in records:
                    strings = record if isinstance(record, list) else [record]
                    rdata = b''.join(bytes([len(x.encode())]) + x.encode() for x in strings)
                    body += b'\xc0\x0c' + struct.pack('>HHIH', 16, 1, 60, len(rdata)) + rdata
                count = len(records)
            header = struct.pack('>HHHHHH', qid, 0x8000 | (flags & 0x0100) | 0x0080 | rcode, 1, count, 0, 0)
            delay = answer.get('delay', 0) if isinstance(answer, dict) else 0
            threading.Timer(delay, s.sendto, (header + body, peer)).start()
        """;

    private readonly string _netnsDir;
    private readonly string _dir;

    /// <param name="resolverOptions">an <c>options</c> line for the namespace's resolv.conf (e.g. <c>timeout:20 attempts:1</c>)</param>
    public FakeDnsServer(NetworkLab lab, string ns, IReadOnlyDictionary<string, object> answers, string? resolverOptions = null)
    {
        _dir = Directory.CreateTempSubdirectory("sharpban-dns-").FullName;
        _netnsDir = Path.Join("/etc/netns", ns);
        Directory.CreateDirectory(_netnsDir);
        File.WriteAllText(Path.Join(_netnsDir, "resolv.conf"), "nameserver 127.0.0.1\n" + (resolverOptions is null ? "" : $"options {resolverOptions}\n"));
        var table = Path.Join(_dir, "answers.json");
        File.WriteAllText(table, JsonSerializer.Serialize(answers));
        QuestionLog = Path.Join(_dir, "questions");
        Process process = lab.StartIn(ns, "python3", "-c", Script, table, QuestionLog);
        var line = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        if (line != "ready")
        {
            throw new InvalidOperationException($"the DNS server did not start: {process.StandardError.ReadToEnd()}");
        }
    }

    private string QuestionLog { get; }

    /// <summary>The names asked for, in order (lower case, without the final dot).</summary>
    public IReadOnlyList<string> Questions =>
        File.Exists(QuestionLog) ? [.. File.ReadAllLines(QuestionLog).Select(static l => l.Split(' ')[0])] : [];

    public void Dispose()
    {
        Directory.Delete(_netnsDir, recursive: true);
        Directory.Delete(_dir, recursive: true);
    }
}

using System.Diagnostics;
using System.Text;
using SharpBan.Tests.Server;

namespace SharpBan.Tests.Client;

/// <summary>
/// Stateful differential test of the control grammar: a seeded sequence of commands (<see cref="CommandSequence"/>),
/// with failures written to the jails' logs in between, sent in the same order to the real fail2ban 1.0.2 and to
/// <c>sharpban server</c>, both started from a copy of Debian's <c>/etc/fail2ban</c> with the same <see cref="JailLocal"/>
/// (three polling jails on temporary files, dummy actions only, a database each). Every answer is compared: standard
/// output, exit code, and fail2ban-client's own error lines on standard error; after log lines or an <c>attempt</c> both
/// servers are polled until their status settles, and the status of every jail must then agree.
/// </summary>
/// <remarks>
/// Normalised, because it must differ (<see cref="SequenceAnswers"/>): the temporary directories (<c>$DIR</c>), the
/// wall-clock times of <c>get JAIL banip --with-time</c>, the order of single addresses in <c>ignoreip</c> lists (a Python
/// set in fail2ban, in another order on each run), the time stamps and pids of fail2ban-client's log lines on standard
/// error, and its <c>NOK: (args,)</c> line (the error itself is on standard output). Not compared: <c>status --all</c>
/// (a SharpBan extension; checked against fail2ban's <c>status JAIL</c> of every jail instead) and
/// <c>actionproperties</c>/<c>actionmethods</c> (Python internals). More seeds: <c>SHARPBAN_CLIENT_SEQUENCE_SEEDS=1-50</c>
/// runs <see cref="Sequences_SeedsFromEnvironment"/>.
/// </remarks>
public sealed class ClientSequenceParityTests
{
    internal const string JailLocal = """
        [DEFAULT]
        backend = polling
        ignoreself = false
        bantime = 1h
        findtime = 1h
        action = dummy[target="$DIR/dummy.out"]

        [sshd]
        enabled = true
        logpath = $DIR/auth.log
        maxretry = 3

        [alt]
        enabled = true
        filter = sshd
        logpath = $DIR/auth.log
                  $DIR/auth2.log
        maxretry = 5
        action = dummy[target="$DIR/alt.out"]
                 dummy[actname=dummy2, target="$DIR/alt2.out"]

        [nginx-http-auth]
        enabled = true
        logpath = $DIR/web.log
        """;

    private const int Steps = 70;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20261126)]
    public async Task Sequence_AnswersAreThoseOfFail2banClient(int seed)
    {
        if (!ReferenceServer.Available())
        {
            return; // outside CI without the reference; .ci/run installs it and sets SHARPBAN_REQUIRE_ORACLE=1
        }

        var differences = await RunAsync(seed, Steps);
        Assert.True(differences.Count == 0, string.Join("\n\n", differences));
    }

    /// <summary>
    /// Exploration: the seeds in <c>SHARPBAN_CLIENT_SEQUENCE_SEEDS</c> (<c>1-50</c>, <c>3,9</c>; nothing when unset), of
    /// <c>SHARPBAN_CLIENT_SEQUENCE_STEPS</c> steps; each seed's outcome is also appended to the file
    /// <c>SHARPBAN_CLIENT_SEQUENCE_REPORT</c> as it finishes.
    /// </summary>
    [Fact]
    public async Task Sequences_SeedsFromEnvironment()
    {
        var spec = Environment.GetEnvironmentVariable("SHARPBAN_CLIENT_SEQUENCE_SEEDS");
        if (string.IsNullOrEmpty(spec) || !ReferenceServer.Available())
        {
            return;
        }

        var steps = int.TryParse(Environment.GetEnvironmentVariable("SHARPBAN_CLIENT_SEQUENCE_STEPS"), out var s) ? s : Steps;
        var report = Environment.GetEnvironmentVariable("SHARPBAN_CLIENT_SEQUENCE_REPORT");
        var failures = new List<string>();
        foreach (var seed in ParseSeeds(spec))
        {
            var differences = await RunAsync(seed, steps);
            if (differences.Count > 0)
            {
                var listing = string.Join('\n', CommandSequence.Generate(seed, steps).Select((step, i) => $"  {i,3}: {step}"));
                failures.Add($"seed {seed}: {differences.Count} difference(s)\n" + string.Join("\n\n", differences) + $"\n\nseed {seed}, whole sequence:\n{listing}");
            }

            if (!string.IsNullOrEmpty(report))
            {
                File.AppendAllText(report, differences.Count == 0 ? $"seed {seed}: same\n" : failures[^1] + "\n\n");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n========\n\n", failures));
    }

    private static IEnumerable<int> ParseSeeds(string spec)
    {
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            var (from, to) = range.Length == 2 ? (int.Parse(range[0]), int.Parse(range[1])) : (int.Parse(part), int.Parse(part));
            for (var seed = from; seed <= to; seed++)
            {
                yield return seed;
            }
        }
    }

    /// <summary>Runs the sequence of <paramref name="seed"/> against two fresh servers; the differences, each with the commands before it.</summary>
    private static async Task<List<string>> RunAsync(int seed, int steps)
    {
        var sequence = CommandSequence.Generate(seed, steps);
        await using var sharpban = await TestDaemon.StartAsync(JailLocal, start: false, configSource: "/etc/fail2ban");
        CreateLogFiles(sharpban.Dir);
        await sharpban.StartServerAsync();
        await using var fail2ban = await ReferenceServer.StartAsync(JailLocal, CreateLogFiles);
        var pair = new SequenceAnswers(fail2ban, sharpban);

        var differences = new List<string>();
        for (var i = 0; i < sequence.Count; i++)
        {
            var difference = sequence[i] switch
            {
                SequenceStep.Command command => await pair.CompareAsync(command.Words),
                SequenceStep.Append append => pair.Append(append),
                SequenceStep.Settle => await pair.SettleAsync(),
                _ => throw new UnreachableException(),
            };
            if (difference is not null)
            {
                var context = string.Join('\n', sequence.Take(i).TakeLast(12).Select(s => "    " + s));
                differences.Add($"seed {seed}, step {i}: {sequence[i]}\n{difference}\n  after:\n{context}");
            }
        }

        return differences;
    }

    private static void CreateLogFiles(string dir)
    {
        foreach (var file in CommandSequence.LogFiles)
        {
            File.WriteAllText(Path.Join(dir, file), "");
        }
    }
}

/// <summary>
/// Sends the same command to fail2ban (through <c>fail2ban-client</c>) and to <c>sharpban server</c> (through
/// <c>sharpban client</c>'s code), and compares the answers after the normalisations listed on
/// <see cref="ClientSequenceParityTests"/>.
/// </summary>
internal sealed partial class SequenceAnswers(ReferenceServer fail2ban, TestDaemon sharpban)
{
    /// <summary>The difference between the two answers to <paramref name="words"/>, or null.</summary>
    public async Task<string?> CompareAsync(string[] words)
    {
        var reference = RunReferenceAsync(words);
        var ours = RunOursAsync(words);
        var (expected, actual) = (await reference, await ours);
        if (words is ["status", "--all", ..])
        {
            // a SharpBan extension (fail2ban 1.0.2: "Sorry but the jail '--all' does not exist"): the status of every jail
            expected = await StatusOfAllAsync(words.Length > 2 ? words[2] : null);
        }

        if (words is ["add", var jail, ..] && expected == "255: name 'noduplicates' is not defined")
        {
            // fail2ban 1.0.2's NameError for a jail that exists (docs/compatibility.md): the answer it means to give
            expected = $"255: The jail '{jail}' already exists";
        }

        if (words is ["get", _, "actionproperties" or "actionmethods", ..])
        {
            (expected, actual) = (FirstLine(expected), FirstLine(actual)); // Python internals (docs/compatibility.md)
        }

        return expected == actual ? null : $"  fail2ban: {Indent(expected)}\n  sharpban: {Indent(actual)}";
    }

    /// <summary>Appends the step's lines in one write to the file of each server.</summary>
    public string? Append(SequenceStep.Append step)
    {
        var now = DateTime.Now;
        var text = string.Concat(step.Lines.Select(l => SequenceStep.Render(l, now) + "\n"));
        foreach (var dir in new[] { fail2ban.Dir, sharpban.Dir })
        {
            File.AppendAllText(Path.Join(dir, step.File), text, Encoding.UTF8);
        }

        return null;
    }

    /// <summary>
    /// Polls the status of every jail of both servers until both are the same and did not change over one more round
    /// (fail2ban's jail threads look at their files at most 0.8 s apart and ban from a queue); a difference still there
    /// after 15 s is reported.
    /// </summary>
    public async Task<string?> SettleAsync()
    {
        var watch = Stopwatch.StartNew();
        string? previous = null;
        var differed = false;
        while (true)
        {
            var (reference, ours) = (SnapshotAsync(RunReferenceAsync), SnapshotAsync(RunOursAsync));
            var (expected, actual) = (await reference, await ours);
            var both = expected + "\n" + actual;

            // the same twice in a row, after a difference (one server was still at work) or after fail2ban's longest
            // poll pause (a change may still come)
            if (expected == actual && both == previous && (differed || watch.Elapsed > TimeSpan.FromSeconds(1.2)))
            {
                return null;
            }

            differed |= expected != actual;

            if (watch.Elapsed > TimeSpan.FromSeconds(15))
            {
                return expected == actual ? null : $"  status did not settle to the same state\n  fail2ban: {Indent(expected)}\n  sharpban: {Indent(actual)}";
            }

            previous = both;
            await Task.Delay(200);
        }
    }

    private static async Task<string> SnapshotAsync(Func<string[], Task<string>> run)
    {
        var list = await run(["status"]);
        var jails = list.Split('\n').FirstOrDefault(l => l.Contains("Jail list:", StringComparison.Ordinal))?.Split('\t').Last()
            .Split(", ", StringSplitOptions.RemoveEmptyEntries) ?? [];
        var statuses = await Task.WhenAll(jails.Select(jail => run(["status", jail])));
        return string.Join('\n', [list, .. statuses]);
    }

    /// <summary>fail2ban's answer to <c>status --all [FLAVOR]</c> had it one: <c>status JAIL [FLAVOR]</c> of each jail in its list.</summary>
    private async Task<string> StatusOfAllAsync(string? flavor)
    {
        var list = await RunReferenceAsync(["status"]);
        var jails = list.Split('\n').FirstOrDefault(l => l.Contains("Jail list:", StringComparison.Ordinal))?.Split('\t').Last()
            .Split(", ", StringSplitOptions.RemoveEmptyEntries) ?? [];
        var parts = new List<string>();
        foreach (var jail in jails)
        {
            var one = await RunReferenceAsync(flavor is null ? ["status", jail] : ["status", jail, flavor]);
            parts.Add(one[(one.IndexOf(' ', StringComparison.Ordinal) + 1)..]); // without the exit code
        }

        return "0: " + string.Join('\n', parts);
    }

    private async Task<string> RunReferenceAsync(string[] words)
    {
        var (code, output, error) = await fail2ban.ClientSplitAsync([.. words.Select(w => w.Replace("$DIR", fail2ban.Dir, StringComparison.Ordinal))]);
        return Normalise(code, output, ReferenceErrors(error), fail2ban.Dir, words);
    }

    private async Task<string> RunOursAsync(string[] words)
    {
        var (code, output, error) = await sharpban.ClientSplitAsync([.. words.Select(w => w.Replace("$DIR", sharpban.Dir, StringComparison.Ordinal))]);
        return Normalise(code, output, OurErrors(error), sharpban.Dir, words);
    }

    /// <summary>fail2ban-client's error log lines without time stamp, logger and pid, and without the <c>NOK</c> line.</summary>
    private static IEnumerable<string> ReferenceErrors(string error) =>
        error.Split('\n').Select(l => LogPrefix().Replace(l, "")).Where(l => l.StartsWith("ERROR", StringComparison.Ordinal) && !l.StartsWith("ERROR   NOK:", StringComparison.Ordinal));

    private static IEnumerable<string> OurErrors(string error) =>
        error.Split('\n').Where(l => l.StartsWith("ERROR", StringComparison.Ordinal) && !l.StartsWith("ERROR  NOK:", StringComparison.Ordinal));

    private static string Normalise(int code, string output, IEnumerable<string> errors, string dir, string[] words)
    {
        var text = output.Replace(dir, "$DIR", StringComparison.Ordinal).TrimEnd('\n');
        if (words is ["get", _, "banip", "--with-time", ..])
        {
            text = DateTimeText().Replace(text, "<time>");
        }

        if (words is ["get", _, "ignoreip"] or ["set", _, "addignoreip" or "delignoreip", ..])
        {
            text = SortSingleAddresses(text);
        }

        var stderr = string.Join('\n', errors.Select(e => e.Replace(dir, "$DIR", StringComparison.Ordinal)));
        return $"{code}: {text}" + (stderr.Length > 0 ? $"\n[stderr] {stderr}" : "");
    }

    /// <summary>
    /// An ignore list with its single addresses sorted: fail2ban lists networks and names first, in the order added, then
    /// single addresses from a Python set, whose order changes with the string hash seed of each run.
    /// </summary>
    private static string SortSingleAddresses(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length < 2 || !lines[0].StartsWith("These IP addresses", StringComparison.Ordinal))
        {
            return text;
        }

        var entries = lines.Skip(1).Select(l => l[3..]).ToList();
        var singles = entries.Where(e => !e.Contains('/', StringComparison.Ordinal) && System.Net.IPAddress.TryParse(e, out _)).ToList();
        var ordered = entries.Except(singles).Concat(singles.Order(StringComparer.Ordinal)).ToList();
        return lines[0] + "\n" + string.Join('\n', ordered.Select((e, i) => (i == ordered.Count - 1 ? "`- " : "|- ") + e));
    }

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static string Indent(string text) => text.Replace("\n", "\n            ", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")]
    private static partial System.Text.RegularExpressions.Regex DateTimeText();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \S+\s+\[\d+\]: ")]
    private static partial System.Text.RegularExpressions.Regex LogPrefix();
}

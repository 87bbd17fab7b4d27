using System.Diagnostics;
using SharpBan.Engine.Actions;
using SharpBan.Processes;

namespace SharpBan.Tests.Processes;

public sealed class ShellWorkerPoolTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly ShellWorkerPool _pool = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-worker-").FullName;

    public void Dispose()
    {
        _pool.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<ProcessResult> Run(string script, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? env = null, CancellationToken cancellationToken = default) =>
        _pool.RunAsync(new ShellCommand(script, env ?? new Dictionary<string, string>(StringComparer.Ordinal)), timeout ?? Minute, cancellationToken);

    [Theory]
    [InlineData("true", 0)]
    [InlineData("false", 1)]
    [InlineData("exit 3", 3)]
    [InlineData("sh -c 'exit 77'", 77)]
    [InlineData("kill -9 $(sh -c 'echo $PPID')", 137)]
    public async Task RunAsync_Command_ReportsItsExitStatus(string script, int expected)
    {
        var result = await Run(script);
        Assert.Equal(expected, result.ExitCode);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task RunAsync_StdoutAndStderr_AreCapturedInOrder()
    {
        var result = await Run("echo one; echo two >&2; printf 'three'");
        Assert.Equal("one\ntwo\nthree", result.Output);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_OutputImitatingTheMarkers_CannotForgeTheStatus()
    {
        var result = await Run("printf 'sbw:%s:end 0\\nsbw:%s:begin\\n' abc abc; exit 5");
        Assert.Equal(5, result.ExitCode);
        Assert.Contains("sbw:abc:end 0", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SyntaxErrorExitOrCd_LeaveTheWorkerUsable()
    {
        var syntax = await Run("if then fi (");
        Assert.NotEqual(0, syntax.ExitCode);
        Assert.Contains("Syntax error", syntax.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, (await Run("cd /; f2b_leak=1; export f2b_leak; set -e; exit 4")).ExitCode);
        var after = await Run("pwd; echo \"[${f2b_leak:-}]\"");
        Assert.Equal(0, after.ExitCode);
        Assert.Equal($"{Environment.CurrentDirectory}\n[]\n", after.Output);
        Assert.Equal(1, _pool.Started);
    }

    public static TheoryData<string> HostileValues => new()
    {
        "$(touch MARKER)",
        "`touch MARKER`",
        "'; touch MARKER; '",
        "\"; touch MARKER; \"",
        "a'b\"c\\d$e`f",
        "line1\nline2\n; touch MARKER\n",
        "' && touch MARKER #",
        "*",
        "'\\''",
        "${IFS}touch${IFS}MARKER",
        "é ü ☃ 😀",
        AllCharactersUpTo(0x2FF), // control characters, and UTF-8 bytes 0x80-0x8A (dash's internal quoting markers)
    };

    private static string AllCharactersUpTo(int last) => string.Concat(Enumerable.Range(1, last).Select(c => (char)c));

    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task RunAsync_EnvironmentValue_ArrivesVerbatimAndNeverRuns(string value)
    {
        var marker = Path.Join(_dir, "pwned");
        value = value.Replace("MARKER", marker, StringComparison.Ordinal);
        var output = Path.Join(_dir, "value");
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["f2bV_matches"] = value, ["f2bV_ip"] = value };
        var result = await Run($"printf '%s' \"$f2bV_matches\" > '{output}'; printf '%s' \"${{f2bV_ip}}\" >> '{output}'", env: env);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(value + value, File.ReadAllText(output));
        Assert.False(File.Exists(marker), "a value from a log line was executed");
    }

    [Fact]
    public async Task RunAsync_ValueWithNul_EndsAtTheNulLikeExecve()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["f2bV_x"] = "ab\0'; touch x; '" };
        var result = await Run("printf '%s' \"$f2bV_x\"", env: env);
        Assert.Equal("ab", result.Output);
    }

    [Fact]
    public async Task RunAsync_NameThatIsNotAShellName_RunsThroughTheFallback()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["not-a-name"] = "v" };
        var result = await Run("echo fallback", env: env);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("fallback\n", result.Output);
        Assert.Equal(0, _pool.Started);
    }

    [Fact]
    public async Task RunAsync_Timeout_KillsTheCommandsWholeTree()
    {
        var pids = Path.Join(_dir, "pids");
        var watch = Stopwatch.StartNew();
        var result = await Run($"sleep 300 & echo $! > '{pids}'; sh -c 'echo $$ >> \"{pids}\"; sleep 300'", TimeSpan.FromMilliseconds(500));
        Assert.True(result.TimedOut);
        Assert.Equal(-1, result.ExitCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        var started = File.ReadAllLines(pids).Select(int.Parse).ToArray();
        Assert.Equal(2, started.Length);
        await WaitUntilAsync(() => started.All(Gone), "every process of the command is gone");
        Assert.Equal(0, (await Run("true")).ExitCode);
        Assert.Equal(1, _pool.Started);
    }

    [Fact]
    public async Task RunAsync_Cancelled_KillsTheCommand()
    {
        var pid = Path.Join(_dir, "pid");
        using var cancel = new CancellationTokenSource();
        var run = Run($"sh -c 'echo $$ > \"{pid}\"; exec sleep 300'", cancellationToken: cancel.Token);
        await WaitUntilAsync(() => File.Exists(pid) && File.ReadAllText(pid).EndsWith('\n'), "the command started");
        await cancel.CancelAsync();
        var result = await run;
        Assert.True(result.TimedOut);
        await WaitUntilAsync(() => Gone(int.Parse(File.ReadAllText(pid))), "the command is gone");
    }

    [Fact]
    public async Task RunAsync_BackgroundChildKeepsTheOutputOpen_CommandStillEndsAndLateOutputIsDropped()
    {
        var go = Path.Join(_dir, "go");
        var done = Path.Join(_dir, "done");
        var watch = Stopwatch.StartNew();
        var first = await Run($"(while [ ! -e '{go}' ]; do sleep 0.05; done; echo late; touch '{done}') & echo first");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20));
        Assert.Equal("first\n", first.Output);
        File.WriteAllText(go, "");
        await WaitUntilAsync(() => File.Exists(done), "the background child wrote its late output");
        var second = await Run("echo second");
        Assert.Equal("second\n", second.Output);
    }

    [Fact]
    public async Task RunAsync_WorkerKilledDuringACommand_FailsThatCommandAndTheNextGetsANewWorker()
    {
        var died = await Run("kill -9 $$; sleep 1");
        Assert.Equal(-1, died.ExitCode);
        Assert.False(died.Success);
        var next = await Run("echo ok");
        Assert.Equal("ok\n", next.Output);
        Assert.Equal(2, _pool.Started);
    }

    [Fact]
    public async Task RunAsync_WorkerKilledWhileIdle_CommandRunsOnANewWorker()
    {
        var pid = int.Parse((await Run("echo $$")).Output);
        using (var worker = Process.GetProcessById(pid))
        {
            worker.Kill();
            await worker.WaitForExitAsync();
        }

        var marker = Path.Join(_dir, "ran");
        var result = await Run($"echo x >> '{marker}'; echo ok");
        Assert.Equal("ok\n", result.Output);
        Assert.Equal("x\n", File.ReadAllText(marker));
        Assert.Equal(2, _pool.Started);
    }

    [Fact]
    public async Task RunAsync_ManyAtOnce_EachGetsItsOwnOutput()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Run($"sleep 0.0{i % 10}; echo {i}; exit {i % 7}")));
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"{i}\n", results[i].Output);
            Assert.Equal(i % 7, results[i].ExitCode);
        }
    }

    [Fact]
    public async Task RunAsync_HugeOutput_IsTruncatedAndTheStatusStillRead()
    {
        var result = await Run("head -c 1000000 /dev/zero | tr '\\0' a; exit 9");
        Assert.Equal(9, result.ExitCode);
        Assert.StartsWith(new string('a', ShellWorkerReply.MaxOutput), result.Output, StringComparison.Ordinal);
        Assert.EndsWith("[output truncated]\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_IdleWorkers_Exit()
    {
        var pid = int.Parse((await Run("echo $$")).Output);
        _pool.Dispose();
        await WaitUntilAsync(() => Gone(pid), "the idle worker exited");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Run("true"));
    }

    private static bool Gone(int pid)
    {
        try
        {
            // A zombie (exited, not yet reaped by its parent) counts as gone.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting until " + what);
            await Task.Delay(20);
        }
    }
}

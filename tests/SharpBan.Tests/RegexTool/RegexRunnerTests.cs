using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;
using SharpBan.RegexTool;

namespace SharpBan.Tests.RegexTool;

public sealed class RegexRunnerTests
{
    private static readonly FilterSettings Settings = new()
    {
        PrefRegex = @"^\s*\S+ sshd\[<F-MLFID>\d+</F-MLFID>\]: <F-CONTENT>.+</F-CONTENT>$",
        FailRegex =
        [
            @"^Failed \S+ for (?:invalid user )?<F-USER>\S+</F-USER> from <HOST> port \d+",
            @"^<F-NOFAIL><F-MLFFORGET>Accepted \w+</F-MLFFORGET></F-NOFAIL> for <F-USER>\S+</F-USER> from <HOST>",
            @"^<F-NOFAIL>Connection from</F-NOFAIL> <HOST>",
        ],
        DatePattern = "{^LN-BEG}",
    };

    /// <summary>Seeded sshd-like lines, more than the regex compile threshold so the compiled engines take over mid-run.</summary>
    private static List<string> Lines()
    {
        var r = new Random(7);
        var lines = new List<string>();
        for (var i = 0; i < 3 * 1024; i++)
        {
            var s = i % 86400;
            var head = $"Aug 14 {s / 3600:00}:{s / 60 % 60:00}:{s % 60:00} srv sshd[{r.Next(100, 140)}]: ";
            var ip = $"192.0.2.{r.Next(1, 20)}";
            lines.Add(r.Next(6) switch
            {
                0 => head + $"Failed password for root from {ip} port 22 ssh2",
                1 => head + $"Failed password for invalid user bob from {ip} port 22 ssh2",
                2 => head + $"Accepted publickey for bob from {ip} port 22 ssh2",
                3 => head + $"Connection from {ip} port 22",
                4 => "# a comment",
                _ => head + "something else",
            });
        }

        return lines;
    }

    private static LogFilter Filter(TimeProvider time) =>
        new(Settings, FilterMode.RegexTool, new DateClock(time, TimeZoneInfo.Utc), new DateTemplateCache(2026));

    [Fact]
    public void Run_Pipelined_SameFailuresInSameOrderAsSequentialEngine()
    {
        var time = new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1124013600));
        var lines = Lines();
        var expected = new List<(long, string?, int)>();
        var sequential = Filter(time);
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith('#'))
            {
                continue;
            }

            foreach (var hit in sequential.ProcessLine(lines[i]))
            {
                if (hit.Id is not null && !PyValue.IsTrue(hit.Data.GetValueOrDefault("nofail")))
                {
                    expected.Add((i + 1, hit.Id, hit.FailRegexIndex));
                }
            }
        }

        var actual = new List<(long, string?, int)>();
        var filter = Filter(time);
        Assert.True(filter.CanPipeline);
        var runner = new RegexRunner(filter, new RegexToolOptions { Log = "-", Filter = "x" }, time, (n, hit) => actual.Add((n, hit.Id, hit.FailRegexIndex)));
        runner.Run(lines);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Equal(lines.Count(static l => !l.StartsWith('#')), runner.Stats.Tested);
    }

    [Fact]
    public void Run_ReaderFails_ErrorSurfacesOnCaller()
    {
        var time = new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1124013600));
        var runner = new RegexRunner(Filter(time), new RegexToolOptions { Log = "-", Filter = "x" }, time, null);
        Assert.Throws<IOException>(() => runner.Run(Failing()));

        static IEnumerable<string> Failing()
        {
            yield return "Aug 14 10:00:00 srv sshd[1]: Connection from 192.0.2.1 port 22";
            throw new IOException("disk gone");
        }
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Engine.Tests.Matching;

public sealed class TimingWarningsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly Lines _log = new();
    private readonly TimingWarnings _warnings;

    public TimingWarningsTests() => _warnings = new TimingWarnings(_log, "sshd", new DateClock(_time, TimeZoneInfo.Utc));

    [Theory]
    [InlineData(-7200, "2h before", "timezone")]
    [InlineData(-120, "2m before", "latency")]
    [InlineData(-3300, "55m before", "latency")]
    [InlineData(-3301, "55m 1s before", "timezone")] // fail2ban's bound: up to 3300 s late is latency
    [InlineData(3700, "1h 1m after", "timezone")]
    public void SimulatedNow_Distance_NamesTheProblemAsFail2ban(long delta, string distance, string problem)
    {
        _warnings.SimulatedNow("Nov 27 10:00:00 host sshd[1]: x", delta);

        Assert.Equal(
            [
                $"[sshd] Detected a log entry {distance} the current time in operation mode. This looks like a {problem} problem. Treating such entries as if they just happened.",
                "[sshd] Please check a jail for a timing issue. Line with odd timestamp: Nov 27 10:00:00 host sshd[1]: x",
            ],
            _log.Warnings);
    }

    [Fact]
    public void EachKind_OnceADay()
    {
        _warnings.IgnoredOld("old 1", 600);
        _warnings.IgnoredOld("old 2", 600);
        _warnings.SimulatedNow("odd", -7200); // another kind: said
        _time.Advance(TimeSpan.FromHours(23.9));
        _warnings.IgnoredOld("old 3", 600);
        Assert.Equal(4, _log.Warnings.Count);
        Assert.Equal("[sshd] Ignoring all log entries older than 600s; these are probably messages generated while fail2ban was not running.", _log.Warnings[0]);

        _time.Advance(TimeSpan.FromHours(0.1));
        _warnings.IgnoredOld("old 4", 1.5);
        Assert.Equal(6, _log.Warnings.Count);
        Assert.Equal("[sshd] Ignoring all log entries older than 1.5s; these are probably messages generated while fail2ban was not running.", _log.Warnings[4]);
        Assert.EndsWith("Line with odd timestamp: old 4", _log.Warnings[5], StringComparison.Ordinal);
    }

    [Fact]
    public void NoDate_TimeTextAsPythonReprAndTheMatchedLines()
    {
        _warnings.NoDate("it's", [new LineTuple("a ", "it's", " b"), new LineTuple("", "", "c")]);

        Assert.Equal(
            [
                "[sshd] Found a match but no valid date/time found for \"it's\".",
                "[sshd] Match without a timestamp: a it's b\\nc", // one log line, where fail2ban writes two (a forged line)
                "[sshd] Please try setting a custom date pattern (see man page jail.conf(5)).",
            ],
            _log.Warnings);
    }

    [Fact]
    public void DateNotParsed_EachTimeAsAnError()
    {
        _warnings.DateNotParsed("Feb 30 12:00:00");
        _warnings.DateNotParsed("Feb 30 12:00:00");

        Assert.Empty(_log.Warnings);
        Assert.Equal(["findFailure failed to parse timeText: Feb 30 12:00:00", "findFailure failed to parse timeText: Feb 30 12:00:00"], _log.Errors);
    }

    private sealed class Lines : ILogger
    {
        public List<string> Warnings { get; } = [];

        public List<string> Errors { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Assert.True(logLevel is LogLevel.Warning or LogLevel.Error, logLevel.ToString());
            (logLevel == LogLevel.Warning ? Warnings : Errors).Add(formatter(state, exception));
        }
    }
}

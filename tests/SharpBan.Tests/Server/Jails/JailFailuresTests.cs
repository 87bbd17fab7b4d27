using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;
using SharpBan.Server;
using SharpBan.Server.Jails;

namespace SharpBan.Tests.Server.Jails;

/// <summary>
/// A jail in process with a fake clock, flooded with failures of new addresses: at most <c>maxtracked</c> addresses are
/// tracked, an address that had failed before the flood is still banned, and the forgotten ones are reported at most
/// once a minute.
/// </summary>
public sealed class JailFailuresTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ListLogger _log = new();
    private readonly Jail _jail;

    public JailFailuresTests()
    {
        var loggers = LoggerFactory.Create(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Debug));
        var context = new ServerContext(_time, new NoProcesses(), NoDnsResolver.Instance, new FixedSelfAddresses(), loggers);
        _jail = new Jail("flood", "polling", context, database: null);
        _jail.Failures.MaxRetry = 3;
        _jail.Failures.MaxTracked = 100;
        _jail.Set("addfailregex", ["^fail from <HOST>$"]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>xunit 2 calls this (not <see cref="IAsyncDisposable"/>) after each test.</summary>
    public async Task DisposeAsync() => await _jail.DisposeAsync();

    [Fact]
    public async Task ProcessLinesAsync_FloodOfNewAddresses_TracksAtMostMaxTrackedAndBansTheRepeatOffender()
    {
        await _jail.StartAsync();
        List<string> lines = ["fail from 198.51.100.7", "fail from 198.51.100.7"];
        lines.AddRange(Enumerable.Range(0, 5000).Select(i => $"fail from 2001:db8:{i >> 8:x}::{i & 0xff:x}"));
        lines.Add("fail from 198.51.100.7");

        await _jail.ProcessLinesAsync(lines, inOperation: true);

        // the address that had failed twice was kept while 5000 addresses seen once went through 99 places
        Assert.True(_jail.Bans.TryGet("198.51.100.7", out _));
        Assert.Equal((99, 4901L, 5003L), (_jail.Failures.Count, _jail.Failures.Evicted, _jail.Failures.TotalFailed));
    }

    [Fact]
    public async Task ReportEvictions_ContinuingFlood_OneWarningAMinuteWithTheCountSinceTheLast()
    {
        for (var i = 0; i < 150; i++)
        {
            await _jail.AttemptAsync($"192.0.2.{i % 250}", []);
            if (i == 120)
            {
                _time.Advance(TimeSpan.FromSeconds(59));
            }
        }

        Assert.Equal(["[flood] Forgot 1 failing addresses: more than maxtracked = 100 were failing within findtime (an attacker rotating addresses?); the least recent went first, bans are kept"], _log.Warnings);

        _time.Advance(TimeSpan.FromSeconds(1));
        _jail.ReportEvictions(); // housekeeping, after the flood stopped

        Assert.Equal(2, _log.Warnings.Count);
        Assert.StartsWith("[flood] Forgot 49 failing addresses", _log.Warnings[1], StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromMinutes(5));
        _jail.ReportEvictions();
        Assert.Equal(2, _log.Warnings.Count); // nothing new
    }

    private sealed class NoProcesses : IProcessRunner
    {
        public Task<ProcessResult> RunAsync(ShellCommand command, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(new ProcessResult(0, ""));
    }

    private sealed class ListLogger : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _warnings = new();

        public List<string> Warnings => [.. _warnings];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                _warnings.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}

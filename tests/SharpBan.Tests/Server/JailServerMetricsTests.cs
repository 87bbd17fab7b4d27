using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Tests.Actions;
using SharpBan.Metrics;
using SharpBan.Server;
using SharpBan.Server.Logging;
using SharpBan.Tests.Metrics;

namespace SharpBan.Tests.Server;

/// <summary>The daemon's metrics in process: a <see cref="JailServer"/> on a fake clock with recorded action commands.</summary>
public sealed class JailServerMetricsTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_250);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingProcessRunner _runner = new();
    private readonly LogSink _sink;
    private readonly JailServer _server;

    public JailServerMetricsTests()
    {
        _sink = new LogSink(_time);
        _server = new JailServer(new ServerContext(_time, _runner, NoDnsResolver.Instance, new FixedSelfAddresses(), NullLoggerFactory.Instance), _sink);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>xunit 2 calls this (not <see cref="IAsyncDisposable"/>) after each test.</summary>
    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _sink.Dispose();
    }

    private async Task RunAsync(params object?[] command) => await _server.ExecuteAsync(command);

    private async Task AddJailAsync(string name, string actionban = "echo ban")
    {
        await RunAsync("add", name, "polling");
        await RunAsync("set", name, "addfailregex", "^fail <HOST>$");
        await RunAsync("set", name, "addaction", "a");
        await RunAsync("set", name, "action", "a", "actionban", actionban);
        await RunAsync("start", name);
    }

    private async Task<IReadOnlyList<ExpositionParser.Family>> ScrapeAsync() =>
        ExpositionParser.Parse(PrometheusText.Render(await _server.MetricsAsync(CancellationToken.None)));

    [Fact]
    public async Task Metrics_NoJail_DaemonFamiliesFromTheClock()
    {
        _time.Advance(TimeSpan.FromSeconds(90.5));
        var metrics = await ScrapeAsync();

        Assert.Equal(1_800_000_000.25, ExpositionParser.Value(metrics, "process_start_time_seconds"));
        Assert.Equal(90.5, ExpositionParser.Value(metrics, "sharpban_uptime_seconds"));
        Assert.Equal(0, ExpositionParser.Value(metrics, "sharpban_jails"));
        Assert.Equal(0, ExpositionParser.Value(metrics, "sharpban_database_errors_total"));
        var info = Assert.Single(metrics.Single(f => f.Name == "sharpban_build_info").Samples);
        Assert.Equal(1, info.Value);
        Assert.Equal(SharpBanVersion.Own, info.Labels["version"]);
        Assert.Equal("1.0.2", info.Labels["fail2ban_version"]);
        Assert.All(metrics.Where(f => f.Name.StartsWith("sharpban_jail_", StringComparison.Ordinal)), f => Assert.Empty(f.Samples));
    }

    [Fact]
    public async Task Metrics_FailuresAndABan_StatusCountersPerJail()
    {
        await AddJailAsync("sshd");
        await AddJailAsync("nginx");
        foreach (var ip in (string[])["192.0.2.1", "192.0.2.1", "192.0.2.1", "192.0.2.2"])
        {
            await RunAsync("set", "sshd", "attempt", ip);
        }

        await _server.DrainAsync();
        var metrics = await ScrapeAsync();

        Assert.Equal(2, ExpositionParser.Value(metrics, "sharpban_jails"));
        Assert.Equal(1, ExpositionParser.Value(metrics, "sharpban_jail_failed_current", "sshd"));
        Assert.Equal(4, ExpositionParser.Value(metrics, "sharpban_jail_failed_total", "sshd"));
        Assert.Equal(1, ExpositionParser.Value(metrics, "sharpban_jail_banned_current", "sshd"));
        Assert.Equal(1, ExpositionParser.Value(metrics, "sharpban_jail_banned_total", "sshd"));
        Assert.Equal(0, ExpositionParser.Value(metrics, "sharpban_jail_action_failures_total", "sshd"));
        Assert.Equal(0, ExpositionParser.Value(metrics, "sharpban_jail_failed_total", "nginx"));
        Assert.Equal(["nginx", "sshd"], metrics.Single(f => f.Name == "sharpban_jail_banned_total").Samples.Select(s => s.Labels["jail"]));

        await RunAsync("set", "sshd", "unbanip", "192.0.2.1");
        metrics = await ScrapeAsync();
        Assert.Equal(0, ExpositionParser.Value(metrics, "sharpban_jail_banned_current", "sshd"));
        Assert.Equal(1, ExpositionParser.Value(metrics, "sharpban_jail_banned_total", "sshd"));
    }

    [Fact]
    public async Task Metrics_FailingActionBan_CountsEveryFailedRun()
    {
        await AddJailAsync("sshd", actionban: "exit 3");
        _runner.AlwaysFailing.Add("exit 3");
        await RunAsync("set", "sshd", "banip", "192.0.2.7");
        await _server.DrainAsync();

        // without actioncheck a failed command is run a second time (fail2ban's _processCmd): two failures
        Assert.Equal(2, ExpositionParser.Value(await ScrapeAsync(), "sharpban_jail_action_failures_total", "sshd"));
    }

    [Fact]
    public async Task Metrics_LinesOfAFile_CountedPerJail()
    {
        await AddJailAsync("sshd");
        await _server.Jails["sshd"].ProcessLinesAsync(["fail 192.0.2.9", "noise", "fail 192.0.2.10"], inOperation: true);

        var metrics = await ScrapeAsync();
        Assert.Equal(3, ExpositionParser.Value(metrics, "sharpban_jail_lines_processed_total", "sshd"));
        Assert.Equal(0, ExpositionParser.Value(metrics, "sharpban_jail_lines_skipped_total", "sshd"));
        Assert.Equal(2, ExpositionParser.Value(metrics, "sharpban_jail_failed_total", "sshd"));
    }

    /// <summary>A catastrophic failregex on a hostile line: one timeout (the engine's 1 s), still counted after the filter is rebuilt.</summary>
    [Fact]
    public async Task Metrics_RegexTimeout_CountedAndKeptAcrossAFilterRebuild()
    {
        await AddJailAsync("sshd");
        await RunAsync("set", "sshd", "addfailregex", "^(a|aa)+b <HOST>$");
        var watch = Stopwatch.StartNew();
        await _server.Jails["sshd"].ProcessLinesAsync([new string('a', 64) + "c b 192.0.2.1"], inOperation: true);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(1, ExpositionParser.Value(await ScrapeAsync(), "sharpban_jail_regex_timeouts_total", "sshd"));

        await RunAsync("set", "sshd", "maxlines", "2"); // rebuilds the filter
        _ = _server.Jails["sshd"].Filter;
        Assert.Equal(1, ExpositionParser.Value(await ScrapeAsync(), "sharpban_jail_regex_timeouts_total", "sshd"));
    }

    [Fact]
    public async Task Metrics_JailNameWithQuotesAndBackslash_IsEscapedAndReadsBack()
    {
        const string name = "we\"ird\\jail";
        await AddJailAsync(name);
        var metrics = await ScrapeAsync();
        Assert.Equal(0, ExpositionParser.Value(metrics, "sharpban_jail_failed_total", name));
        Assert.Contains("sharpban_jail_failed_total{jail=\"we\\\"ird\\\\jail\"} 0\n", PrometheusText.Render(await _server.MetricsAsync(CancellationToken.None)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsCommand_IsTheFamiliesAsJson()
    {
        await AddJailAsync("sshd");
        // the jail's actionstart runs on its own: the two answers compared below must see the same action work waiting
        await TestDaemon.WaitUntilAsync(() => _server.Jails["sshd"].ActionsWaiting == 0, "the jail's start work done");
        var answer = await _server.ExecuteAsync(["metrics"]);
        var families = MetricsJson.TryRead(System.Text.Json.Nodes.JsonNode.Parse(answer!.ToJsonString()));

        Assert.NotNull(families);
        Assert.Equal(PrometheusText.Render(await _server.MetricsAsync(CancellationToken.None)), PrometheusText.Render(families));
        var e = await Assert.ThrowsAsync<CommandException>(() => _server.ExecuteAsync(["metrics", "sshd"]));
        Assert.Equal("Invalid command", e.Message);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SharpBan.Server.Logs;

namespace SharpBan.Tests.Server.Logs;

public sealed class LogFileHubTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-hub-").FullName;
    private readonly ConcurrentQueue<string> _lines = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LogFileHub Hub(TimeSpan poll) => new(NullLogger.Instance, (_, lines) =>
    {
        foreach (var line in lines)
        {
            _lines.Enqueue(line);
        }

        return Task.CompletedTask;
    })
    {
        PollInterval = poll,
        SafetyPollInterval = poll,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Subscribe_AppendToAWatchedFile_IsReadWithoutWaitingForThePoll(bool polling)
    {
        var path = Path.Join(_dir, "auth.log");
        File.WriteAllText(path, "");
        await using var hub = Hub(TimeSpan.FromHours(1)); // only an inotify wake-up can deliver the line in time
        hub.Subscribe(path, tail: true, polling, "auto", stored: null);
        await Task.Delay(200); // the first pass (at subscription) is over
        File.AppendAllText(path, "Failed password\n");
        await WaitUntilAsync(() => _lines.Contains("Failed password"), "the appended line was read");
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

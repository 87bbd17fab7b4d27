using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SharpBan.Journal;
using SharpBan.Server.Logs;
using SharpBan.Tests.Support;

namespace SharpBan.Tests.Server.Logs;

/// <summary>The journal reader against a real journal file (<c>systemd-journal-remote</c>) and a real <c>journalctl</c>.</summary>
public sealed class JournalSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-journal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// An entry the jail cannot handle (its dispatch throws) is logged with its cursor and skipped; the reader goes on
    /// with the next entries and resumes after it. Before, the exception ended the reader, and the jail stopped reading
    /// the journal without a word.
    /// </summary>
    [Fact]
    public async Task Dispatch_Throws_EntryLoggedAndSkippedReaderGoesOn()
    {
        var file = Path.Join(_dir, "a.journal");
        JournalFile.Append(file, JournalFile.Sshd("first"), JournalFile.Sshd("second"));
        var logger = new RecordingLogger();
        var handled = new ConcurrentQueue<string>();
        JournalSource? source = null;
        var start = JournalStart.From(null, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 600);
        source = new JournalSource("sshd", JournalArguments.Build($"systemd[journalfiles=\"{file}\"]", []), System.Text.Encoding.UTF8, start, TimeProvider.System, logger, (entry, _) =>
        {
            if (entry.Line.Text.Contains("first", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("cannot handle this one");
            }

            handled.Enqueue(entry.Line.Text);
            source!.Handled(entry);
            return Task.CompletedTask;
        });
        await using (source)
        {
            await source.StartAsync();
            await TestDaemon.WaitUntilAsync(() => !handled.IsEmpty, "the second entry");
            JournalFile.Append(file, JournalFile.Sshd("third"));
            await TestDaemon.WaitUntilAsync(() => handled.Count == 2, "the third entry");
        }

        Assert.Equal(["second", "third"], handled.Select(static t => t[(t.IndexOf(": ", StringComparison.Ordinal) + 2)..]));
        Assert.Contains(logger.Messages, static m => m.Level == LogLevel.Error
            && m.Message.StartsWith("[sshd] journal entry s=", StringComparison.Ordinal)
            && m.Message.EndsWith(" could not be handled, skipped: cannot handle this one", StringComparison.Ordinal));
    }
}

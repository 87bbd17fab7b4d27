using SharpBan.Journal;
using SharpBan.Server.Jails;
using SharpBan.Server.Logs;

namespace SharpBan.Server;

internal sealed partial class JailServer
{
    /// <summary>The <c>logs</c> row of a journal jail: the cursor (in the hash column) and the entry time.</summary>
    private const string JournalLogPath = "systemd-journal";

    /// <summary>As fail2ban creating the filter: a journal backend with unknown options is refused at <c>add</c>.</summary>
    internal static void ValidateBackend(string jail, string backend)
    {
        var name = Engine.Config.OptionList.Extract(backend).Name.ToLowerInvariant();
        if (name is not ("auto" or "pyinotify" or "gamin" or "polling" or "systemd"))
        {
            // fail2ban's refusal (its server then stops starting altogether; here only this jail is not added)
            throw new CommandException($"Unknown backend {name}. Must be among ['pyinotify', 'gamin', 'polling', 'systemd'] or 'auto'");
        }

        if (!backend.StartsWith("systemd", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            JournalArguments.Build(backend, []);
        }
        catch (Exception e) when (e is ArgumentException or Engine.Config.ConfigException)
        {
            throw new CommandException($"Jail '{jail}' cannot be added: {e.Message}");
        }
    }

    /// <summary>Sources stopped under the gate, ending outside it (see <see cref="Retire"/>).</summary>
    private readonly List<Task> _retiring = [];

    /// <param name="resume">Where the jail's previous <c>journalctl</c> stopped (a restart for new matches); else the database's position.</param>
    private async Task StartJournalLockedAsync(Jail jail, (string? Cursor, long Time)? resume = null)
    {
        List<string> selection;
        try
        {
            selection = JournalArguments.Build(jail.Backend, jail.JournalMatch);
        }
        catch (Exception e) when (e is ArgumentException or Engine.Config.ConfigException)
        {
            await jail.StopAsync().ConfigureAwait(false);
            throw new CommandException($"Jail '{jail.Name}' cannot start: {e.Message}");
        }

        var stored = resume ?? (Database?.GetLogPosition(jail.Name, JournalLogPath) is { } p ? (p.Hash, p.Position) : ((string?, long)?)null);
        var start = JournalStart.From(stored, _context.Now(), jail.Failures.FindTime);
        JournalSource? source = null;
        var encoding = Engine.Matching.LogEncoding.Get(jail.LogEncoding);
        if (jail.JournalMatch.Count == 0)
        {
            Log.JournalWithoutMatch(_journalLog, jail.Name);
        }

        source = new JournalSource(jail.Name, selection, encoding, start, _context.Time, _journalLog, async (entry, inOperation) =>
        {
            await EnterGateAsync().ConfigureAwait(false);
            try
            {
                if (!_journals.TryGetValue(jail.Name, out var current) || current != source || jail.Idle)
                {
                    return; // a retired source (its jail was stopped or follows a new selection), or an idle jail (read again when it wakes)
                }

                await jail.ProcessJournalLineAsync(entry.Line, entry.Time, inOperation).ConfigureAwait(false);
                Database?.SetLogPosition(jail.Name, JournalLogPath, entry.Cursor, (long)entry.Time);
            }
            finally
            {
                source!.Handled(entry); // under the gate, where a restart or idle reads where to resume
                ExitGate();
            }
        });
        try
        {
            await source.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            await source.DisposeAsync().ConfigureAwait(false);
            await jail.StopAsync().ConfigureAwait(false);
            throw new CommandException($"Jail '{jail.Name}' cannot start: {e.Message}");
        }

        _journals[jail.Name] = source;
    }

    /// <summary>A reload changed the journal matches: a new <c>journalctl</c> resumes after the last entry read.</summary>
    private async Task RestartJournalLockedAsync(Jail jail)
    {
        (string?, long)? resume = null;
        if (_journals.Remove(jail.Name, out var old))
        {
            resume = old.Last;
            Retire(old);
        }

        try
        {
            await StartJournalLockedAsync(jail, resume).ConfigureAwait(false);
        }
        catch (CommandException e)
        {
            Log.CommandFailed(_log, $"reload {jail.Name}", e.Message);
        }
    }

    /// <summary>
    /// Stops a source without waiting for it under the gate: its reader may be waiting for the gate with an entry, and
    /// drops that entry once it gets in (the source is no longer the jail's).
    /// </summary>
    private void Retire(JournalSource source)
    {
        _retiring.RemoveAll(t => t.IsCompleted);
        _retiring.Add(Task.Run(async () => await source.DisposeAsync().ConfigureAwait(false)));
    }

    private Task RetiredSourcesStoppedAsync() => Task.WhenAll(_retiring.ToList());
}

using SharpBan.Journal;
using SharpBan.Server.Jails;
using SharpBan.Server.Logs;

namespace SharpBan.Server;

internal sealed partial class JailServer
{
    /// <summary>The <c>logs</c> row of a journal jail: the cursor (in the hash column) and the entry time.</summary>
    private const string JournalLogPath = "systemd-journal";

    /// <summary>As fail2ban creating the filter: a journal backend with unknown options is refused at <c>add</c>.</summary>
    private static void ValidateBackend(string jail, string backend)
    {
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

    private async Task StartJournalLockedAsync(Jail jail)
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

        var stored = Database?.GetLogPosition(jail.Name, JournalLogPath) is { } p ? (p.Hash, p.Position) : ((string?, long)?)null;
        var start = JournalStart.From(stored, _context.Now(), jail.Failures.FindTime);
        var source = new JournalSource(selection, start, _context.Now, _log, async (entry, inOperation) =>
        {
            await EnterGateAsync().ConfigureAwait(false);
            try
            {
                await jail.ProcessJournalLineAsync(entry.Line, entry.Time, inOperation).ConfigureAwait(false);
                Database?.SetLogPosition(jail.Name, JournalLogPath, entry.Cursor, (long)entry.Time);
            }
            finally
            {
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
}

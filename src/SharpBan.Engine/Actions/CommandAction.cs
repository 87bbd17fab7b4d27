using Microsoft.Extensions.Logging;
using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Actions;

/// <summary>
/// An <c>action.d</c> command action of one jail: its properties (every key the stream sent, settable at run time),
/// families started so far, and the operations with fail2ban's failure handling (check, repair, retry once).
/// Start, stop, flush and the check/repair after a failure are serialised; bans and unbans of different addresses may
/// run concurrently (the jail's scheduler keeps a ban before the unban of the same address).
/// </summary>
/// <param name="logger">fail2ban's <c>fail2ban.action</c> (checks, repairs, template errors).</param>
/// <param name="actionsLogger">fail2ban's <c>fail2ban.actions</c>: an operation that failed for good; default <paramref name="logger"/>.</param>
/// <param name="utilsLogger">fail2ban's <c>fail2ban.utils</c>: a failed command with its output; default <paramref name="logger"/>.</param>
internal sealed class CommandAction(string jail, string name, IProcessRunner runner, ILogger logger, bool allowIpv6 = true,
    ILogger? actionsLogger = null, ILogger? utilsLogger = null) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);
    private readonly HashSet<string> _banned = new(StringComparer.Ordinal);

    /// <summary>Per ban id: the <see cref="Epoch"/> its last successful ban (or reban) started in.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _banEpochs = new(StringComparer.Ordinal);
    private readonly RepairGate _gate = new();
    private int _epoch;

    public string Jail { get; } = jail;

    public string Name { get; } = name;

    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Set for an action SharpBan implements itself (a Python action): its operations run there, not as commands.</summary>
    public IBuiltinAction? Builtin { get; init; }

    /// <summary>The Python class fail2ban's answers name for this action.</summary>
    public string ClassName => Builtin?.ClassName ?? nameof(CommandAction);

    public bool NoRestored => Matching.PyValue.AsBool(Properties.GetValueOrDefault("norestored", "false"));

    /// <summary>fail2ban's default command timeout, in seconds.</summary>
    public const int DefaultTimeoutSeconds = 60;

    public TimeSpan Timeout =>
        TimeSpan.FromSeconds(TimeValue.TryParse(Properties.GetValueOrDefault("timeout"), out var t) ? t : DefaultTimeoutSeconds);

    public bool HasFamilies => Properties.Keys.Any(k => k.Contains("?family=", StringComparison.Ordinal));

    public bool StartOnDemand => Properties.TryGetValue("actionstart_on_demand", out var v) && v.Length > 0
        ? Matching.PyValue.AsBool(v)
        : HasFamilies;

    /// <summary>Families this action operates on (<c>""</c> when it has no family variants).</summary>
    public IReadOnlyList<string> Families => HasFamilies ? (allowIpv6 ? ["inet4", "inet6"] : ["inet4"]) : [""];

    public IReadOnlyCollection<string> StartedFamilies => _started;

    /// <summary>Called after each command that failed (exit status, timeout, a template that cannot be filled); may run on any thread.</summary>
    public Action? CommandFailed { get; set; }

    /// <summary>
    /// Counts the repairs of this action's environment (fail2ban's ban epoch): a ban applied in an earlier epoch may be
    /// gone from the firewall and is applied again by <see cref="RebanAsync"/>.
    /// </summary>
    public int Epoch => Volatile.Read(ref _epoch);

    /// <summary>
    /// Called with the family after the action's environment was found broken (<c>actioncheck</c> failed) and restored
    /// (<c>actionrepair</c>, or stop and start): the bans it held may be gone, so the jail sends them again
    /// (<see cref="RebanAsync"/>). May run on any thread.
    /// </summary>
    public Action<string>? Repaired { get; set; }

    public void Dispose()
    {
        _lock.Dispose();
        _gate.Dispose();
    }

    public async Task StartAsync(double now, CancellationToken cancellationToken)
    {
        if (StartOnDemand)
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var family in Families)
            {
                await StartFamilyAsync(family, now, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task StopAsync(double now, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var family in _started.ToList())
            {
                var stopped = await RunAsync("actionstop", family, new TicketTagValues(Jail, null, family, now, 0), "stop", cancellationToken).ConfigureAwait(false);
                if (!stopped.Ok)
                {
                    Log.ActionOperationFailed(actionsLogger ?? logger, "stop", Jail, Name, stopped.Error ?? ScriptError("stopping"));
                }
            }

            _started.Clear();
            _banned.Clear();
            _banEpochs.Clear();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Runs <c>actionban</c> (or another ticket operation such as <c>actionprolong</c>).</summary>
    public async Task<bool> BanAsync(BanTicket ticket, ITagValues values, double now, CancellationToken cancellationToken, string operation = "actionban")
    {
        var family = FamilyFor(ticket);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // fail2ban starts an action at its first ban only with actionstart_on_demand (else at the jail's start;
            // a start that failed there is not tried again here)
            if (StartOnDemand && !_started.Contains(family))
            {
                await StartFamilyAsync(family, now, cancellationToken).ConfigureAwait(false);
                if (!_started.Contains(family))
                {
                    return false; // fail2ban: "Error starting action" cancels the ban; the next ban tries the start again
                }
            }
        }
        finally
        {
            _lock.Release();
        }

        // the epoch is taken before each try: a repair while the command runs leaves the ban to be sent again
        var (outcome, epoch) = await ProcessInEpochAsync(operation, family, values, now, cancellationToken).ConfigureAwait(false);
        var ok = outcome.Ok;
        if (!ok)
        {
            var (what, doing) = operation switch
            {
                "actionreban" => ("reban", "banning"),
                "actionprolong" => ("ban", "prolonging"),
                _ => ("ban", "banning"),
            };
            LogTicketFailure(what, outcome.Error ?? $"Error {doing} {ticket.Ip}", ticket);
        }

        if (ok && operation is "actionban" or "actionreban")
        {
            _banEpochs[ticket.Id] = epoch;
        }

        if (ok && operation == "actionban")
        {
            // as fail2ban: only a ban that succeeded makes the family "started, with bans" (unban, flush, stop follow)
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            _started.Add(family);
            _banned.Add(family);
            _lock.Release();
        }

        return ok;
    }

    public async Task<bool> UnbanAsync(BanTicket ticket, ITagValues values, double now, CancellationToken cancellationToken)
    {
        _banEpochs.TryRemove(ticket.Id, out _);
        var family = FamilyFor(ticket);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_banned.Contains(family))
            {
                return true;
            }
        }
        finally
        {
            _lock.Release();
        }

        var (unbanned, _) = await ProcessInEpochAsync("actionunban", family, values, now, cancellationToken).ConfigureAwait(false);
        if (!unbanned.Ok)
        {
            LogTicketFailure("unban", unbanned.Error ?? $"Error unbanning {ticket.Ip}", ticket);
        }

        return unbanned.Ok;
    }

    /// <summary>
    /// fail2ban's line for a ticket operation that failed after its retry (its ActionInfo without the functions), with
    /// <paramref name="message"/>: a command action's <c>Error banning ADDR</c>, a built-in action's exception text.
    /// </summary>
    private void LogTicketFailure(string what, string message, BanTicket ticket) =>
        Log.TicketOperationFailed(actionsLogger ?? logger, what, Jail, Name, Config.PyText.Repr(ticket.Ip),
            TicketTagValues.FamilyOf(ticket.Ip) is "inet6" ? "inet6" : "inet4", message);

    /// <summary>What fail2ban says of a command action whose start, stop or flush failed.</summary>
    private string ScriptError(string doing) => $"Error {doing} action Jail('{Jail}')/{Name}: 'Script error'";

    /// <summary>Runs <c>actionflush</c> per family with bans; false when there is none or it failed (then unban one by one).</summary>
    public async Task<bool> FlushAsync(double now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Properties.GetValueOrDefault("actionflush")))
        {
            return false;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ok = true;
            foreach (var family in _banned.Where(_started.Contains).ToList())
            {
                var flushed = await RunAsync("actionflush", family, new TicketTagValues(Jail, null, family, now, 0), "flush", cancellationToken).ConfigureAwait(false);
                if (flushed.Ok)
                {
                    _banned.Remove(family);
                    foreach (var (id, _) in _banEpochs)
                    {
                        if (FamilyFor(id) == family)
                        {
                            _banEpochs.TryRemove(id, out _);
                        }
                    }
                }
                else
                {
                    ok = false;
                    Log.FlushFailed(actionsLogger ?? logger, Jail, Name, flushed.Error ?? ScriptError("flushing"));
                    Log.NoFlush(actionsLogger ?? logger);
                }
            }

            return ok;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task ReloadAsync(double now, CancellationToken cancellationToken)
    {
        foreach (var family in _started.ToList())
        {
            var reloaded = await RunAsync("actionreload", family, new TicketTagValues(Jail, null, family, now, 0), "reload", cancellationToken).ConfigureAwait(false);
            if (reloaded.Error is { } error)
            {
                Log.ActionFailed(logger, "reload", Jail, Name, error); // a command's failure is in its own lines
            }
        }
    }

    /// <summary>Runs an operation of a built-in action; its exception, whatever it is, is that operation's failure.</summary>
    private async Task<Outcome> RunBuiltinAsync(string operation, ITagValues values, CancellationToken cancellationToken)
    {
        try
        {
            await Builtin!.RunAsync(operation, Properties, values, cancellationToken).ConfigureAwait(false);
            return new Outcome(true);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // deliberate: network, protocol or settings trouble of a built-in action fails that operation only, and is
            // logged where a command action's failure is, with the exception's text as fail2ban logs a Python action's
            CommandFailed?.Invoke();
            return new Outcome(false, e.Message);
        }
    }

    /// <summary>
    /// After a repair: <c>actionreban</c> (else <c>actionban</c>) for a ban that was applied before the current
    /// <see cref="Epoch"/>; nothing for one banned (or rebanned) since, so no firewall gets an element twice.
    /// </summary>
    public async Task<bool> RebanAsync(BanTicket ticket, ITagValues values, double now, CancellationToken cancellationToken)
    {
        if (_banEpochs.TryGetValue(ticket.Id, out var epoch) && epoch >= Epoch)
        {
            return true;
        }

        return await BanAsync(ticket, values, now, cancellationToken, "actionreban").ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="ticket"/> belongs to <paramref name="family"/> (<c>""</c>: an action without families).</summary>
    public bool InFamily(BanTicket ticket, string family) => FamilyFor(ticket) == family;

    /// <summary>
    /// fail2ban's consistency check, run when a banned address still fails some time after its ban: <c>actioncheck</c>
    /// for each started family, and the repair where it fails (which raises <see cref="Repaired"/>).
    /// </summary>
    public async Task ConsistencyCheckAsync(double now, CancellationToken cancellationToken)
    {
        if (Builtin is not null || string.IsNullOrWhiteSpace(Properties.GetValueOrDefault("actioncheck")))
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var family in _started.ToList())
            {
                _ = await CheckOrRepairAsync("actioncheck", family, now, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private string FamilyFor(BanTicket ticket) => FamilyFor(ticket.Ip);

    /// <summary>The family (of this action's <see cref="Families"/>) an address or network belongs to.</summary>
    private string FamilyFor(string ip) => HasFamilies ? (TicketTagValues.FamilyOf(ip) is "inet6" ? "inet6" : "inet4") : "";

    private async Task StartFamilyAsync(string family, double now, CancellationToken cancellationToken)
    {
        // a failed start is logged and the jail continues, as fail2ban; the family only counts as started (so that
        // actionstop runs for it) when actionstart succeeded
        var started = await RunAsync("actionstart", family, new TicketTagValues(Jail, null, family, now, 0), "start", cancellationToken).ConfigureAwait(false);
        if (started.Ok)
        {
            _started.Add(family);
        }
        else
        {
            Log.ActionOperationFailed(actionsLogger ?? logger, "start", Jail, Name, started.Error ?? ScriptError("starting"));
        }
    }

    /// <summary>
    /// Runs an operation with fail2ban's handling of a failure (check, repair, one more try); with the
    /// <see cref="Epoch"/> the successful try started in.
    /// </summary>
    private async Task<(Outcome Outcome, int Epoch)> ProcessInEpochAsync(string operation, string family, ITagValues values, double now, CancellationToken cancellationToken)
    {
        var (outcome, epoch) = await RunInEpochAsync(operation, family, values, cancellationToken).ConfigureAwait(false);
        if (outcome.Ok || outcome.Error is not null)
        {
            return (outcome, epoch); // fail2ban logs a failed Python action once: no check, no repair, no second try
        }

        if (string.IsNullOrWhiteSpace(Properties.GetValueOrDefault("actioncheck")))
        {
            // fail2ban's _processCmd: without actioncheck a failed command is simply run a second time
            return await RunInEpochAsync(operation, family, values, cancellationToken).ConfigureAwait(false);
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await CheckOrRepairAsync(operation, family, now, cancellationToken).ConfigureAwait(false))
            {
                return (outcome, epoch);
            }
        }
        finally
        {
            _lock.Release();
        }

        return await RunInEpochAsync(operation, family, values, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One try of a ban or unban command, never beside a repair (<see cref="RepairGate"/>); with the <see cref="Epoch"/>
    /// it ran in.
    /// </summary>
    private async Task<(Outcome Outcome, int Epoch)> RunInEpochAsync(string operation, string family, ITagValues values, CancellationToken cancellationToken)
    {
        using var pass = await _gate.EnterCommandAsync(cancellationToken).ConfigureAwait(false);
        var epoch = Epoch;
        return (await RunAsync(operation, family, values, operation, cancellationToken).ConfigureAwait(false), epoch);
    }

    /// <summary>
    /// After a failed operation: <c>actioncheck</c>, and when it fails the repair; false when that failed too. Runs
    /// alone: the ban and unban commands in flight finish first, new ones wait.
    /// </summary>
    private async Task<bool> CheckOrRepairAsync(string operation, string family, double now, CancellationToken cancellationToken)
    {
        using var repair = await _gate.EnterRepairAsync(cancellationToken).ConfigureAwait(false);
        var idle = new TicketTagValues(Jail, null, family, now, 0);
        if ((await RunAsync("actioncheck", family, idle, "check", cancellationToken).ConfigureAwait(false)).Ok)
        {
            return true;
        }

        if (operation == "actionunban" && !Matching.PyValue.AsBool(Properties.GetValueOrDefault("actionrepair_on_unban", "false")))
        {
            return false;
        }

        Log.InvariantCheckFailed(logger, Jail, Name);
        bool repaired;
        if (string.IsNullOrWhiteSpace(Properties.GetValueOrDefault("actionrepair")))
        {
            // fail2ban: stop (its failure ignored), then start again
            _ = await RunAsync("actionstop", family, idle, "stop", cancellationToken).ConfigureAwait(false);
            repaired = (await RunAsync("actionstart", family, idle, "start", cancellationToken).ConfigureAwait(false)).Ok;
        }
        else
        {
            repaired = (await RunAsync("actionrepair", family, idle, "repair", cancellationToken).ConfigureAwait(false)).Ok;
        }

        if (repaired)
        {
            _started.Add(family);
        }
        else
        {
            _started.Remove(family);
        }

        if (!repaired || !(await RunAsync("actioncheck", family, idle, "check", cancellationToken).ConfigureAwait(false)).Ok)
        {
            Log.RepairFailed(logger, Jail, Name);
            return false;
        }

        // bans applied before now may be gone with the broken environment: a new epoch, and the jail sends them again
        Interlocked.Increment(ref _epoch);
        Repaired?.Invoke(family);
        return true;
    }

    /// <summary>Builds and runs one operation; an empty operation succeeds without running anything.</summary>
    private async Task<Outcome> RunAsync(string operation, string family, ITagValues values, string what, CancellationToken cancellationToken)
    {
        if (Builtin is not null)
        {
            return await RunBuiltinAsync(operation, values, cancellationToken).ConfigureAwait(false);
        }

        var template = (family.Length > 0 ? Properties.GetValueOrDefault($"{operation}?family={family}") : null)
            ?? Properties.GetValueOrDefault(operation);
        if (template is null && operation is "actionreban" or "actionprolong")
        {
            template = operation == "actionreban" ? Properties.GetValueOrDefault("actionban") : null;
        }

        if (string.IsNullOrWhiteSpace(template))
        {
            return new Outcome(true);
        }

        ShellCommand command;
        try
        {
            var script = ActionTemplate.SubstituteStatic(template, Properties, family, operation);
            command = ActionTemplate.SubstituteDynamic(script, values);
        }
        catch (ArgumentException e)
        {
            Log.ActionFailed(logger, what, Jail, Name, e.Message);
            CommandFailed?.Invoke();
            return new Outcome(false);
        }

        if (string.IsNullOrWhiteSpace(command.Script))
        {
            return new Outcome(true);
        }

        var result = await runner.RunAsync(command, Timeout, cancellationToken).ConfigureAwait(false);
        CommandLog.Write(utilsLogger ?? logger, command.Script, result, Timeout);

        if (!result.Success)
        {
            CommandFailed?.Invoke();
        }

        return new Outcome(result.Success);
    }

    /// <summary>
    /// How one operation went. <see cref="Error"/> is a built-in action's exception text, which fail2ban logs where a
    /// command action's failure says <c>Error banning ADDR</c> or <c>'Script error'</c> (the command's own lines tell
    /// why), and which is never retried.
    /// </summary>
    private readonly record struct Outcome(bool Ok, string? Error = null);
}

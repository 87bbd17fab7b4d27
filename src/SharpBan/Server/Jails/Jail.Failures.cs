using System.Globalization;
using Microsoft.Extensions.Logging;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;

namespace SharpBan.Server.Jails;

internal sealed partial class Jail
{
    /// <summary>Runs lines of a monitored file through the filter; <paramref name="inOperation"/> is false while catching up.</summary>
    public async Task ProcessLinesAsync(IReadOnlyList<string> lines, bool inOperation)
    {
        if (!IsRunning || Idle)
        {
            return;
        }

        var filter = Filter;
        filter.InOperation = inOperation;
        Counters.AddLines(lines.Count);
        foreach (var line in lines)
        {
            List<FilterHit> hits;
            try
            {
                hits = filter.ProcessLine(line);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                // deliberate: a line the filter cannot handle is logged and skipped, the jail goes on
                Log.LineError(_filterLog, Name, e.Message);
                Counters.LineSkipped();
                continue;
            }

            try
            {
                await HandleHitsAsync(hits).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // deliberate: a failure that cannot be counted or banned must not take the rest of the read with it
                // (the lines after it, the other jails of the file, the position saved for a restart)
                Log.FailureNotHandled(_filterLog, Name, e.Message);
            }
        }

        Failures.Cleanup(_context.Now());
        ReportEvictions();
    }

    /// <summary>A journal entry: the time is known, the date detector is not used.</summary>
    public async Task ProcessJournalLineAsync(LineTuple line, double time, bool inOperation)
    {
        if (!IsRunning || Idle)
        {
            return;
        }

        var filter = Filter;
        filter.InOperation = inOperation;
        Counters.AddLines(1);
        List<FilterHit> hits;
        try
        {
            hits = filter.ProcessLine(line, time);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            // deliberate, as for a file's line: an entry the filter cannot handle is logged and skipped
            Log.LineError(_filterLog, Name, e.Message);
            Counters.LineSkipped();
            return;
        }

        await HandleHitsAsync(hits).ConfigureAwait(false);
        ReportEvictions();
    }

    /// <summary>
    /// A warning when <c>maxtracked</c> made the jail forget failing addresses, at most one a minute (an address-rotating
    /// attack would otherwise write one line per address); the count keeps growing in <see cref="FailManager.Evicted"/>.
    /// Housekeeping calls it too, so the last ones are reported when the flood stops.
    /// </summary>
    public void ReportEvictions()
    {
        var evicted = Failures.Evicted;
        if (evicted == _evictionsReported)
        {
            return;
        }

        var now = _context.Now();
        if (now - _lastEvictionReport < EvictionReportInterval)
        {
            return;
        }

        Log.TrackedEvicted(_filterLog, Name, evicted - _evictionsReported, Failures.MaxTracked);
        _evictionsReported = evicted;
        _lastEvictionReport = now;
    }

    /// <summary>
    /// <c>set JAIL attempt IP [LINE …]</c>, as fail2ban's <c>addAttempt</c>: a failure counted directly (as many as
    /// lines, at least one), without the ignore rules or the known-offender boost, banning at <c>maxretry</c> (also in an
    /// idle jail: fail2ban's idle actions thread bans what was queued before it noticed, up to 2 s, and holds the rest).
    /// </summary>
    public async Task<int> AttemptAsync(string ip, IReadOnlyList<string> lines)
    {
        var now = _context.Now();
        Log.Attempt(_filterLog, Name, ip, _context.FormatTime(now));
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        ip = CountedId(ip);
        var ticket = Failures.AddFailure(ip, now, lines, data, Math.Max(1, lines.Count));
        ReportEvictions();
        if (ticket is not null)
        {
            await BanFailedAsync(ticket).ConfigureAwait(false);
        }

        return Failures.TryGet(ip, out var t) ? t.Retry : 0;
    }

    /// <summary>
    /// The jail's work since the last call that waits outside the server's gate: a host name's lookup the resolver did
    /// not answer in time, an ignorecommand still running. The server awaits each <c>Outside</c> task without the gate,
    /// then runs its <c>Inside</c> step under it (if this jail is still the server's), so a slow name server or command
    /// holds up nothing else.
    /// </summary>
    public IReadOnlyList<(Task Outside, Func<Task> Inside)> TakeLater()
    {
        if (_later.Count == 0)
        {
            return [];
        }

        var taken = _later;
        _later = [];
        return taken;
    }

    /// <summary>
    /// Counts a failure whose host name resolved (to none, one or more addresses) after its line was read, as the filter
    /// would have counted it with the answer at hand: each address a failure of its own.
    /// </summary>
    private async Task AddResolvedAsync(FilterHit hit, IReadOnlyList<string> resolved)
    {
        if (!IsRunning || Idle)
        {
            return;
        }

        var addresses = LogFilter.ResolvedIds(resolved);
        if (UseDns == UseDns.Warn && addresses.Count > 0)
        {
            _context.Dns.Determined(hit.UnresolvedHost!, addresses);
        }

        await HandleHitsAsync([.. addresses.Select(hit.WithId)]).ConfigureAwait(false);
        ReportEvictions();
    }

    private async Task HandleHitsAsync(List<FilterHit> hits)
    {
        foreach (var hit in hits)
        {
            if (!hit.IsFailure)
            {
                if (hit.IsUnresolvedFailure)
                {
                    var lookup = _context.Dns.ResolveAsync(hit.UnresolvedHost!);
                    _later.Add((lookup, () => AddResolvedAsync(hit, lookup.Result)));
                }

                continue;
            }

            // fail2ban: a failure is never in the future (a clock or zone problem, or a guessed year): it happened now
            var now = _context.Now();
            var time = Math.Min(hit.Time ?? now, now);
            var data = hit.TicketData();
            await AddFailureAsync(hit.Id!, time, [.. hit.Matches.Select(static m => m.ToString())], data, 1, hit.IntegralTime && hit.Time <= now).ConfigureAwait(false);
        }
    }

    private async Task AddFailureAsync(string id, double time, IReadOnlyList<string> matches, IReadOnlyDictionary<string, object?> data, int count, bool integerTime = false)
    {
        await CheckFailureAsync(new PendingFailure(id, time, matches, data, count, integerTime)).ConfigureAwait(false);
    }

    /// <summary>A failure through the ignore checks to the failure manager, later when an ignoreip name's first lookup still runs.</summary>
    private async Task CheckFailureAsync(PendingFailure failure)
    {
        if (Ignore.Unresolved(failure.Id) is { } lookups)
        {
            _later.Add((lookups, () => IgnoredNamesResolvedAsync(failure)));
            return;
        }

        if (await IsIgnoredAsync(failure).ConfigureAwait(false) is not false)
        {
            return; // ignored, or its ignorecommand still runs and it is counted when that ends
        }

        await CountFailureAsync(failure).ConfigureAwait(false);
    }

    /// <summary>Under the gate, once the ignoreip names a failure waited for have their first answers.</summary>
    private async Task IgnoredNamesResolvedAsync(PendingFailure failure)
    {
        if (!IsRunning || Idle)
        {
            return;
        }

        await CheckFailureAsync(failure).ConfigureAwait(false);
        ReportEvictions();
    }

    /// <summary>A failure not ignored: counted, and banned when it reaches maxretry or a thresholds pair.</summary>
    private async Task CountFailureAsync(PendingFailure failure)
    {
        var (id, time, matches, data, count, integerTime) = failure;
        if (IsIgnoredNetwork(id))
        {
            Log.NetworkIgnored(_filterLog, Name, id);
            return;
        }

        Log.Found(_filterLog, Name, id, _context.FormatTime(time));
        id = CountedId(id);
        var created = !Failures.TryGet(id, out _);
        var ticket = Failures.AddFailure(id, time, matches, data, count, integerTime);
        if (ticket is null && Increment.Enabled && Database?.GetLastBan(id, Name, overallJails: false) is { } previous
            && time > previous.TimeOfBan) // a failure from before the last ban only counts once (re-read after a restart)
        {
            // fail2ban's observer: a known bad address counts 2, 3, 5, 9 … times (at most maxretry), added as one more
            // failure after the filter's own (its lines again, unless they made the ticket)
            // Python's count is a float (2.0, 3.0, 5.0 …) unless maxretry, an int, is smaller; it counts whole failures
            var exact = (1L << Math.Min(previous.BanCount, 20)) / 2.0 + 1;
            var retry = Math.Min((int)exact, Failures.MaxRetry);
            if (retry > 1)
            {
                var shown = exact <= Failures.MaxRetry
                    ? exact == Math.Floor(exact) ? ((long)exact).ToString(CultureInfo.InvariantCulture) + ".0" : exact.ToString("R", CultureInfo.InvariantCulture)
                    : Failures.MaxRetry.ToString(CultureInfo.InvariantCulture);
                Log.FoundBad(_observerLog, Name, id, _context.FormatTime(time), previous.BanCount, shown, retry >= Failures.MaxRetry ? ", Ban" : "");
                ticket = Failures.AddObserved(id, time, created ? [] : matches, retry - 1);
            }
        }

        if (ticket is not null)
        {
            await BanFailedAsync(ticket).ConfigureAwait(false);
        }
    }

    /// <summary>Bans a ticket the failure manager handed back, saying first which <c>thresholds</c> pair it reached, if one.</summary>
    private Task BanFailedAsync(FailTicket ticket)
    {
        if (ticket.Threshold is { } threshold)
        {
            Log.ThresholdReached(_log, Name, threshold.Text, ticket.Id);
        }

        return BanAsync(BanTicket.From(ticket));
    }

    /// <summary>
    /// Whether <paramref name="id"/> is a network (a filter with <c>&lt;SUBNET&gt;</c>, such as recidive reading a network
    /// ban) that contains an ignored address or overlaps an ignored network: it is never banned as a whole, the same rule
    /// as for <c>banprefix</c> networks (fail2ban ignores a network only when an ignored network contains all of it).
    /// </summary>
    private bool IsIgnoredNetwork(string id) =>
        IpText.IsNetwork(id) && IpEntry.FromBanId(id) is { IsSingle: false } network && Ignore.TouchesNetwork(network);

    /// <summary>
    /// The id a failure of <paramref name="id"/> is counted (and banned) under: its network with <c>banprefix</c> (the
    /// address itself was checked against the ignore rules before), unless that network contains an ignored address or
    /// overlaps an ignored network, then the address alone.
    /// </summary>
    private string CountedId(string id)
    {
        if (!BanPrefix.Enabled || IpEntry.FromId(id) is not { } address || BanPrefix.NetworkOf(address) is not { } network)
        {
            return id;
        }

        if (Ignore.TouchesNetwork(network))
        {
            Log.BanPrefixIgnored(_filterLog, Name, id, network.ToString());
            return id;
        }

        return network.ToString();
    }

    /// <summary>
    /// The ignore checks, through the jail's <c>ignorecache</c> when one is set (a cached answer is not logged again):
    /// true when ignored; null when its ignorecommand did not end within <see cref="IgnoreCommandPatience"/>, and the
    /// failure is then ignored or counted when the command ends (<see cref="TakeLater"/>).
    /// </summary>
    private async Task<bool?> IsIgnoredAsync(PendingFailure failure)
    {
        string? cacheKey = null;
        if (IgnoreCache is { } cache)
        {
            var tags = Tags(new BanTicket(failure.Id, failure.Time) { Matches = failure.Matches, Data = failure.Data }, _context.Now());
            if (cache.LooksUpNames)
            {
                // <ip-host> in the key: a reverse lookup, answered by a name server the attacker may run
                var key = Task.Run(() => cache.KeyFor(tags));
                if (!await EndsSoonAsync(key, Log.IgnoreCacheKeySlow).ConfigureAwait(false))
                {
                    _later.Add((key, () => IgnoreCacheKeyFoundAsync(failure, key.Result)));
                    return null;
                }

                cacheKey = await key.ConfigureAwait(false);
            }
            else
            {
                cacheKey = cache.KeyFor(tags);
            }
        }

        return await IsIgnoredByKeyAsync(failure, cacheKey).ConfigureAwait(false);
    }

    /// <summary>Under the gate, once a slow <c>ignorecache</c> key was made: the checks go on as they would have.</summary>
    private async Task IgnoreCacheKeyFoundAsync(PendingFailure failure, string cacheKey)
    {
        if (!IsRunning || Idle)
        {
            return;
        }

        if (await IsIgnoredByKeyAsync(failure, cacheKey).ConfigureAwait(false) is false)
        {
            await CountFailureAsync(failure).ConfigureAwait(false);
        }

        ReportEvictions();
    }

    /// <summary><see cref="IsIgnoredAsync"/> once the <c>ignorecache</c> key (null without a cache) is known.</summary>
    private async Task<bool?> IsIgnoredByKeyAsync(PendingFailure failure, string? cacheKey)
    {
        if (cacheKey is not null && IgnoreCache!.Entries.TryGet(cacheKey, out var cached))
        {
            return cached;
        }

        var reason = await Ignore.CheckAsync(failure.Id, runCommand: null, _stopping.Token).ConfigureAwait(false);
        if (reason is null && Ignore.Command.Length > 0)
        {
            // on a thread of its own from the start: filling the command in may look up names too (<ip-host>)
            var run = Task.Run(() => RunIgnoreCommandAsync(failure, _stopping.Token));
            if (!await EndsSoonAsync(run, Log.IgnoreCommandSlow).ConfigureAwait(false))
            {
                _later.Add((run, () => IgnoreCommandEndedAsync(failure, cacheKey, run.Result)));
                return null;
            }

            reason = await run.ConfigureAwait(false) ? "command" : null;
        }

        return Verdict(failure.Id, reason, cacheKey);
    }

    /// <summary>Records the outcome of the ignore checks (cache, log line); true when ignored.</summary>
    private bool Verdict(string id, string? reason, string? cacheKey)
    {
        if (cacheKey is not null)
        {
            IgnoreCache!.Entries.Set(cacheKey, reason is not null);
        }

        if (reason is not null)
        {
            Log.Ignore(_filterLog, Name, id, reason);
        }

        return reason is not null;
    }

    /// <summary>Under the gate, once a slow ignorecommand ended: the failure is ignored or counted as it would have been.</summary>
    private async Task IgnoreCommandEndedAsync(PendingFailure failure, string? cacheKey, bool ignore)
    {
        if (!IsRunning || Idle)
        {
            return;
        }

        if (!Verdict(failure.Id, ignore ? "command" : null, cacheKey))
        {
            await CountFailureAsync(failure).ConfigureAwait(false);
        }

        ReportEvictions();
    }

    /// <summary>
    /// Whether <paramref name="run"/> ends within <see cref="IgnoreCommandPatience"/> (waited for under the gate). After a
    /// command that did not, the next minute's are not waited for at all, so a flood of slow ones costs the gate nothing.
    /// </summary>
    /// <param name="slow">The warning when it did not (logger, jail, seconds).</param>
    private async Task<bool> EndsSoonAsync(Task run, Action<ILogger, string, double> slow)
    {
        var now = _context.Now();
        if (run.IsCompleted || now < _ignoreCommandSlowUntil)
        {
            return run.IsCompleted;
        }

        using var waited = new CancellationTokenSource();
        await Task.WhenAny(run, Task.Delay(IgnoreCommandPatience, _context.Time, waited.Token)).ConfigureAwait(false);
        await waited.CancelAsync().ConfigureAwait(false);
        if (run.IsCompleted)
        {
            return true;
        }

        _ignoreCommandSlowUntil = _context.Now() + 60;
        slow(_filterLog, Name, IgnoreCommandPatience.TotalSeconds);
        return false;
    }

    private async Task<bool> RunIgnoreCommandAsync(PendingFailure failure, CancellationToken cancellationToken)
    {
        var ticket = new BanTicket(failure.Id, failure.Time) { Matches = failure.Matches, Data = failure.Data };
        var command = ActionTemplate.SubstituteDynamic(Ignore.Command, Tags(ticket, _context.Now()));
        var result = await _context.Processes.RunAsync(command, TimeSpan.FromSeconds(CommandAction.DefaultTimeoutSeconds), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode is not (0 or 1) || result.TimedOut)
        {
            Log.IgnoreCommandFailed(_filterLog, Name, Ignore.Command, result.ExitCode);
        }

        return result.Success;
    }

    /// <summary>A failure on its way through the ignore checks to the failure manager.</summary>
    private sealed record PendingFailure(string Id, double Time, IReadOnlyList<string> Matches, IReadOnlyDictionary<string, object?> Data, int Count, bool IntegerTime);
}

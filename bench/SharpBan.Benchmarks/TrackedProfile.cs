using System.Diagnostics;
using System.Globalization;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Benchmarks;

/// <summary>
/// Stopwatch harness (<c>tracked [ADDRESSES] [MAXTRACKED]</c>): memory per tracked-but-not-banned address and ns per
/// failure line, through the sshd filter and a jail's failure manager as the daemon feeds it (a snapshot of the hit's
/// groups, its lines), for an attacker using a new IPv6 address for every line. MAXTRACKED -1 keeps the manager's
/// default.
/// </summary>
internal static class TrackedProfile
{
    public static int Run(int addresses, int maxTracked)
    {
        var lines = Enumerable.Range(0, addresses)
            .Select(static i => string.Create(CultureInfo.InvariantCulture, $"Aug 14 11:58:59 host sshd[{1000 + (i % 30000)}]: Failed password for invalid user u{i % 1000} from 2001:db8:{i >> 16:x}:{i & 0xffff:x}::1 port 4242 ssh2"))
            .ToArray();
        for (var pass = 1; pass <= 3; pass++)
        {
            var filter = NewFilter();
            var failures = NewManager(maxTracked);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var sw = Stopwatch.StartNew();
            foreach (var line in lines)
            {
                Feed(filter, failures, line);
            }

            var elapsed = sw.Elapsed;
            var after = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pass {pass}: {addresses} unique addresses, {failures.Count} tracked: {(after - before) / (double)Math.Max(1, failures.Count):F0} bytes per tracked address, {(after - before) / 1048576.0:F1} MiB, {elapsed.TotalNanoseconds / addresses:F0} ns/line"));
            GC.KeepAlive(filter);
            GC.KeepAlive(failures);
        }

        // repeated addresses (the steady state of a brute force from a few hosts): existing tickets updated
        var repeated = lines.Take(1000).ToArray();
        var repeatedFilter = NewFilter();
        var repeatedManager = NewManager(maxTracked);
        repeatedManager.MaxRetry = int.MaxValue;
        for (var warm = 0; warm < 20; warm++)
        {
            foreach (var line in repeated)
            {
                Feed(repeatedFilter, repeatedManager, line);
            }
        }

        var rsw = Stopwatch.StartNew();
        for (var round = 0; round < 200; round++)
        {
            foreach (var line in repeated)
            {
                Feed(repeatedFilter, repeatedManager, line);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"repeated: 1000 addresses x 200: {rsw.Elapsed.TotalNanoseconds / (200.0 * repeated.Length):F0} ns/line"));
        return 0;
    }

    private static FailManager NewManager(int maxTracked)
    {
        var manager = new FailManager { MaxRetry = 5, FindTime = 600, MaxMatches = 5 };
        if (maxTracked >= 0)
        {
            SetMaxTracked(manager, maxTracked);
        }

        return manager;
    }

    /// <summary>Set through reflection so that the harness also runs against a manager without the option (the baseline).</summary>
    private static void SetMaxTracked(FailManager manager, int value) =>
        (typeof(FailManager).GetProperty("MaxTracked") ?? throw new InvalidOperationException("this FailManager has no MaxTracked")).SetValue(manager, value);

    /// <summary>One line as the daemon's jail handles it (<c>Jail.HandleHitsAsync</c>/<c>AddFailureAsync</c>, without ignore rules).</summary>
    private static void Feed(LogFilter filter, FailManager failures, string line)
    {
        foreach (var hit in filter.ProcessLine(line))
        {
            if (!hit.IsFailure)
            {
                continue;
            }

            _ = failures.AddFailure(hit.Id!, hit.Time ?? 0, [.. hit.Matches.Select(static m => m.ToString())], hit.TicketData(), 1, hit.IntegralTime);
        }
    }

    private static LogFilter NewFilter()
    {
        var clock = new DateClock(TimeProvider.System, TimeZoneInfo.Utc);
        return new LogFilter(
            new FilterSettings
            {
                PrefRegex = @"^ \S+ sshd\[<F-MLFID>\d+</F-MLFID>\]: <F-CONTENT>.+</F-CONTENT>$",
                FailRegex = [@"^Failed \S+ for (?:invalid user )?<F-USER>\S+</F-USER> from <HOST>(?: port \d+)?(?: ssh\d*)?\s*$"],
                DatePattern = "{^LN-BEG}",
            },
            FilterMode.Server with { CheckFindTime = false },
            clock,
            new DateTemplateCache(DateTime.UnixEpoch.Year + 56));
    }
}

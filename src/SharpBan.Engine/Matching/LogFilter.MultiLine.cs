using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching;

/// <summary>The <c>&lt;F-MLFID&gt;</c> session state machine (NOFAIL / MLFFORGET / MLFGAINED).</summary>
internal sealed partial class LogFilter
{
    private const int NoFail = 1;
    private const int Forget = 2;
    private const int PreviousNoFail = 4;
    private const int Gained = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static HashSet<string>? UpdateUsers(FailureData fail, object? user)
    {
        var users = fail.GetValueOrDefault("users") as HashSet<string>;
        if (user is string u && u.Length > 0)
        {
            if (users is null || users.Count == 0)
            {
                fail["users"] = users = new HashSet<string>(StringComparer.Ordinal);
            }

            users.Add(u);
        }

        return users;
    }

    private static bool Pop(FailureData d, string key) => d.Remove(key, out var v) && PyValue.IsTrue(v);

    /// <param name="kept">True when the returned dictionary is the session the cache holds after this hit (it changes
    /// with the session's next hits); false when the session was forgotten or never kept.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private FailureData MergeFailure(string mlfid, FailureData fail, RegexHit hit, out bool kept)
    {
        kept = false;
        _mlfidCache ??= new ExpiringCache<FailureData>(_clock.Time);
        var now = _mlfidCache.Now; // one reading for the lookup and the insertion (fail2ban reads twice, microseconds apart)
        var cached = _mlfidCache.TryGet(mlfid, now, out var session) ? session : null;
        HashSet<string>? users = null;
        var flags = 0;
        if (PyValue.IsTrue(fail.GetValueOrDefault("mlfgained")))
        {
            flags |= Gained | NoFail;
            if (!PyValue.IsTrue(fail.GetValueOrDefault("nofail")))
            {
                fail["nofail"] = fail["mlfgained"];
            }
        }
        else if (PyValue.IsTrue(fail.GetValueOrDefault("nofail")))
        {
            flags |= NoFail;
        }

        if (Pop(fail, "mlfforget"))
        {
            flags |= Forget;
        }

        if (cached is not null)
        {
            users = UpdateUsers(cached, fail.GetValueOrDefault("user"));
            if (Pop(cached, "nofail"))
            {
                flags |= PreviousNoFail;
            }

            if (Pop(cached, "mlfgained"))
            {
                flags |= PreviousNoFail;
            }

            if ((flags & Gained) != 0)
            {
                cached.Remove("mlfpending");
            }

            if ((flags & PreviousNoFail) == 0 && !PyValue.IsTrue(cached.GetValueOrDefault("mlfpending")))
            {
                cached.Remove("matches");
            }

            foreach (var (k, v) in fail)
            {
                if (v is not null)
                {
                    cached[k] = v;
                }
            }

            fail = cached;
            if ((flags & Forget) != 0)
            {
                _mlfidCache.Unset(mlfid);
            }
            else
            {
                kept = true;
            }
        }
        else if ((flags & Forget) == 0)
        {
            users = UpdateUsers(fail, fail.GetValueOrDefault("user"));
            _mlfidCache.Set(mlfid, fail, now);
            kept = true;
        }

        if (Pop(fail, "mlfpending") | (users is { Count: > 1 }))
        {
            fail.Remove("nofail");
            fail.Remove("mlfgained");
            flags &= ~(Gained | NoFail);
        }

        if ((flags & NoFail) == 0)
        {
            var earlier = fail.Remove("nofail-matches", out var nm) ? nm as List<LineTuple> : null;
            var matches = Matches(fail);
            var gained = (flags & Gained) != 0;
            var m = new List<LineTuple>((earlier?.Count ?? 0) + matches.Count + (gained ? 0 : hit.Matched.Count));
            if (earlier is not null)
            {
                m.AddRange(earlier);
            }

            m.AddRange(matches);
            if (!gained)
            {
                m.AddRange(hit.Matched);
            }

            fail["matches"] = m;
        }
        else if ((flags & (NoFail | Forget)) == NoFail)
        {
            fail["nofail-matches"] = Concat(fail.GetValueOrDefault("nofail-matches") as List<LineTuple>, hit.Matched);
        }

        return fail;
    }
}

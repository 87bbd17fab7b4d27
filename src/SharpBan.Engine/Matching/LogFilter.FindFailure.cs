using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching;

/// <summary>The per-line search: early ignore check, prefregex, failregexes, ignoreregex veto, id resolution.</summary>
internal sealed partial class LogFilter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Join(IReadOnlyList<LineTuple> lines)
    {
        if (lines.Count == 1)
        {
            return string.Concat(lines[0].Before, lines[0].After, "\n");
        }

        var sb = new System.Text.StringBuilder();
        foreach (var l in lines)
        {
            sb.Append(l.Before).Append(l.After).Append('\n');
        }

        return sb.ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int? IgnoreLine(string buffer, IReadOnlyList<LineTuple> orgBuffer, RegexHit? failHit)
    {
        if (failHit is not null && _maxLines > 1)
        {
            orgBuffer = failHit.Matched;
            buffer = Join(orgBuffer);
        }

        int? found = null;
        for (var i = 0; i < _ignoreRegex.Length; i++)
        {
            if (_ignoreRegex[i].Search(buffer, orgBuffer) is null)
            {
                continue;
            }

            found = i;
            OnIgnoreRegex?.Invoke(i);
            if ((!Mode.CheckAllRegex || _maxLines > 1) && failHit is not null)
            {
                _lineBuffer = failHit.Unmatched;
            }

            if (!Mode.CheckAllRegex)
            {
                break;
            }
        }

        return found;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<FilterHit> FindFailure(LineTuple tupleLine, double? date, bool noDate, PreparedBuffer? prepared, bool integral)
    {
        var failList = new List<FilterHit>();
        var defCidr = _useDns == UseDns.Raw || Mode.ReturnRawHost ? IpText.Raw : IpText.Unspecified;
        List<LineTuple> orgBuffer;
        if (_maxLines > 1)
        {
            _lineBuffer.Add(tupleLine);
            if (_lineBuffer.Count > _maxLines)
            {
                _lineBuffer = _lineBuffer[^_maxLines..];
            }

            orgBuffer = _lineBuffer;
        }
        else
        {
            orgBuffer = _lineBuffer = [tupleLine];
        }

        _contentTail = null;

        string? buf = prepared?.Buffer ?? Join(orgBuffer);
        var searchFrom = 0; // the failregexes see buf from here on (one-line buffers: the prefregex content is its tail)
        if (_ignoreRegex.Length > 0 && _ignoreRegex.Length < _failRegex.Length - 2 && IgnoreLine(buf, orgBuffer, null) is not null)
        {
            // the prefregex did not run: fail2ban-regex reports its previous state and groups again (LastPref* kept)
            return failList;
        }

        if (KeepPrefGroups)
        {
            LastPrefGroups = null;
        }

        if (prepared?.Skipped ?? NoFailRegexCanMatch(buf))
        {
            LastPrefRegexMatched = prepared?.PrefMatched ?? PrefRegexMatchTracked(buf, KeepPrefGroups);
            return failList;
        }

        PrefHit? pref = null;
        LastPrefRegexMatched = false;
        if (_prefRegex is not null)
        {
            pref = prepared is null ? _prefRegex.SearchPref(buf) : prepared.Pref;
            if (pref is null)
            {
                return failList;
            }

            _linePref = pref;

            LastPrefRegexMatched = true;
            if (KeepPrefGroups)
            {
                LastPrefGroups = pref.ToDictionary();
            }

            if (_maxLines == 1 && _ignoreRegex.Length == 0 && pref.IsBufferTail(buf, out searchFrom))
            {
                // the content is the buffer's tail, which the failregexes search in place; the buffer's one line (the
                // content) is built only if LineBuffer is read before the next line
                _contentTail = buf;
                _contentTailStart = searchFrom;
            }
            else if (pref.Content is var content && PyValue.IsTrue(content))
            {
                _lineBuffer = [new LineTuple("", "", (string)content!)];
                searchFrom = 0;
                buf = null; // the failregexes see the content and a line break (the ignoreregexes as a string of its own)
            }
        }

        // hits found ahead on the reader thread hold for as long as the buffer stays the one they were searched in
        var preparedHits = prepared?.FailHits;
        for (var index = 0; index < _failRegex.Length; index++)
        {
            var failRegex = _failRegex[index];
            RegexHit? hit;
            if (preparedHits is not null)
            {
                hit = preparedHits[index];
            }
            else
            {
                buf ??= Join(_lineBuffer);
                hit = failRegex.Search(buf, orgBuffer, searchFrom, ownLines: _maxLines == 1);
            }

            if (hit is null)
            {
                continue;
            }

            var fail = hit.Groups(pref);
            failRegex.Regex.Recycle(hit.Match); // the failure's data is out of it; the hit's lines are kept apart
            if (_ignoreRegex.Length > 0 && IgnoreLine(buf ??= Join(_lineBuffer), orgBuffer, hit) is not null)
            {
                buf = null;
                searchFrom = 0;
                preparedHits = null;
                if (!Mode.CheckAllRegex)
                {
                    break;
                }

                continue;
            }

            if (noDate)
            {
                TimingWarnings?.NoDate(tupleLine.Date, hit.Matched);
                if (date is null && Mode.CheckFindTime)
                {
                    continue;
                }
            }

            if (!Mode.CheckAllRegex || _maxLines > 1)
            {
                _lineBuffer = hit.Unmatched;
                _contentTail = null;
                buf = null;
                searchFrom = 0;
                preparedHits = null;
            }

            var cidr = defCidr;
            var raw = defCidr == IpText.Raw;

            var mlfid = fail.GetValueOrDefault("mlfid") as string;
            var sessionKept = false;
            if (mlfid is not null)
            {
                fail = MergeFailure(mlfid, fail, hit, out sessionKept);
                if (PyValue.IsTrue(fail.GetValueOrDefault("nofail")) && !Mode.CheckAllRegex)
                {
                    return failList;
                }
            }
            else
            {
                fail["matches"] = Concat(fail.GetValueOrDefault("matches") as List<LineTuple>, hit.Matched);
            }

            // a tuple id (F-TUPLE_ID…) is a raw id: its text is the tuple's repr, and it never equals the address
            var fidValue = fail.GetValueOrDefault("fid");
            var fidTuple = fidValue as object?[];
            var fid = fidTuple is null ? fidValue as string : PyValue.TupleRepr(fidTuple);
            string? ip;
            if (fail.GetValueOrDefault("ip4") is string ip4)
            {
                ip = ip4;
                cidr = CidrOf(fail) ?? IpText.FamilyV4;
                raw = true;
            }
            else if (fail.GetValueOrDefault("ip6") is string ip6)
            {
                ip = ip6;
                cidr = CidrOf(fail) ?? IpText.FamilyV6;
                raw = true;
            }
            else
            {
                ip = fail.GetValueOrDefault("dns") as string;
                if (ip is null)
                {
                    if (fid is null && mlfid is null)
                    {
                        // a regex without any id group that still matched (prefregex supplied the group): no id
                        continue;
                    }

                    ip = fid;
                    raw = true;
                }
            }

            List<string?> fids;
            if (ip is null)
            {
                fail["mlfpending"] = 1;
                if (!Mode.CheckAllRegex && Mode.IgnorePending)
                {
                    return failList;
                }

                fids = [null];
            }
            else if (raw)
            {
                if (fidTuple is not null)
                {
                    // a tuple id stays as it is; an address beside it (not the tuple itself) is the failure's ip
                    if (!ReferenceEquals(ip, fid))
                    {
                        fail["ip"] = IpText.Normalize(ip, cidr);
                    }
                }
                else if (fid is null || fid == ip)
                {
                    fid = IpText.Normalize(ip, cidr);
                }
                else
                {
                    fail["ip"] = IpText.Normalize(ip, cidr);
                    fid = IpText.Normalize(fid, defCidr);
                }

                fids = [fid];
            }
            else if (TextToIp(ip) is { } addresses)
            {
                fids = [.. addresses];
            }
            else
            {
                // the resolver answers later and the failure is counted then: the hit keeps what the session is now
                failList.Add(new FilterHit(index, null, date, sessionKept ? Snapshot(fail) : fail) { IntegralTime = integral, UnresolvedHost = ip });
                if (!Mode.CheckAllRegex)
                {
                    break;
                }

                continue;
            }

            if (Mode.CheckAllRegex && sessionKept)
            {
                fail = Copy(fail); // the session goes on changing in the cache; the hit keeps what it is now
            }

            foreach (var id in fids)
            {
                failList.Add(new FilterHit(index, id, date, fail) { IntegralTime = integral });
            }

            if (!Mode.CheckAllRegex)
            {
                break;
            }
        }

        return failList;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int? CidrOf(FailureData fail) =>
        fail.GetValueOrDefault("cidr") is string c && c.Length > 0 && int.TryParse(c, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>A new list: the lines of <paramref name="first"/> (if any), then those of <paramref name="second"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<LineTuple> Concat(List<LineTuple>? first, List<LineTuple> second)
    {
        var all = new List<LineTuple>((first?.Count ?? 0) + second.Count);
        if (first is not null)
        {
            all.AddRange(first);
        }

        all.AddRange(second);
        return all;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<LineTuple> Matches(FailureData fail) =>
        fail.GetValueOrDefault("matches") as List<LineTuple> ?? [];

    private static FailureData Copy(FailureData fail) => new(fail);

    /// <summary>A copy whose <c>matches</c> list is its own too (a session's list grows with its later lines).</summary>
    private static FailureData Snapshot(FailureData fail)
    {
        var copy = Copy(fail);
        if (copy.GetValueOrDefault("matches") is List<LineTuple> matches)
        {
            copy["matches"] = new List<LineTuple>(matches);
        }

        return copy;
    }

    /// <summary>
    /// A host name: an address inside the text, else DNS (usedns yes/warn); null when the resolver answers later
    /// (<see cref="IDnsResolver.TryResolve"/>).
    /// </summary>
    private IReadOnlyList<string>? TextToIp(string text)
    {
        var normalized = IpText.Normalize(text, IpText.Unspecified);
        if (normalized != text || IpText.TryParseV4(text, out _))
        {
            return [normalized];
        }

        if (_useDns is UseDns.Yes or UseDns.Warn)
        {
            if (_dns.TryResolve(text) is not { } resolved)
            {
                return null;
            }

            var addresses = ResolvedIds(resolved);
            if (_useDns == UseDns.Warn && addresses.Count > 0)
            {
                _dns.Determined(text, addresses);
            }

            return addresses;
        }

        return [];
    }

    /// <summary>The failure ids of a host name's addresses (normalized, each once).</summary>
    public static List<string> ResolvedIds(IReadOnlyList<string> resolved) =>
        [.. resolved.Select(static a => IpText.Normalize(a, IpText.Unspecified)).Distinct(StringComparer.Ordinal)];
}

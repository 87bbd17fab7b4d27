using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace SharpBan.Engine.Matching.Regex;

using DotNetRegex = System.Text.RegularExpressions.Regex;

/// <summary>
/// Hands a <see cref="Match"/> nobody reads any more back to the regex that made it, so that its next successful search
/// fills it again instead of allocating a new one.
/// </summary>
/// <remarks>
/// .NET keeps one <see cref="Match"/> in a regex's cached runner and reuses it for failed searches, but gives it away
/// with every success, together with an array per group: 400–700 bytes on every line for the date, again for the
/// prefregex and for each failregex hit. A caller that has read all it needs puts the match back into the idle runner's
/// slot (taken and returned with the same exchange .NET uses, so a runner busy on another thread is left alone).
/// <para>
/// The match must be dead: nothing may read it after <see cref="Return"/>, because the next search overwrites it. A
/// match whose <see cref="Match.Groups"/> was read is never taken back (its cached <see cref="Group"/> objects would
/// keep the old spans). The private fields are checked once at start-up against the public API; if the layout differs
/// or the reuse does not happen, <see cref="Return"/> does nothing and every search allocates, with the same results.
/// </para>
/// </remarks>
internal static class MatchRecycler
{
    private static readonly bool Enabled = ReuseWorks();

    /// <summary>True when matches are reused on this runtime.</summary>
    public static bool IsEnabled => Enabled;

    /// <summary>Gives <paramref name="match"/>, a success of <paramref name="regex"/> that nobody reads any more, back to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Return(DotNetRegex regex, Match match)
    {
        if (Enabled && match.Success && ReferenceEquals(OwnerOf(match), regex) && GroupCollectionOf(match) is null)
        {
            Put(regex, match);
        }
    }

    private static void Put(DotNetRegex regex, Match match)
    {
        ref var slot = ref RunnerOf(regex);
        var runner = Interlocked.Exchange(ref slot, null);
        if (runner is null)
        {
            return; // busy on another thread (or never used): that search allocates as before
        }

        ref var spare = ref SpareOf(runner);
        spare ??= match;
        Volatile.Write(ref slot, runner);
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_runner")]
    private static extern ref RegexRunner? RunnerOf(DotNetRegex regex);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "runmatch")]
    private static extern ref Match? SpareOf(RegexRunner runner);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_regex")]
    private static extern ref DotNetRegex? OwnerOf(Match match);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_groupcoll")]
    private static extern ref GroupCollection? GroupCollectionOf(Match match);

    /// <summary>
    /// Searches a few inputs with a regex whose matches are returned and with one whose are not: the same spans every
    /// time, and the returned match is really the one filled again. Anything else, or a missing field, disables reuse.
    /// </summary>
    private static bool ReuseWorks()
    {
        const string Pattern = "(a)(?<n>b)?(?:(c)|d)+(?<e>x)?";
        try
        {
            var reused = new DotNetRegex(Pattern, RegexOptions.CultureInvariant);
            var fresh = new DotNetRegex(Pattern, RegexOptions.CultureInvariant);
            var refilled = 0;
            Match? previous = null;
            foreach (var input in (ReadOnlySpan<string>)["zacdcx", "abd", "q", "abcx", "zad", "acdcdc"])
            {
                var m = reused.Match(input);
                var expected = fresh.Match(input);
                if (m.Success != expected.Success)
                {
                    return false;
                }

                if (!m.Success)
                {
                    continue;
                }

                refilled += ReferenceEquals(m, previous) ? 1 : 0;
                var names = reused.GetGroupNumbers();
                foreach (var n in names)
                {
                    // read through the capture arrays as the engine does (the public Groups would pin the match)
                    var got = MatchGroups.TryGet(m, n, dense: true, out var index, out var length);
                    var want = expected.Groups[n];
                    if (got != want.Success || (got && (index != want.Index || length != want.Length)))
                    {
                        return false;
                    }
                }

                if (m.Index != expected.Index || m.Length != expected.Length)
                {
                    return false;
                }

                previous = m;
                Put(reused, m);
            }

            return refilled >= 3;
        }
        catch (MissingMemberException)
        {
            return false; // deliberate: another runtime's layout; every search allocates, with the same results
        }
    }
}

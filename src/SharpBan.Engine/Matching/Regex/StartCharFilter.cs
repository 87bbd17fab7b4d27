using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// For a pattern anchored at the start of the input (<c>^…</c>, not multi-line): the characters a match can begin with,
/// position by position for its first few characters, found once and kept as a small automaton. A line that starts
/// with none of them cannot match, and the regex engine is not started for it.
/// </summary>
/// <remarks>
/// The point is the date-template walk: a <c>{^LN-BEG}</c> filter tries up to 17 anchored templates on a line with no
/// date at its start (an access log line beginning with an address), each a regex call of 40–120 ns. Most templates
/// begin with a month name, a four-digit year or <c>@</c>, which the first character already rules out; those that
/// begin with a digit (a day, an hour, a two-digit year, an epoch) are ruled out by the next few characters
/// (<c>192.0.2.7</c> has no separator where a date has one). A check reads at most <see cref="Depth"/> characters, one
/// table lookup each, whatever the pattern. Building it takes up to a couple of milliseconds for a large case-insensitive
/// pattern, so <see cref="PyRegex"/> builds it in the background for patterns that proved busy.
/// The analysis over-approximates: lookarounds and anchors count as empty, back-references as "anything from here on",
/// case-insensitive letters also admit every non-ASCII character (case folding maps some, like the Kelvin sign, onto
/// ASCII letters), and anything not understood (<c>(?x)</c>, class subtraction, a malformed pattern) gives no filter.
/// Whatever it misses only costs speed.
/// </remarks>
internal sealed partial class StartCharFilter
{
    private readonly Automaton _automaton;

    private StartCharFilter(Automaton automaton) => _automaton = automaton;

    /// <summary>False when <paramref name="input"/> (searched from its start) certainly does not match.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayMatch(ReadOnlySpan<char> input) => _automaton.Accepts(input);

    /// <summary>The filter of a .NET pattern, or null when it is not anchored, may match empty, or starts with anything.</summary>
    public static StartCharFilter? Create(string pattern, bool multiline) => CreateAny([pattern], multiline);

    /// <summary>
    /// One filter for several patterns, which rejects an input only when each of them would: null when one of them has
    /// no filter of its own.
    /// </summary>
    public static StartCharFilter? CreateAny(IReadOnlyList<string> patterns, bool multiline)
    {
        if (multiline || patterns.Count == 0)
        {
            return null;
        }

        var paths = new List<Path>();
        foreach (var pattern in patterns)
        {
            try
            {
                if (new Parser(pattern).AnchoredStart() is not { HasEmpty: false } prefixes)
                {
                    return null;
                }

                paths.AddRange(prefixes.Paths);
            }
            catch (FormatException)
            {
                return null; // deliberate: a construct the analysis does not know; the regex still runs on every input
            }
        }

        return paths.All(static p => p.Chars.All(static s => s.IsAll)) ? null : new StartCharFilter(Automaton.Build(paths));
    }
}

using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// For a pattern anchored at the start of the input (<c>^…</c>, not multi-line): the characters a match can begin with,
/// found once at load. A line whose first character is not one of them cannot match, and the regex engine is not
/// started for it.
/// </summary>
/// <remarks>
/// The point is the date-template walk: a <c>{^LN-BEG}</c> filter tries up to 17 anchored templates on a line with no
/// date at its start (an access log line beginning with an address), each a regex call of 40–60 ns. Most templates
/// begin with a month name, a four-digit year or <c>@</c>, which the first character already rules out.
/// The analysis over-approximates: lookarounds and anchors count as empty, back-references as "anything, maybe empty",
/// case-insensitive letters also admit every non-ASCII character (case folding maps some, like the Kelvin sign, onto
/// ASCII letters), and anything not understood (<c>(?x)</c>, class subtraction, a malformed pattern) gives no filter.
/// Whatever it misses only costs speed.
/// </remarks>
internal sealed partial class StartCharFilter
{
    private readonly CharSet _first;

    private StartCharFilter(CharSet first) => _first = first;

    /// <summary>False when <paramref name="input"/> (searched from its start) certainly does not match.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayMatch(ReadOnlySpan<char> input) => input.Length > 0 && _first.Contains(input[0]);

    /// <summary>The filter of a .NET pattern, or null when it is not anchored, may match empty, or starts with anything.</summary>
    public static StartCharFilter? Create(string pattern, bool multiline)
    {
        if (multiline)
        {
            return null;
        }

        try
        {
            var parser = new Parser(pattern);
            var first = parser.AnchoredStart();
            return first is { IsAll: false } set ? new StartCharFilter(set) : null;
        }
        catch (FormatException)
        {
            return null; // deliberate: a construct the analysis does not know; the regex still runs on every input
        }
    }
}

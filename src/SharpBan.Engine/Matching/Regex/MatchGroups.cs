using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace SharpBan.Engine.Matching.Regex;

using DotNetRegex = System.Text.RegularExpressions.Regex;

/// <summary>
/// The span of a group of a successful <see cref="Match"/>, read without creating <see cref="Group"/> objects.
/// </summary>
/// <remarks>
/// The first <c>match.Groups[n]</c> of a match builds a <see cref="GroupCollection"/> and a <see cref="Group"/> for
/// every group of the regex (date templates have 8 to 12): about half of what a date match allocates, on every line.
/// The spans are already in the match's capture arrays; they are read here through <see cref="UnsafeAccessorAttribute"/>.
/// The layout is checked once at start-up against the public API on a known regex; if it ever differs (another
/// runtime), every read goes through <c>match.Groups</c> instead, with the same results.
/// </remarks>
internal static class MatchGroups
{
    private static readonly bool Direct = LayoutMatches();

    /// <summary>True when this runtime's capture arrays are read directly (false: the slower public API is used).</summary>
    public static bool ReadsCaptureArrays => Direct;

    /// <summary>
    /// True when <paramref name="regex"/> numbers its groups 0…n−1 (no explicit numbers), so that a group number is its
    /// slot in the capture arrays; only then may <see cref="TryGet"/> be called with <c>direct: true</c>.
    /// </summary>
    public static bool HasDenseNumbers(DotNetRegex regex)
    {
        var numbers = regex.GetGroupNumbers();
        for (var i = 0; i < numbers.Length; i++)
        {
            if (numbers[i] != i)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Index and length of the last capture of group <paramref name="number"/>; false when it did not participate.</summary>
    /// <param name="dense">From <see cref="HasDenseNumbers"/> for the regex that produced <paramref name="match"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGet(Match match, int number, bool dense, out int index, out int length)
    {
        if (Direct && dense)
        {
            var count = MatchCount(match)[number];
            if (count > 0)
            {
                var caps = Matches(match)[number];
                index = caps[(count * 2) - 2];
                length = caps[(count * 2) - 1];
                return index >= 0 && length >= 0 && index + length <= Input(match)!.Length; // an engine fault is no capture
            }

            index = length = 0;
            return false;
        }

        var g = match.Groups[number];
        index = g.Index;
        length = g.Length;
        return g.Success;
    }

    /// <summary>The value of group <paramref name="number"/>, or null when it did not participate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string? Value(Match match, int number, bool dense)
    {
        if (Direct && dense)
        {
            return TryGet(match, number, dense, out var index, out var length) ? Input(match)!.Substring(index, length) : null;
        }

        try
        {
            var g = match.Groups[number];
            return g.Success ? g.Value : null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // deliberate: an engine fault's capture outside the input counts as no capture
        }
    }

    /// <summary>The span of group <paramref name="number"/>, empty when it did not participate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<char> Span(Match match, int number, bool dense, out bool success)
    {
        if (Direct && dense)
        {
            success = TryGet(match, number, dense, out var index, out var length);
            return success ? Input(match).AsSpan(index, length) : default;
        }

        var g = match.Groups[number];
        try
        {
            success = g.Success;
            return g.ValueSpan;
        }
        catch (ArgumentOutOfRangeException)
        {
            success = false; // deliberate: as in Value
            return default;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_matches")]
    private static extern ref int[][] Matches(Match match);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Text")]
    private static extern string? Input(Capture capture);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_matchcount")]
    private static extern ref int[] MatchCount(Match match);

    /// <summary>Reads a few matches both ways; any difference or missing field means the public API is used.</summary>
    private static bool LayoutMatches()
    {
        try
        {
            var regex = new DotNetRegex("(a)(?<n>b)?(?:(c)|d)+(?<e>x)?", RegexOptions.CultureInvariant);
            foreach (var input in (ReadOnlySpan<string>)["zacdc", "abd", "abcx"])
            {
                var m = regex.Match(input);
                if (!ReferenceEquals(Input(m), input))
                {
                    return false;
                }

                var counts = MatchCount(m);
                var caps = Matches(m);
                for (var n = 0; n < regex.GetGroupNumbers().Length; n++)
                {
                    var g = m.Groups[n];
                    var c = counts[n];
                    if (g.Success != c > 0 || (c > 0 && (caps[n][(c * 2) - 2] != g.Index || caps[n][(c * 2) - 1] != g.Length)))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
        catch (MissingMemberException)
        {
            return false; // deliberate: another runtime's layout; the public API gives the same results, more slowly
        }
    }
}

using System.Text;
using static SharpBan.Engine.Matching.Regex.PatternOutline;

namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// Load-time rewrites that only prune: look-aheads for literal text that every way to a match needs anyway, placed where
/// they let the backtracking engine give up on a hopeless way at once. The ways they cut would fail later, so every
/// match, group and failure stays the same; only the time to find out shrinks.
/// </summary>
/// <remarks>
/// <para>
/// Two hints, both made for fail2ban's sshd <c>Failed … for USER from HOST …</c> failregex (the regex alone: 4.4 →
/// 0.8 µs on the commonest failure line) and applied wherever their conditions hold:
/// </para>
/// <list type="bullet">
/// <item><b>A conditional's literal.</b> When a conditional <c>(?(g)LITERAL…|…)</c> comes, in the same branch, after
/// the part that holds group g, every way through g reaches it with g set and needs LITERAL at or after g's end: g's end
/// gets <c>(?=[\d\D]*LITERAL)</c>. sshd's user is <c>(?P&lt;cond_user&gt;\S+)|…</c> and its end
/// <c>(?(cond_user): |…$)</c>; on the common line (no <c>: </c>) that branch used to fail only after every way of
/// reading the host, port and suffix had been tried.</item>
/// <item><b>The literal after a group with branches.</b> When a group is followed directly by a literal, each of its
/// branches (and those of groups ending them) that ends in an unbounded greedy loop able to eat that literal's first
/// character gets <c>(?=LITERAL)</c> after the loop. .NET backtracks such a loop one character at a time when it ends a branch
/// (sshd's <c>[^:]+</c> before <c> from </c>), but jumps straight to the literal when a look-ahead names it.</item>
/// </list>
/// <para>
/// Left alone (a hint would not be a necessary condition, or could change which way a match takes): patterns with an
/// <c>i</c> or <c>x</c> flag; anything in a look-behind; a conditional that is quantified or in another branch than g;
/// g inside a look-around, an atomic group or a possessive quantifier below the conditional's group, and groups of
/// those kinds for the second hint (they commit to the first way through, so cutting a way could change which one); a
/// quantified group; literals shorter than two characters.
/// </para>
/// </remarks>
internal static class LookAheadHints
{
    private const int MinimumLiteral = 2;

    /// <summary>Characters escaped in a look-ahead's literal (Python's and .NET's special characters).</summary>
    private const string Special = @"\.^$*+?{}[]|()";

    /// <summary>The pattern with its look-aheads, or <paramref name="pattern"/> itself when none applies.</summary>
    public static string Add(string pattern)
    {
        if (!pattern.Contains('|', StringComparison.Ordinal) && !pattern.Contains("(?(", StringComparison.Ordinal)
            || PatternOutline.Read(pattern) is not { HasCaseOrVerboseFlag: false } outline)
        {
            return pattern;
        }

        var insertions = new List<(int Position, int Rank, string Text)>();
        AddConditionalLiterals(pattern, outline, insertions);
        AddFollowingLiterals(pattern, outline, insertions);
        if (insertions.Count == 0)
        {
            return pattern;
        }

        var output = new StringBuilder(pattern.Length + 32);
        var copied = 0;
        foreach (var (position, _, text) in insertions.OrderBy(static x => x.Position).ThenBy(static x => x.Rank))
        {
            output.Append(pattern, copied, position - copied).Append(text);
            copied = position;
        }

        return output.Append(pattern, copied, pattern.Length - copied).ToString();
    }

    /// <summary>The first hint: at the end of each group a later conditional tests (rank 1: after the second hint's).</summary>
    private static void AddConditionalLiterals(string p, PatternOutline outline, List<(int, int, string)> insertions)
    {
        var hints = new Dictionary<Node, StringBuilder>();
        foreach (var conditional in outline.Groups)
        {
            if (conditional.Kind == NodeKind.Conditional
                && Target(outline, conditional.Reference!) is { } group
                && Literal(p, conditional.BodyStart, conditional.Branches[0].Position) is { Length: >= MinimumLiteral } literal
                && AlwaysAfter(p, group, conditional))
            {
                if (!hints.TryGetValue(group, out var lookAheads))
                {
                    hints[group] = lookAheads = new StringBuilder();
                }

                lookAheads.Append(@"(?=[\d\D]*").Append(Escape(literal)).Append(')');
            }
        }

        foreach (var (group, lookAheads) in hints)
        {
            // a group with branches gets (?:…) so that the hint follows all of them
            var branches = group.Bars.Count > 0;
            insertions.Add((group.Close, 1, branches ? ")" + lookAheads : lookAheads.ToString()));
            if (branches)
            {
                insertions.Add((group.BodyStart, -1, "(?:"));
            }
        }
    }

    /// <summary>The second hint: after the greedy loops that end the branches of a group a literal follows (rank 0).</summary>
    private static void AddFollowingLiterals(string p, PatternOutline outline, List<(int, int, string)> insertions)
    {
        foreach (var group in outline.Groups)
        {
            if (Passable(p, group) && !InLookBehind(group)
                && Literal(p, group.Close + 1, ScopeEnd(group)) is { Length: >= MinimumLiteral } literal)
            {
                BranchEnds(p, group, literal, $"(?={Escape(literal)})", alternation: false, insertions);
            }
        }
    }

    private static void BranchEnds(string p, Node group, string literal, string hint, bool alternation, List<(int, int, string)> insertions)
    {
        alternation |= group.Branches.Count > 1 || group.Kind == NodeKind.Conditional;
        foreach (var end in group.Branches)
        {
            if (end.LastGroup is { } inner)
            {
                if (Passable(p, inner))
                {
                    BranchEnds(p, inner, literal, hint, alternation, insertions);
                }
            }
            else if (alternation && end.LastQuantifier == Quantifier.Greedy && end.LastUnbounded && end.LastItemStart >= 0
                && MayStartWith(p[end.LastItemStart..end.LastItemEnd], literal[0]))
            {
                insertions.Add((end.Position, 0, hint));
            }
        }
    }

    /// <summary>A group a match passes through once, without committing: capturing, plain or conditional, unquantified.</summary>
    private static bool Passable(string p, Node group) =>
        group.Kind is NodeKind.Capture or NodeKind.Plain or NodeKind.Conditional
        && group.Quantifier == Quantifier.None && !p.AsSpan(group.Open).StartsWith("(?>");

    private static bool InLookBehind(Node group)
    {
        for (var n = group.Parent; n is not null; n = n.Parent)
        {
            if (n.Kind == NodeKind.LookBehind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where the branch of the group's parent that holds <paramref name="group"/> ends.</summary>
    private static int ScopeEnd(Node group) => group.Parent!.Branches.First(b => b.Position > group.Close).Position;

    /// <summary>True when the loop's item (Python syntax) can match <paramref name="c"/>, or when that cannot be told.</summary>
    private static bool MayStartWith(string item, char c)
    {
        try
        {
            return System.Text.RegularExpressions.Regex.IsMatch(c.ToString(), "^(?:" + PyRegexTranslator.Translate(item).Pattern + ")$", System.Text.RegularExpressions.RegexOptions.Singleline);
        }
        catch (ArgumentException)
        {
            return true; // deliberate: only the hint's use is at stake, never a result
        }
        catch (PyRegexException)
        {
            return true; // as above
        }
    }

    /// <summary>The capturing group a conditional tests, by number or name.</summary>
    private static Node? Target(PatternOutline outline, string reference)
    {
        var byNumber = reference.Length > 0 && reference.All(char.IsAsciiDigit);
        return outline.Groups.FirstOrDefault(g => g.Kind == NodeKind.Capture
            && (byNumber ? g.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == reference.TrimStart('0') : g.Name == reference));
    }

    /// <summary>The literal text at <paramref name="start"/>, before <paramref name="end"/> (a quantified last character left out).</summary>
    private static string Literal(string p, int start, int end)
    {
        var literal = new StringBuilder();
        var i = start;
        while (i < end)
        {
            var c = p[i];
            if (c == '\\' && i + 1 < end && !char.IsAsciiLetterOrDigit(p[i + 1]))
            {
                literal.Append(p[i + 1]);
                i += 2;
            }
            else if (!Special.Contains(c, StringComparison.Ordinal))
            {
                literal.Append(c);
                i++;
            }
            else
            {
                break;
            }
        }

        if (i < end && p[i] is ('*' or '+' or '?' or '{') && literal.Length > 0)
        {
            literal.Length--;
        }

        return literal.ToString();
    }

    /// <summary>
    /// True when every way through <paramref name="group"/> goes on to <paramref name="conditional"/>, later in the
    /// text, with nothing between them that commits to a way through the group or looks elsewhere.
    /// </summary>
    private static bool AlwaysAfter(string p, Node group, Node conditional)
    {
        var scope = conditional.Parent!;
        if (scope.Kind == NodeKind.LookBehind || InLookBehind(scope))
        {
            return false;
        }

        var part = group; // the element of the scope's sequence that holds the group
        while (part.Parent != scope)
        {
            if (part.Parent is null || Commits(p, part))
            {
                return false;
            }

            part = part.Parent;
        }

        if (Commits(p, part) || part.Close > conditional.Open || scope.Bars.Exists(b => b > part.Close && b < conditional.Open))
        {
            return false;
        }

        return conditional.Quantifier == Quantifier.None;
    }

    /// <summary>A look-around, an atomic group, or a group under a possessive quantifier.</summary>
    private static bool Commits(string p, Node n) =>
        n.Kind is NodeKind.LookAhead or NodeKind.LookBehind || p.AsSpan(n.Open).StartsWith("(?>") || n.Quantifier == Quantifier.Possessive;

    private static string Escape(string literal)
    {
        var escaped = new StringBuilder(literal.Length * 2);
        foreach (var c in literal)
        {
            if (Special.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}

using System.Text;
using static SharpBan.Engine.Matching.Regex.PatternOutline;

namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// A load-time rewrite that only prunes: when a conditional <c>(?(g)LITERAL…|…)</c> comes, in the same branch, after
/// the part of the pattern that holds group g, every match that passes through g reaches the conditional with g set and
/// so needs LITERAL at or after g's end. g's end gets that as a look-ahead, <c>(?=[\d\D]*LITERAL)</c>: the paths it
/// cuts are paths that would fail at the conditional, so every match, group and failure stays the same; only the time to
/// find out shrinks.
/// </summary>
/// <remarks>
/// <para>
/// Why: fail2ban's sshd filter matches <c>Failed password for USER from HOST …</c> with
/// <c>(?P&lt;cond_user&gt;\S+)|…</c> for the user and <c>(?(cond_user): |…$)</c> at the end. On the common line
/// (no <c>: </c> after the port) the first branch fails only after every way of reading the host, port and suffix was
/// tried; the look-ahead after <c>cond_user</c> fails it at once (the regex alone: 4.6 → 1.5 µs a line it runs on).
/// </para>
/// <para>
/// Left alone (the hint would not be a necessary condition, or the literal might mean more than its text): a pattern
/// with an <c>i</c> or <c>x</c> flag; a conditional that is quantified, in a look-behind, or in another branch than g;
/// g inside a look-around, an atomic group or a possessive quantifier below the conditional's group (those commit to
/// the first way through, so cutting a way could change which one); a conditional whose yes-branch does not start with
/// two literal characters.
/// </para>
/// </remarks>
internal static class ConditionalHints
{
    private const int MinimumLiteral = 2;

    /// <summary>Characters escaped in the look-ahead's literal (Python's and .NET's special characters).</summary>
    private const string Special = @"\.^$*+?{}[]|()";

    /// <summary>The pattern with its look-aheads, or <paramref name="pattern"/> itself when none applies.</summary>
    public static string Add(string pattern)
    {
        if (!pattern.Contains("(?(", StringComparison.Ordinal) || PatternOutline.Read(pattern) is not { HasCaseOrVerboseFlag: false } outline)
        {
            return pattern;
        }

        var hints = new Dictionary<Node, StringBuilder>();
        foreach (var conditional in outline.Groups)
        {
            if (conditional.Kind == NodeKind.Conditional
                && Target(outline, conditional.Reference!) is { } group
                && YesLiteral(pattern, conditional) is { Length: >= MinimumLiteral } literal
                && AlwaysAfter(pattern, group, conditional))
            {
                if (!hints.TryGetValue(group, out var lookAheads))
                {
                    hints[group] = lookAheads = new StringBuilder();
                }

                lookAheads.Append(@"(?=[\d\D]*").Append(Escape(literal)).Append(')');
            }
        }

        if (hints.Count == 0)
        {
            return pattern;
        }

        // from the end, so that earlier positions stay valid; a group with branches gets (?:…) so the hint follows all
        var output = new StringBuilder(pattern);
        foreach (var (group, lookAheads) in hints.OrderByDescending(static h => h.Key.Open))
        {
            var branches = group.Bars.Count > 0;
            output.Insert(group.Close, branches ? ")" + lookAheads : lookAheads.ToString());
            if (branches)
            {
                output.Insert(group.BodyStart, "(?:");
            }
        }

        return output.ToString();
    }

    /// <summary>The capturing group a conditional tests, by number or name.</summary>
    private static Node? Target(PatternOutline outline, string reference)
    {
        var byNumber = reference.Length > 0 && reference.All(char.IsAsciiDigit);
        return outline.Groups.FirstOrDefault(g => g.Kind == NodeKind.Capture
            && (byNumber ? g.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == reference.TrimStart('0') : g.Name == reference));
    }

    /// <summary>The literal text the conditional's yes-branch starts with (a quantified last character left out).</summary>
    private static string YesLiteral(string p, Node conditional)
    {
        var end = conditional.Bars.Count > 0 ? conditional.Bars[0] : conditional.Close;
        var literal = new StringBuilder();
        var i = conditional.BodyStart;
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
        for (var n = scope; n is not null; n = n.Parent)
        {
            if (n.Kind == NodeKind.LookBehind)
            {
                return false;
            }
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

        var next = conditional.Close + 1;
        return next >= p.Length || p[next] is not ('*' or '+' or '?' or '{');
    }

    /// <summary>A look-around, an atomic group, or a group under a possessive quantifier.</summary>
    private static bool Commits(string p, Node n)
    {
        if (n.Kind is NodeKind.LookAhead or NodeKind.LookBehind || p.AsSpan(n.Open).StartsWith("(?>"))
        {
            return true;
        }

        var i = n.Close + 1;
        if (i < p.Length && p[i] == '{')
        {
            i = p.IndexOf('}', i);
            if (i < 0)
            {
                return false;
            }
        }
        else if (i >= p.Length || p[i] is not ('*' or '+' or '?'))
        {
            return false;
        }

        return i + 1 < p.Length && p[i + 1] == '+';
    }

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

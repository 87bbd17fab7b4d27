using System.Buffers;
using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// A necessary condition for a .NET pattern to match, found once at load: literal text that every match contains
/// (and, for a pattern starting with <c>^</c>, text every matching input starts with). Checking it is a vectorised
/// <c>IndexOf</c>, far cheaper than starting the regex engine on a line that cannot match.
/// </summary>
/// <remarks>
/// Literal runs are read at the top level and through plain groups (no quantifier, no alternation); classes and escapes
/// that are not plain characters end a run and a quantified character is dropped from its run. An alternation (at the
/// top level or in a group that must match) gives "one of these literals" when every branch has one. Any inline option
/// (<c>(?i)</c>, <c>(?x)</c>, …) anywhere disables the filter. Whatever the analysis misses only costs speed.
/// </remarks>
internal sealed class LiteralPrefilter
{
    private static readonly LiteralPrefilter None = new(null, null, null);

    private readonly SearchValues<string>? _anyOf;

    private LiteralPrefilter(string? prefix, string? required, string[]? anyOf)
    {
        Prefix = prefix;
        Required = required;
        AnyOf = anyOf;
        _anyOf = anyOf is null ? null : SearchValues.Create(anyOf, StringComparison.Ordinal);
    }

    /// <summary>Text the input must start with (pattern begins <c>^literal</c>, not multi-line), or null.</summary>
    public string? Prefix { get; }

    /// <summary>The longest literal every match contains, or null.</summary>
    public string? Required { get; }

    /// <summary>Literals of which every match contains at least one (the branches of an alternation), or null.</summary>
    public IReadOnlyList<string>? AnyOf { get; }

    public bool IsEmpty => Prefix is null && Required is null && AnyOf is null;

    /// <summary>False when <paramref name="input"/> certainly does not match (searched from its start).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool MayMatch(ReadOnlySpan<char> input) =>
        (Prefix is null || input.StartsWith(Prefix, StringComparison.Ordinal))
        && (Required is null || input.Contains(Required, StringComparison.Ordinal))
        && (_anyOf is null || input.ContainsAny(_anyOf));

    /// <summary>False when no substring of <paramref name="text"/> can match (the prefix may start anywhere).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool MayMatchWithin(ReadOnlySpan<char> text) =>
        (Prefix is null || text.Contains(Prefix, StringComparison.Ordinal))
        && (Required is null || text.Contains(Required, StringComparison.Ordinal))
        && (_anyOf is null || text.ContainsAny(_anyOf));

    /// <summary>
    /// The most selective literals of which a match contains at least one (the longest shortest member among the
    /// required literal, the prefix and the alternation set), or null when the filter is empty.
    /// </summary>
    public IReadOnlyList<string>? Anchors
    {
        get
        {
            IReadOnlyList<string>? best = AnyOf;
            foreach (var single in (ReadOnlySpan<string?>)[Required, Prefix])
            {
                if (single is not null && (best is null || single.Length > best.Min(static a => a.Length)))
                {
                    best = [single];
                }
            }

            return best;
        }
    }

    /// <summary>True when some literal holds a line break (it could span two buffer lines).</summary>
    public bool HasLineBreak =>
        (Prefix?.Contains('\n', StringComparison.Ordinal) ?? false) || (Required?.Contains('\n', StringComparison.Ordinal) ?? false)
        || (AnyOf?.Any(static a => a.Contains('\n', StringComparison.Ordinal)) ?? false);

    /// <summary>Analyses a .NET pattern; <paramref name="multiline"/> when <c>^</c> may match after a newline.</summary>
    public static LiteralPrefilter Create(string pattern, bool multiline)
    {
        foreach (var option in (ReadOnlySpan<string>)["(?i", "(?m", "(?s", "(?x", "(?n", "(?-", "(?#"])
        {
            if (pattern.Contains(option, StringComparison.Ordinal))
            {
                return None; // options change what a literal matches (and may reach across branches)
            }
        }

        var top = Alternatives(pattern, 0, pattern.Length);
        if (top is null)
        {
            return None;
        }

        if (top.Count > 1)
        {
            return new LiteralPrefilter(null, null, BranchLiterals(top));
        }

        string[]? anyOf = null;
        var runs = new List<(bool AtStart, string Text)>();
        var run = new System.Text.StringBuilder();
        var anchored = !multiline && pattern.StartsWith('^');
        var runAtStart = false;
        var broken = false; // something other than literal text was met since the start
        var inlined = 0; // groups whose parentheses are ignored (no alternation, no quantifier)
        var i = anchored ? 1 : 0;

        void EndRun()
        {
            broken = true;
            if (run.Length > 0)
            {
                runs.Add((runAtStart, run.ToString()));
                run.Clear();
            }
        }

        void Append(char ch)
        {
            if (run.Length == 0)
            {
                runAtStart = anchored && !broken;
            }

            run.Append(ch);
        }

        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case '|':
                    return None;
                case '(':
                    var end = SkipGroup(pattern, i);
                    if (end < 0)
                    {
                        return None;
                    }

                    var body = GroupBody(pattern, i);
                    var quantifier = end < pattern.Length ? pattern[end] : '\0';
                    var branches = body > 0 ? Alternatives(pattern, body, end - 1) : null;
                    if (branches is { Count: 1 } && quantifier is not ('?' or '*' or '+' or '{'))
                    {
                        inlined++; // read through the parentheses
                        i = body;
                        continue;
                    }

                    if (branches is { Count: > 1 } && quantifier is not ('?' or '*' or '{')
                        && BranchLiterals(branches) is { } literals
                        && (anyOf is null || literals.Min(static l => l.Length) > anyOf.Min(static l => l.Length)))
                    {
                        anyOf = literals; // the group must match: one of its branches' literals is in the input
                    }

                    EndRun();
                    i = end;
                    continue;
                case '[':
                    EndRun();
                    i = SkipClass(pattern, i);
                    if (i < 0)
                    {
                        return None;
                    }

                    continue;
                case '*' or '?' or '{':
                    if (run.Length > 0)
                    {
                        run.Length--;
                    }

                    EndRun();
                    i = c == '{' ? SkipBrace(pattern, i) : i + 1;
                    continue;
                case '+':
                    EndRun();
                    i++;
                    continue;
                case ')' when inlined > 0:
                    inlined--;
                    i++;
                    continue;
                case '.' or '^' or '$' or ')':
                    EndRun();
                    i++;
                    continue;
                case '\\':
                    if (i + 1 >= pattern.Length)
                    {
                        return None;
                    }

                    var e = pattern[i + 1];
                    if (!char.IsAsciiLetterOrDigit(e) && e != '_')
                    {
                        Append(e);
                        i += 2;
                        continue;
                    }

                    EndRun();
                    i = SkipEscape(pattern, i);
                    continue;
                default:
                    Append(c);
                    i++;
                    continue;
            }
        }

        EndRun();
        var prefix = runs.Count > 0 && runs[0].AtStart ? runs[0].Text : null;

        var others = prefix is null ? runs : runs.Skip(1);
        var longest = others.Any() ? others.MaxBy(static r => r.Text.Length).Text : null;
        return new LiteralPrefilter(prefix, longest, anyOf);
    }

    /// <summary>The required literal of each branch, or null when some branch has none.</summary>
    private static string[]? BranchLiterals(List<string> branches)
    {
        var literals = new string[branches.Count];
        for (var b = 0; b < branches.Count; b++)
        {
            var f = Create(branches[b], multiline: true);
            if (f.Required is not { Length: > 0 } r)
            {
                return null;
            }

            literals[b] = r;
        }

        return literals;
    }

    /// <summary>Start of the body of a capturing or <c>(?:</c> group opened at <paramref name="open"/>, else -1.</summary>
    private static int GroupBody(string p, int open)
    {
        if (p[open + 1] != '?')
        {
            return open + 1;
        }

        if (p[open + 2] == ':')
        {
            return open + 3;
        }

        if (p[open + 2] == '<' && p[open + 3] is not ('=' or '!'))
        {
            var close = p.IndexOf('>', open + 3);
            return close < 0 ? -1 : close + 1;
        }

        return -1; // lookaround, conditional, atomic group, …
    }

    /// <summary>The branches of <c>p[from..to)</c> split at its own-level <c>|</c>; null when unbalanced.</summary>
    private static List<string>? Alternatives(string p, int from, int to)
    {
        var branches = new List<string>();
        var start = from;
        var i = from;
        while (i < to)
        {
            switch (p[i])
            {
                case '\\':
                    i += 2;
                    continue;
                case '[':
                    i = SkipClass(p, i);
                    break;
                case '(':
                    i = SkipGroup(p, i);
                    break;
                case '|':
                    branches.Add(p[start..i]);
                    start = ++i;
                    continue;
                default:
                    i++;
                    continue;
            }

            if (i < 0 || i > to)
            {
                return null;
            }
        }

        branches.Add(p[start..Math.Min(to, p.Length)]);
        return branches;
    }

    /// <summary>Index after the group opened at <paramref name="i"/>, or -1 when unbalanced.</summary>
    private static int SkipGroup(string p, int i)
    {
        var depth = 0;
        while (i < p.Length)
        {
            switch (p[i])
            {
                case '\\':
                    i += 2;
                    continue;
                case '[':
                    i = SkipClass(p, i);
                    if (i < 0)
                    {
                        return -1;
                    }

                    continue;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }

                    break;
            }

            i++;
        }

        return -1;
    }

    /// <summary>Index after the character class opened at <paramref name="i"/>, or -1 when unterminated.</summary>
    private static int SkipClass(string p, int i)
    {
        i++;
        if (i < p.Length && p[i] == '^')
        {
            i++;
        }

        if (i < p.Length && p[i] == ']')
        {
            i++;
        }

        while (i < p.Length)
        {
            switch (p[i])
            {
                case '\\':
                    i += 2;
                    continue;
                case '[':
                    return -1; // subtraction or a nested set: not analysed
                case ']':
                    return i + 1;
            }

            i++;
        }

        return -1;
    }

    private static int SkipBrace(string p, int i)
    {
        var close = p.IndexOf('}', i);
        return close < 0 ? i + 1 : close + 1;
    }

    /// <summary>Index after an escape that is not a plain character (<c>\d</c>, <c>\p{L}</c>, <c>\x41</c>, <c>\1</c>, …).</summary>
    private static int SkipEscape(string p, int i)
    {
        var e = p[i + 1];
        i += 2;
        switch (e)
        {
            case 'p' or 'P' or 'k':
                var close = p.IndexOfAny(['}', '>'], i);
                return close < 0 ? p.Length : close + 1;
            case 'x':
                return Math.Min(p.Length, i + 2);
            case 'u':
                return Math.Min(p.Length, i + 4);
            case 'c':
                return Math.Min(p.Length, i + 1);
            default:
                while (char.IsAsciiDigit(e) && i < p.Length && char.IsAsciiDigit(p[i]))
                {
                    i++;
                }

                return i;
        }
    }
}

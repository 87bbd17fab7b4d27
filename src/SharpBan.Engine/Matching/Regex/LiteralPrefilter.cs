namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// A necessary condition for a .NET pattern to match, found once at load: literal text that every match contains
/// (and, for a pattern starting with <c>^</c>, text every matching input starts with). Checking it is a vectorised
/// <c>IndexOf</c>, far cheaper than starting the regex engine on a line that cannot match.
/// </summary>
/// <remarks>
/// Only top-level literal runs are used: groups, classes and escapes that are not plain characters end a run, a
/// quantified character is dropped from its run, and a top-level alternation or any inline option
/// (<c>(?i)</c>, <c>(?x)</c>, …) disables the filter. Whatever the analysis misses only costs speed.
/// </remarks>
internal sealed class LiteralPrefilter
{
    private LiteralPrefilter(string? prefix, string? required)
    {
        Prefix = prefix;
        Required = required;
    }

    /// <summary>Text the input must start with (pattern begins <c>^literal</c>, not multi-line), or null.</summary>
    public string? Prefix { get; }

    /// <summary>The longest literal every match contains, or null.</summary>
    public string? Required { get; }

    public bool IsEmpty => Prefix is null && Required is null;

    /// <summary>False when <paramref name="input"/> certainly does not match (searched from its start).</summary>
    public bool MayMatch(ReadOnlySpan<char> input) =>
        (Prefix is null || input.StartsWith(Prefix, StringComparison.Ordinal))
        && (Required is null || input.Contains(Required, StringComparison.Ordinal));

    /// <summary>Analyses a .NET pattern; <paramref name="multiline"/> when <c>^</c> may match after a newline.</summary>
    public static LiteralPrefilter Create(string pattern, bool multiline)
    {
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
                    return new LiteralPrefilter(null, null);
                case '(':
                    if (i + 2 < pattern.Length && pattern[i + 1] == '?' && (pattern[i + 2] is 'i' or 'm' or 's' or 'x' or 'n' or '-' or '#'))
                    {
                        return new LiteralPrefilter(null, null); // inline options or comments: not analysed
                    }

                    var end = SkipGroup(pattern, i);
                    if (end < 0)
                    {
                        return new LiteralPrefilter(null, null);
                    }

                    var body = InlinableBody(pattern, i, end);
                    if (body > 0)
                    {
                        inlined++;
                        i = body;
                        continue;
                    }

                    EndRun();
                    i = end;
                    continue;
                case '[':
                    EndRun();
                    i = SkipClass(pattern, i);
                    if (i < 0)
                    {
                        return new LiteralPrefilter(null, null);
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
                        return new LiteralPrefilter(null, null);
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
        return new LiteralPrefilter(prefix, longest);
    }

    /// <summary>
    /// Where the body of the group <c>p[open..end)</c> starts when the group can be read as plain sequence — a capturing or
    /// <c>(?:</c> group, not quantified, without alternation at its own level — else -1.
    /// </summary>
    private static int InlinableBody(string p, int open, int end)
    {
        if (end < p.Length && p[end] is '?' or '*' or '+' or '{')
        {
            return -1;
        }

        int body;
        if (p[open + 1] != '?')
        {
            body = open + 1;
        }
        else if (p[open + 2] == ':')
        {
            body = open + 3;
        }
        else if (p[open + 2] == '<' && p[open + 3] is not ('=' or '!'))
        {
            body = p.IndexOf('>', open + 3) + 1;
        }
        else
        {
            return -1; // lookaround, conditional, atomic group, …
        }

        for (var i = body; i > 0 && i < end - 1;)
        {
            switch (p[i])
            {
                case '\\':
                    i += 2;
                    break;
                case '[':
                    i = SkipClass(p, i);
                    break;
                case '(':
                    i = SkipGroup(p, i);
                    break;
                case '|':
                    return -1;
                default:
                    i++;
                    break;
            }

            if (i < 0)
            {
                return -1;
            }
        }

        return body > 0 && body < end ? body : -1;
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

namespace SharpBan.Engine.Matching.Regex;

/// <summary>Python's rule that a look-behind matches a fixed number of characters (.NET accepts any width).</summary>
internal static partial class PySyntaxCheck
{
    private const int Unbounded = int.MaxValue;

    /// <summary>
    /// "look-behind requires fixed-width pattern" when a <c>(?&lt;=…)</c> or <c>(?&lt;!…)</c> body can match texts of
    /// different lengths; null otherwise, and null when a width cannot be told (a back-reference inside).
    /// </summary>
    private static string? LookbehindError(string p)
    {
        for (var i = 0; i + 3 < p.Length; i++)
        {
            if (p[i] == '\\')
            {
                i++;
                continue;
            }

            if (p[i] == '[')
            {
                i = SkipSet(p, i, out _) - 1;
                if (i < 0)
                {
                    return null;
                }

                continue;
            }

            if (p[i] == '(' && p[i + 1] == '?' && p[i + 2] == '<' && p[i + 3] is '=' or '!')
            {
                var at = i + 4;
                if (Width(p, ref at) is { } width && width.Min != width.Max)
                {
                    return "look-behind requires fixed-width pattern";
                }
            }
        }

        return null;
    }

    /// <summary>Minimum and maximum length of the alternation starting at <paramref name="i"/> (up to its closing parenthesis).</summary>
    private static (int Min, int Max)? Width(string p, ref int i)
    {
        (int Min, int Max)? total = null;
        var sequence = (Min: 0, Max: 0);
        while (true)
        {
            if (i >= p.Length || p[i] == ')' || p[i] == '|')
            {
                total = total is { } t ? (Math.Min(t.Min, sequence.Min), Math.Max(t.Max, sequence.Max)) : sequence;
                if (i >= p.Length || p[i] == ')')
                {
                    i++;
                    return total;
                }

                sequence = (0, 0);
                i++;
                continue;
            }

            if (Item(p, ref i) is not { } item)
            {
                return null;
            }

            item = Repeated(p, ref i, item);
            sequence = (Add(sequence.Min, item.Min), Add(sequence.Max, item.Max));
        }
    }

    /// <summary>One item's length range: a character, a class, an escape, an anchor or a group.</summary>
    private static (int Min, int Max)? Item(string p, ref int i)
    {
        var c = p[i];
        switch (c)
        {
            case '\\':
                var e = i + 1 < p.Length ? p[i + 1] : '\0';
                i += 2;
                if (char.IsAsciiDigit(e) && e != '0')
                {
                    return null; // a back-reference: its width is the group's, not worth following
                }

                if (e is 'x')
                {
                    i += 2;
                }
                else if (e is 'u')
                {
                    i += 4;
                }
                else if (e is 'U')
                {
                    i += 8;
                }

                return e is 'b' or 'B' or 'A' or 'Z' ? (0, 0) : (1, 1);
            case '[':
                i = SkipSet(p, i, out _);
                return i < 0 ? null : (1, 1);
            case '^' or '$':
                i++;
                return (0, 0);
            case '(':
                return Group(p, ref i);
            default:
                i++;
                return (1, 1);
        }
    }

    private static (int Min, int Max)? Group(string p, ref int i)
    {
        if (i + 1 < p.Length && p[i + 1] != '?')
        {
            i++;
            return Width(p, ref i);
        }

        var rest = p.AsSpan(i + 2);
        if (rest.StartsWith("P=") || rest.StartsWith("("))
        {
            return null; // a back-reference or a conditional
        }

        if (rest.StartsWith("#"))
        {
            i = CommentEnd(p, i);
            return i < 0 ? null : (0, 0);
        }

        var zeroWidth = rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith("<=") || rest.StartsWith("<!");
        if (rest.StartsWith("P<"))
        {
            i = p.IndexOf('>', i) + 1;
        }
        else if (zeroWidth)
        {
            i += rest[0] == '<' ? 4 : 3;
        }
        else
        {
            var colon = i + 2;
            while (colon < p.Length && p[colon] != ':' && p[colon] != ')')
            {
                colon++;
            }

            if (colon >= p.Length || p[colon] == ')')
            {
                i = colon + 1;
                return (0, 0); // inline flags
            }

            i = colon + 1;
        }

        if (i <= 0 || Width(p, ref i) is not { } inner)
        {
            return null;
        }

        return zeroWidth ? (0, 0) : inner;
    }

    /// <summary>Applies a quantifier after an item (<c>* + ? {m,n}</c>, lazy or possessive).</summary>
    private static (int Min, int Max) Repeated(string p, ref int i, (int Min, int Max) item)
    {
        if (i >= p.Length)
        {
            return item;
        }

        (int Lo, int Hi)? times = null;
        switch (p[i])
        {
            case '*':
                times = (0, Unbounded);
                i++;
                break;
            case '+':
                times = (1, Unbounded);
                i++;
                break;
            case '?':
                times = (0, 1);
                i++;
                break;
            case '{' when IsRepeat(p, i, out var end, out var min, out var max):
                times = (min ?? 0, p.AsSpan(i, end - i).Contains(',') ? max ?? Unbounded : min ?? 0);
                i = end;
                break;
        }

        if (times is not { } t)
        {
            return item;
        }

        if (i < p.Length && p[i] is '?' or '+')
        {
            i++;
        }

        return (Multiply(item.Min, t.Lo), Multiply(item.Max, t.Hi));
    }

    private static int Add(int a, int b) => a == Unbounded || b == Unbounded ? Unbounded : a + b;

    private static int Multiply(int a, int b) => a == 0 || b == 0 ? 0 : a == Unbounded || b == Unbounded ? Unbounded : a * b;
}

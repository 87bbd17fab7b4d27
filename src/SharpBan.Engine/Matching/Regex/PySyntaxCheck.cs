namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// Python's <c>re.error</c> for the structural mistakes people make in a failregex (unbalanced parentheses, an
/// unterminated set, a quantifier with nothing to repeat, a bad escape …), worded and positioned as Python 3.11 does,
/// found by one left-to-right scan of the Python pattern before it is translated. Some of these .NET would accept with
/// another meaning (<c>(?&lt;n&gt;…)</c>, <c>^*</c>), the others it reports in its own words and positions in the translation.
/// The scan only reports what Python certainly rejects; anything else is left to the translator and .NET.
/// </summary>
internal static partial class PySyntaxCheck
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\(\?[aiLmsu-]*x")]
    private static partial System.Text.RegularExpressions.Regex VerboseFlag();

    private const string Escapes = "abBdDfnrsStvwWZAxuUN0123456789";
    private const string ClassEscapes = "abdDfnrsStvwWxuUN0123456789";

    private enum Last
    {
        Nothing,
        Anchor,
        Atom,
        Repeat,
        LazyOrPossessive,
    }

    /// <summary>The message (<c>… at position N</c>), or null when none of these mistakes is present.</summary>
    public static string? Error(string p)
    {
        if (VerboseFlag().IsMatch(p))
        {
            return null; // (?x): whitespace and '#' comments change what the characters mean; left to the translator
        }

        var open = new Stack<int>();
        var last = Last.Nothing;
        var atStart = true; // nothing but global flags and comments yet: the only place Python 3.11 takes global flags
        var i = 0;
        while (i < p.Length)
        {
            var c = p[i];
            atStart = atStart && c == '(' && i + 2 < p.Length && p[i + 1] == '?' && (p[i + 2] == '#' || IsFlagsOnly(p, i));
            switch (c)
            {
                case '\\':
                    if (i + 1 >= p.Length)
                    {
                        return $"bad escape (end of pattern) at position {i}";
                    }

                    var e = p[i + 1];
                    if (char.IsAsciiLetter(e) && !Escapes.Contains(e, StringComparison.Ordinal))
                    {
                        return $"bad escape \\{e} at position {i}";
                    }

                    last = e is 'b' or 'B' or 'A' or 'Z' ? Last.Anchor : Last.Atom;
                    i += 2;
                    break;
                case '[':
                    var end = SkipSet(p, i, out var setError);
                    if (setError is not null)
                    {
                        return setError;
                    }

                    last = Last.Atom;
                    i = end;
                    break;
                case '(':
                    if (i + 1 < p.Length && p[i + 1] == '?')
                    {
                        if (i + 2 < p.Length && p[i + 2] == '#')
                        {
                            var commentEnd = CommentEnd(p, i);
                            if (commentEnd < 0)
                            {
                                return $"missing ), unterminated comment at position {i}";
                            }

                            i = commentEnd;
                            break; // a comment is not an item: what precedes it stays repeatable
                        }

                        if (UnknownExtension(p, i + 1) is { } extension)
                        {
                            return extension;
                        }

                        switch (GroupHeader(p, i, out var bodyAt))
                        {
                            case Header.Item:
                                last = Last.Atom; // (?P=name): a back-reference
                                i = bodyAt;
                                continue;
                            case Header.Flags when !atStart:
                                return $"global flags not at the start of the expression at position {i}";
                            case Header.Flags:
                                i = bodyAt; // (?i): not an item
                                continue;
                            case Header.Unknown:
                                return null; // left to the translator (it reports Python's message)
                        }

                        open.Push(i);
                        last = Last.Nothing;
                        i = bodyAt;
                        break;
                    }

                    open.Push(i);
                    last = Last.Nothing;
                    i++;
                    break;
                case ')':
                    if (open.Count == 0)
                    {
                        return $"unbalanced parenthesis at position {i}";
                    }

                    open.Pop();
                    last = Last.Atom;
                    i++;
                    break;
                case '|':
                    last = Last.Nothing;
                    i++;
                    break;
                case '^' or '$':
                    last = Last.Anchor;
                    i++;
                    break;
                case '*' or '+' or '?':
                case '{' when IsRepeat(p, i, out _, out _, out _):
                    var repeatEnd = i + 1;
                    if (c == '{')
                    {
                        _ = IsRepeat(p, i, out repeatEnd, out var min, out var max);
                        if (min is { } lo && max is { } hi && lo > hi)
                        {
                            return $"min repeat greater than max repeat at position {i + 1}";
                        }
                    }

                    switch (last)
                    {
                        case Last.Nothing or Last.Anchor:
                            return $"nothing to repeat at position {i}";
                        case Last.Repeat when c is '?' or '+':
                            last = Last.LazyOrPossessive; // "*?" lazy, "*+" possessive (Python 3.11)
                            break;
                        case Last.Repeat or Last.LazyOrPossessive:
                            return $"multiple repeat at position {i}";
                        default:
                            last = Last.Repeat;
                            break;
                    }

                    i = repeatEnd;
                    break;
                default:
                    last = Last.Atom;
                    i++;
                    break;
            }
        }

        return open.Count > 0 ? $"missing ), unterminated subpattern at position {open.Peek()}" : LookbehindError(p);
    }

    private enum Header
    {
        Group,
        Item,
        Flags,
        Unknown,
    }

    /// <summary>What a <c>(?…</c> at <paramref name="open"/> is, and where its body (or the next item) starts.</summary>
    private static Header GroupHeader(string p, int open, out int bodyAt)
    {
        bodyAt = open + 2;
        var k = bodyAt < p.Length ? p[bodyAt] : '\0';
        switch (k)
        {
            case ':' or '=' or '!' or '>':
                bodyAt++;
                return Header.Group;
            case '<' when bodyAt + 1 < p.Length && p[bodyAt + 1] is '=' or '!':
                bodyAt += 2;
                return Header.Group;
            case 'P' when bodyAt + 1 < p.Length && p[bodyAt + 1] == '<':
                var close = p.IndexOf('>', bodyAt);
                bodyAt = close + 1;
                return close < 0 ? Header.Unknown : Header.Group;
            case 'P' when bodyAt + 1 < p.Length && p[bodyAt + 1] == '=':
                var end = p.IndexOf(')', bodyAt);
                bodyAt = end + 1;
                return end < 0 ? Header.Unknown : Header.Item;
            case '(':
                var condition = p.IndexOf(')', bodyAt);
                bodyAt = condition + 1;
                return condition < 0 ? Header.Unknown : Header.Group;
            default:
                var i = bodyAt;
                while (i < p.Length && "aiLmsux-".Contains(p[i], StringComparison.Ordinal))
                {
                    i++;
                }

                if (i == bodyAt || i >= p.Length)
                {
                    return Header.Unknown;
                }

                bodyAt = i + 1;
                return p[i] switch { ':' => Header.Group, ')' => Header.Flags, _ => Header.Unknown };
        }
    }

    /// <summary>Whether the <c>(?</c> at <paramref name="open"/> is a group of global flags, <c>(?i)</c>, with no body.</summary>
    private static bool IsFlagsOnly(string p, int open) => GroupHeader(p, open, out _) == Header.Flags;

    /// <summary><c>(?</c> followed by something Python does not know, or by <c>&lt;name&gt;</c> (.NET's named group).</summary>
    private static string? UnknownExtension(string p, int question)
    {
        if (question + 1 >= p.Length)
        {
            return null; // "unexpected end of pattern": left to the translator
        }

        var k = p[question + 1];
        if (k == '<')
        {
            var k2 = question + 2 < p.Length ? p[question + 2] : '\0';
            return k2 is '=' or '!' || question + 2 >= p.Length ? null : $"unknown extension ?<{k2} at position {question}";
        }

        return k is ':' or 'P' or '=' or '!' or '(' or '>' or '-' || "aiLmsux".Contains(k, StringComparison.Ordinal)
            ? null
            : $"unknown extension ?{k} at position {question}";
    }

    /// <summary>
    /// The index after the <c>)</c> that ends the <c>(?#…)</c> comment opened at <paramref name="open"/>, or -1 when none
    /// does. Python reads a comment escape by escape, so <c>\)</c> does not end it.
    /// </summary>
    internal static int CommentEnd(string p, int open)
    {
        for (var j = open + 3; j < p.Length; j += p[j] == '\\' ? 2 : 1)
        {
            if (p[j] == ')')
            {
                return j + 1;
            }
        }

        return -1;
    }

    /// <summary>A <c>{m}</c>, <c>{m,}</c>, <c>{,n}</c>, <c>{m,n}</c> or <c>{,}</c> quantifier at <paramref name="at"/> (else a literal brace).</summary>
    internal static bool IsRepeat(string p, int at, out int end, out int? min, out int? max)
    {
        end = at;
        min = max = null;
        var i = at + 1;
        if (i < p.Length && p[i] == '}')
        {
            return false; // "{}" is literal text (Python looks at the next character first)
        }

        var start = i;
        while (i < p.Length && char.IsAsciiDigit(p[i]))
        {
            i++;
        }

        if (i > start)
        {
            min = int.TryParse(p.AsSpan(start, i - start), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
        }

        if (i < p.Length && p[i] == ',')
        {
            i++;
            var start2 = i;
            while (i < p.Length && char.IsAsciiDigit(p[i]))
            {
                i++;
            }

            if (i > start2)
            {
                max = int.TryParse(p.AsSpan(start2, i - start2), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
            }
        }
        else
        {
            max = min;
        }

        if (i >= p.Length || p[i] != '}')
        {
            return false;
        }

        end = i + 1;
        return true;
    }

    /// <summary>Index after the set opened at <paramref name="at"/>; an error for an unterminated set, a bad escape or range.</summary>
    private static int SkipSet(string p, int at, out string? error)
    {
        error = null;
        var i = at + 1;
        if (i < p.Length && p[i] == '^')
        {
            i++;
        }

        var first = true;
        while (i < p.Length)
        {
            if (p[i] == ']' && !first)
            {
                return i + 1;
            }

            first = false;
            var start = i;
            if (!ReadSetItem(p, ref i, out var low, ref error))
            {
                return -1;
            }

            if (i + 1 < p.Length && p[i] == '-' && p[i + 1] != ']')
            {
                i++;
                if (!ReadSetItem(p, ref i, out var high, ref error))
                {
                    return -1;
                }

                if (IsClassEscape(p, start) || IsClassEscape(p, i - 2) || (low is { } lo && high is { } hi && hi < lo))
                {
                    error = $"bad character range {p[start..i]} at position {start}";
                    return -1;
                }
            }
        }

        error = $"unterminated character set at position {at}";
        return -1;
    }

    /// <summary>A <c>\d</c>, <c>\s</c>, <c>\w</c> (or negation) at <paramref name="at"/>: a set, never a range end.</summary>
    private static bool IsClassEscape(string p, int at) =>
        at >= 0 && at + 1 < p.Length && p[at] == '\\' && "dDsSwW".Contains(p[at + 1], StringComparison.Ordinal);

    /// <summary>One set member at <paramref name="i"/>: its character when it is a single plain one (else null).</summary>
    private static bool ReadSetItem(string p, ref int i, out char? single, ref string? error)
    {
        single = null;
        if (i >= p.Length)
        {
            return true; // the caller reports the unterminated set
        }

        if (p[i] != '\\')
        {
            single = p[i++];
            return true;
        }

        if (i + 1 >= p.Length)
        {
            i++;
            return true;
        }

        var e = p[i + 1];
        if (char.IsAsciiLetter(e) && !ClassEscapes.Contains(e, StringComparison.Ordinal))
        {
            error = $"bad escape \\{e} at position {i}";
            return false;
        }

        single = char.IsAsciiLetterOrDigit(e) ? null : e;
        i += 2;
        return true;
    }
}

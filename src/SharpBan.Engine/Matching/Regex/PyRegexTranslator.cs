using System.Globalization;
using System.Text;

namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// Rewrites a Python <c>re</c> pattern into an equivalent .NET pattern, once, at load time.
/// Unnamed capturing groups become named groups <c>__pyN</c> (N = Python group number) so that numbering,
/// numeric back-references and conditionals keep Python's left-to-right meaning.
/// </summary>
internal static class PyRegexTranslator
{
    /// <summary>Prefix of the synthetic names given to Python's unnamed groups; never reported as captures.</summary>
    public const string UnnamedPrefix = "__py";

    /// <summary>Python's <c>\s</c> (str patterns): .NET's whitespace and the separators U+001C–U+001F.</summary>
    internal const string PythonSpace = @"[\s\x1c-\x1f]";

    /// <summary>Python's <c>\S</c>.</summary>
    internal const string PythonNonSpace = @"[^\s\x1c-\x1f]";

    /// <summary>
    /// Python's word characters (str patterns), as class items: letters, every kind of number and <c>_</c>. .NET's
    /// <c>\w</c> also has combining marks and connector punctuation but not <c>²</c> or <c>Ⅳ</c>.
    /// </summary>
    private const string PythonWordItems = @"\p{L}\p{N}_";

    /// <summary>Python's <c>\w</c>.</summary>
    internal const string PythonWord = "[" + PythonWordItems + "]";

    /// <summary>Python's word characters under the ASCII flag (<c>(?a)</c>), as class items.</summary>
    private const string AsciiWord = "a-zA-Z0-9_";

    /// <summary>Python's whitespace under the ASCII flag, as class items.</summary>
    private const string AsciiSpace = @"\t\n\v\f\r\x20";

    public static TranslatedPattern Translate(string pattern)
    {
        var groups = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var output = new StringBuilder(pattern.Length + 16);
        var openGroups = new Stack<int>(); // output index of each open group's '('
        var asciiScopes = new Stack<bool>(); // whether the ASCII flag was on outside each open group
        var ascii = false; // Python's ASCII flag ((?a)): \w, \d, \s and \b only know ASCII
        var verboseScopes = new Stack<bool>(); // whether the verbose flag was on outside each open group
        var verbose = false; // Python's VERBOSE flag ((?x)): whitespace and '#' comments between items are not pattern text
        var atomics = 0; // atomic groups written as a look-ahead and a reference (see AppendAtomic)
        List<(int Number, int At)>? laterGroups = null; // conditionals on groups that open after them, resolved at the end
        var atom = -1; // output index where the last complete item starts (what a quantifier repeats), -1: none
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            var start = output.Length;
            if (verbose && c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f' or '#')
            {
                // kept apart from the items around it (.NET's x option ignores the space), and no item of its own: a
                // quantifier after it repeats the item before, as in Python ("(a) ++" is "(a)++")
                output.Append(' ');
                i = c == '#' ? VerboseCommentEnd(pattern, i) : i + 1;
                continue;
            }

            switch (c)
            {
                case '\\':
                    i = TranslateEscape(pattern, i, groups, output, ascii);
                    atom = start;
                    break;
                case '[':
                    i = CopyClass(pattern, i, output, ascii);
                    atom = start;
                    break;
                case '(':
                    var backReference = pattern.AsSpan(i).StartsWith("(?P=");
                    var closed = backReference || pattern.AsSpan(i).StartsWith("(?#");
                    var outside = ascii;
                    var outsideVerbose = verbose;
                    i = TranslateGroupStart(pattern, i, groups, names, output, ref ascii, ref verbose, ref laterGroups);
                    if (backReference)
                    {
                        atom = start;
                    }
                    else if (!closed && !(pattern[i - 1] == ')' && IsFlagsOnly(pattern, start: i - 1)))
                    {
                        openGroups.Push(start); // also a conditional, whose "(name)" the call consumed
                        asciiScopes.Push(outside);
                        verboseScopes.Push(outsideVerbose);
                    }

                    break;
                case ')' when openGroups.Count > 0:
                    atom = openGroups.Pop();
                    if (IsAtomicGroup(output, atom))
                    {
                        var body = output.ToString(atom + 3, output.Length - atom - 3);
                        output.Length = atom;
                        AppendAtomic(output, body, InLookBehind(output, openGroups), ref atomics);
                    }
                    else
                    {
                        output.Append(')');
                    }

                    ascii = asciiScopes.Pop(); // a scoped (?a:…) ends, and a (?a) inside the group with it
                    verbose = verboseScopes.Pop();
                    i++;
                    break;
                case '*' or '+' or '?':
                    output.Append(c);
                    i = Possessive(pattern, i + 1, output, atom, openGroups, ref atomics);
                    atom = -1;
                    break;
                case '{':
                    var brace = TranslateBrace(pattern, i, output, out var repeat);
                    if (repeat)
                    {
                        i = Possessive(pattern, brace, output, atom, openGroups, ref atomics);
                        atom = -1;
                    }
                    else
                    {
                        i = brace;
                        atom = start;
                    }

                    break;
                case '|' or '^' or '$':
                    output.Append(c);
                    atom = -1;
                    i++;
                    break;
                default:
                    output.Append(c);
                    atom = start;
                    i++;
                    break;
            }
        }

        return new TranslatedPattern(laterGroups is null ? output.ToString() : ResolveLaterGroups(output, groups, laterGroups), groups);
    }

    /// <summary>True when the <c>)</c> at <paramref name="start"/> closes a <c>(?flags)</c> group (global flags, no body).</summary>
    private static bool IsFlagsOnly(string p, int start)
    {
        var j = start - 1;
        while (j >= 0 && "aiLmsux-".Contains(p[j], StringComparison.Ordinal))
        {
            j--;
        }

        return j >= 1 && j < start - 1 && p[j] == '?' && p[j - 1] == '(';
    }

    /// <summary>
    /// After a quantifier: a lazy <c>?</c> is copied; Python 3.11's possessive <c>+</c> (<c>a*+</c>, <c>a{2,3}+</c>), which
    /// .NET lacks, becomes an atomic group around the quantified item (<see cref="AppendAtomic"/>), its exact equivalent.
    /// </summary>
    private static int Possessive(string p, int i, StringBuilder o, int atom, Stack<int> openGroups, ref int atomics)
    {
        if (i < p.Length && p[i] == '+' && atom >= 0)
        {
            var body = o.ToString(atom, o.Length - atom);
            o.Length = atom;
            AppendAtomic(o, body, InLookBehind(o, openGroups), ref atomics);
            return i + 1;
        }

        return i;
    }

    /// <summary>
    /// An atomic group around <paramref name="body"/> (.NET text), written as the classic equivalent: a look-ahead that
    /// captures what the body matches, then a reference to that text (<c>(?:(?=(?&lt;n&gt;a+?b?))\k&lt;n&gt;)</c>), which
    /// commits to the first way the body matches just as an atomic group does. .NET 10's own atomic groups go wrong in
    /// two shapes a generated comparison with Python found: repeated (<c>(?:(?&gt;.?){1,3}b)+</c> finds <c>bxxb</c> in
    /// <c>xbxxb</c>, Python all of it: the repeat no longer gives back an iteration) and around a lazy loop at the start
    /// of a pattern (<c>(?&gt;a+?b?)c</c> finds nothing in <c>aac</c>: after a failed try the search resumes too far on).
    /// Not inside a look-behind, where .NET matches right to left and the reference would read the other side (Python's
    /// look-behinds have a fixed width, so nothing is repeated there). The capture's name has
    /// <see cref="UnnamedPrefix"/>, so it is never reported.
    /// </summary>
    private static void AppendAtomic(StringBuilder o, string body, bool inLookBehind, ref int atomics)
    {
        if (inLookBehind)
        {
            o.Append("(?>").Append(body).Append(')');
            return;
        }

        var name = UnnamedPrefix + "atomic" + (++atomics).ToString(CultureInfo.InvariantCulture);
        o.Append("(?:(?=(?<").Append(name).Append('>').Append(body).Append("))\\k<").Append(name).Append(">)");
    }

    private static bool IsAtomicGroup(StringBuilder o, int start) =>
        o.Length >= start + 3 && o[start] == '(' && o[start + 1] == '?' && o[start + 2] == '>';

    /// <summary>True when one of the open groups (their starts in the output) is a look-behind.</summary>
    private static bool InLookBehind(StringBuilder o, Stack<int> openGroups)
    {
        foreach (var start in openGroups)
        {
            if (o.Length >= start + 4 && o[start] == '(' && o[start + 1] == '?' && o[start + 2] == '<' && o[start + 3] is '=' or '!')
            {
                return true;
            }
        }

        return false;
    }

    private static int TranslateEscape(string p, int i, List<string> groups, StringBuilder o, bool ascii)
    {
        if (i + 1 >= p.Length)
        {
            throw new PyRegexException("bad escape (end of pattern)", i);
        }

        var n = p[i + 1];
        if (n == 'N')
        {
            throw CharacterNameEscape(p, i);
        }

        if (ascii && AsciiEscape(n) is { } item)
        {
            o.Append(item);
            return i + 2;
        }

        if (n == 'Z')
        {
            o.Append("\\z");
            return i + 2;
        }

        if (n is 's' or 'S')
        {
            // Python's whitespace also has the separators \x1c-\x1f, .NET's not: text a log writer controls must not
            // end or split a match differently than in fail2ban
            o.Append(n == 's' ? PythonSpace : PythonNonSpace);
            return i + 2;
        }

        if (n is 'w' or 'W')
        {
            o.Append(n == 'w' ? PythonWord : "[^" + PythonWordItems + "]");
            return i + 2;
        }

        if (n is 'b' or 'B')
        {
            // word boundaries as lookarounds: .NET's own \b and \B are mis-optimised next to some sets and loops
            // (\b[^a]$ finds the wrong match when compiled; \W+\B- finds none), and Python's \B never matches in an
            // empty string, where .NET's does
            o.Append(n == 'b' ? WordBoundary(PythonWord) : NotWordBoundary(PythonWord));
            return i + 2;
        }

        if (n is >= '1' and <= '9')
        {
            // Python: three octal digits are a character; otherwise one or two digits are a group reference
            if (i + 3 < p.Length && IsOctal(p[i + 1]) && IsOctal(p[i + 2]) && IsOctal(p[i + 3]))
            {
                var code = Convert.ToInt32(p.Substring(i + 1, 3), 8);
                if (code > 255)
                {
                    throw new PyRegexException($"octal escape value {p.Substring(i, 4)} outside of range 0-0o377", i);
                }

                o.Append("\\u").Append(code.ToString("x4", CultureInfo.InvariantCulture));
                return i + 4;
            }

            var j = i + 1;
            while (j < p.Length && j < i + 3 && char.IsAsciiDigit(p[j]))
            {
                j++;
            }

            var number = int.Parse(p.AsSpan(i + 1, j - i - 1), CultureInfo.InvariantCulture);
            if (number > groups.Count)
            {
                throw new PyRegexException($"invalid group reference {number}", i + 1);
            }

            o.Append("\\k<").Append(groups[number - 1]).Append('>');
            return j;
        }

        if (n is 'x' or 'u' or 'U')
        {
            // Python wants exactly 2, 4 or 8 hex digits; \U (which .NET lacks) becomes the character itself
            var digits = n switch { 'x' => 2, 'u' => 4, _ => 8 };
            var end = i + 2;
            while (end < p.Length && end < i + 2 + digits && char.IsAsciiHexDigit(p[end]))
            {
                end++;
            }

            if (end - i - 2 < digits)
            {
                throw new PyRegexException($"incomplete escape {p[i..end]}", i);
            }

            var value = long.Parse(p.AsSpan(i + 2, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (value > 0x10FFFF)
            {
                throw new PyRegexException($"bad escape {p[i..end]}", i);
            }

            foreach (var unit in char.ConvertFromUtf32((int)value))
            {
                o.Append("\\u").Append(((int)unit).ToString("x4", CultureInfo.InvariantCulture));
            }

            return end;
        }

        o.Append('\\').Append(n);
        return i + 2;
    }

    /// <summary>
    /// Python's <c>\N{name}</c> (a character by its Unicode name): Python's error when it is malformed; a well-formed one
    /// is refused too, in words (.NET has no table of character names).
    /// </summary>
    private static PyRegexException CharacterNameEscape(string p, int i)
    {
        if (i + 2 >= p.Length || p[i + 2] != '{')
        {
            return new PyRegexException("missing {", i + 2);
        }

        var close = p.IndexOf('}', i + 3);
        if (i + 3 >= p.Length || p[i + 3] == '}')
        {
            return new PyRegexException("missing character name", i + 3);
        }

        return close < 0
            ? new PyRegexException("missing }, unterminated name", i + 3)
            : new PyRegexException($"character names are not supported ({p[i..(close + 1)]}): write the character or its \\uXXXX escape", i);
    }

    /// <summary>Python's <c>\b</c>: a <paramref name="word"/> character on exactly one side.</summary>
    private static string WordBoundary(string word) => $"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))";

    /// <summary>Python's <c>\B</c>: <paramref name="word"/> characters on both sides or on neither, in a string that is not empty.</summary>
    private static string NotWordBoundary(string word) => $@"(?:(?<={word})(?={word})|(?<!{word})(?!{word})(?!\A\z))";

    /// <summary>An escape under Python's ASCII flag, outside a class, or null when the flag does not change it.</summary>
    private static string? AsciiEscape(char n) => n switch
    {
        'w' => "[" + AsciiWord + "]",
        'W' => "[^" + AsciiWord + "]",
        'd' => "[0-9]",
        'D' => "[^0-9]",
        's' => "[" + AsciiSpace + "]",
        'S' => "[^" + AsciiSpace + "]",
        'b' => WordBoundary("[" + AsciiWord + "]"),
        'B' => NotWordBoundary("[" + AsciiWord + "]"),
        _ => null,
    };

    /// <summary>An escape inside a class under Python's ASCII flag, as class items, or null when the flag does not change it.</summary>
    private static string? AsciiClassEscape(char n) => n switch
    {
        'w' => AsciiWord,
        'W' => @"\u0000-\u002f\u003a-\u0040\u005b-\u005e\u0060\u007b-\uffff",
        'd' => "0-9",
        'D' => @"\u0000-\u002f\u003a-\uffff",
        's' => AsciiSpace,
        'S' => @"\u0000-\u0008\u000e-\u001f\u0021-\uffff",
        _ => null,
    };

    /// <summary>Copies a character class; a literal <c>[</c> inside is escaped (avoids .NET class subtraction).</summary>
    /// <remarks>
    /// <c>\s</c> gains Python's separators U+001C–U+001F; a class with <c>\S</c> loses them (by .NET class subtraction)
    /// unless it is negated or could name them otherwise (a range, <c>\s</c>, a numeric escape), where it stays .NET's.
    /// <c>\w</c> becomes Python's letters, numbers and <c>_</c>. A class with <c>\W</c>, the complement of those, has no
    /// .NET spelling as one class: <c>[\W…]</c> becomes <c>(?:[^word]|[…])</c> and <c>[^\W…]</c> <c>(?:(?![…])[word])</c>.
    /// </remarks>
    private static int CopyClass(string p, int i, StringBuilder o, bool ascii)
    {
        var start = o.Length;
        o.Append('[');
        i++;
        var negated = false;
        if (i < p.Length && p[i] == '^')
        {
            o.Append('^');
            negated = true;
            i++;
        }

        var hasItems = false;
        if (i < p.Length && p[i] == ']')
        {
            o.Append("\\]");
            hasItems = true;
            i++;
        }

        var nonSpace = false;
        var nonWord = false;
        var couldNameSeparators = false;
        while (i < p.Length)
        {
            var c = p[i];
            if (c == '\\' && i + 1 < p.Length)
            {
                var e = p[i + 1];
                if (e == 'N')
                {
                    throw CharacterNameEscape(p, i);
                }

                i += 2;
                if (ascii && AsciiClassEscape(e) is { } items)
                {
                    o.Append(items);
                    hasItems = true;
                    continue;
                }

                if (e == 'W')
                {
                    nonWord = true; // added around the class at its end
                    continue;
                }

                hasItems = true;
                nonSpace |= e == 'S';
                couldNameSeparators |= e is 's' or 'x' or 'u' or 'U' or 'N' or (>= '0' and <= '7');
                if (e == 'w')
                {
                    o.Append(PythonWordItems);
                    continue;
                }

                o.Append(c).Append(e);
                if (e == 's')
                {
                    o.Append(@"\x1c-\x1f");
                }

                continue;
            }

            if (c == ']')
            {
                if (nonSpace && !negated && !couldNameSeparators)
                {
                    o.Append(@"-[\x1c-\x1f]");
                }

                o.Append(']');
                if (nonWord)
                {
                    WithNonWord(o, start, negated, hasItems);
                }

                return i + 1;
            }

            hasItems = true;
            couldNameSeparators |= c == '-' || c is >= '\x1c' and <= '\x1f';

            if (c == '[')
            {
                o.Append("\\[");
            }
            else
            {
                o.Append(c);
            }

            i++;
        }

        throw new PyRegexException("unterminated character set", i);
    }

    /// <summary>Adds Python's <c>\W</c> to the class copied from <paramref name="start"/> on (without it).</summary>
    private static void WithNonWord(StringBuilder o, int start, bool negated, bool hasItems)
    {
        var others = o.ToString(start, o.Length - start);
        o.Length = start;
        if (!negated)
        {
            o.Append(hasItems ? "(?:[^" + PythonWordItems + "]|" + others + ")" : "[^" + PythonWordItems + "]");
        }
        else
        {
            o.Append(hasItems ? "(?:(?![" + others[2..] + ")" + PythonWord + ")" : PythonWord);
        }
    }

    /// <summary>A <c>{m}</c>, <c>{m,}</c>, <c>{m,n}</c> or <c>{,n}</c> quantifier (<paramref name="repeat"/>), else a literal brace.</summary>
    private static int TranslateBrace(string p, int i, StringBuilder o, out bool repeat)
    {
        repeat = PySyntaxCheck.IsRepeat(p, i, out var end, out _, out _); // {,n} and {,} repeat too; {} is literal
        if (!repeat)
        {
            o.Append('{');
            return i + 1;
        }

        // Python: x{,n} means x{0,n} and x{,} x{0,}; .NET would read "{,n}" and "{,}" literally.
        o.Append(p[i + 1] == ',' ? "{0" : "{").Append(p, i + 1, end - i - 1);
        return end;
    }

    /// <summary>Stands for the name of a group a conditional refers to before the group opens (never in a pattern: see <see cref="TranslateGroupStart"/>).</summary>
    private const char LaterGroup = '\uFFFF';

    /// <summary>The names of the groups conditionals referred to before the groups opened; Python's error for a group that never does.</summary>
    private static string ResolveLaterGroups(StringBuilder o, List<string> groups, List<(int Number, int At)> laterGroups)
    {
        foreach (var (number, at) in laterGroups)
        {
            if (number > groups.Count)
            {
                throw new PyRegexException($"invalid group reference {number}", at);
            }

            o.Replace(LaterGroup + number.ToString(CultureInfo.InvariantCulture) + LaterGroup, groups[number - 1]);
        }

        return o.ToString();
    }

    private static int TranslateGroupStart(string p, int i, List<string> groups, HashSet<string> names, StringBuilder o, ref bool ascii, ref bool verbose,
        ref List<(int Number, int At)>? laterGroups)
    {
        if (i + 1 >= p.Length || p[i + 1] != '?')
        {
            var name = UnnamedPrefix + (groups.Count + 1).ToString(CultureInfo.InvariantCulture);
            groups.Add(name);
            o.Append("(?<").Append(name).Append('>');
            return i + 1;
        }

        var rest = p.AsSpan(i + 2);
        if (rest.StartsWith("P<"))
        {
            var end = p.IndexOf('>', i + 4);
            if (end < 0)
            {
                throw new PyRegexException("missing >, unterminated name", i);
            }

            var name = p[(i + 4)..end];
            ValidateName(name, i + 4);
            if (!names.Add(name))
            {
                throw new PyRegexException(
                    $"redefinition of group name '{name}' as group {groups.Count + 1}; was group {groups.IndexOf(name) + 1}", i + 4);
            }

            groups.Add(name);
            o.Append("(?<").Append(name).Append('>');
            return end + 1;
        }

        if (rest.StartsWith("P="))
        {
            var end = p.IndexOf(')', i + 4);
            if (end < 0)
            {
                throw new PyRegexException("missing ), unterminated name", i + 4);
            }

            var name = p[(i + 4)..end];
            if (!names.Contains(name))
            {
                throw new PyRegexException($"unknown group name '{name}'", i + 4);
            }

            o.Append("\\k<").Append(name).Append('>');
            return end + 1;
        }

        if (rest.StartsWith("#"))
        {
            var end = PySyntaxCheck.CommentEnd(p, i);
            return end >= 0 ? end : throw new PyRegexException("missing ), unterminated comment", i);
        }

        if (rest.StartsWith("("))
        {
            var end = p.IndexOf(')', i + 3);
            if (end < 0)
            {
                throw new PyRegexException("missing ), unterminated name", i + 3);
            }

            var reference = p[(i + 3)..end];
            string target;
            if (int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                if (number < 1 || number > groups.Count && p.Contains(LaterGroup, StringComparison.Ordinal))
                {
                    throw new PyRegexException($"invalid group reference {number}", i + 3);
                }

                if (number > groups.Count)
                {
                    // Python checks such a reference when the whole pattern is read: the group may open later
                    (laterGroups ??= []).Add((number, i + 3));
                    target = LaterGroup + number.ToString(CultureInfo.InvariantCulture) + LaterGroup;
                }
                else
                {
                    target = groups[number - 1];
                }
            }
            else
            {
                if (!names.Contains(reference))
                {
                    throw new PyRegexException($"unknown group name '{reference}'", i + 3);
                }

                target = reference;
            }

            o.Append("(?(").Append(target).Append(')');
            return end + 1;
        }

        if (rest.Length > 0 && (char.IsAsciiLetterLower(rest[0]) || rest[0] == 'L') || rest.StartsWith("-"))
        {
            return TranslateFlags(p, i, o, ref ascii, ref verbose);
        }

        // (?: (?= (?! (?<= (?<! are identical in .NET
        o.Append("(?");
        return i + 2;
    }

    /// <summary>
    /// Inline flags <c>(?aiLmsux)</c> or scoped <c>(?flags-flags:…)</c>; u and a are dropped (Unicode is the default),
    /// <c>a</c> turning <paramref name="ascii"/> on for the rest of the enclosing group or the scoped group.
    /// </summary>
    private static int TranslateFlags(string p, int i, StringBuilder o, ref bool ascii, ref bool verbose)
    {
        var j = i + 2;
        var flags = new StringBuilder();
        var off = false;
        while (j < p.Length && (char.IsAsciiLetter(p[j]) || p[j] == '-'))
        {
            var f = p[j];
            if (f == 'L')
            {
                throw new PyRegexException("bad inline flags: cannot use 'L' flag with a str pattern", j + 1);
            }

            ascii |= f == 'a'; // only ever turned on: Python refuses to turn it off
            off |= f == '-';
            verbose = f == 'x' ? !off : verbose; // a scoped (?-x:…) turns it off until its end
            if (f is not ('u' or 'a'))
            {
                if (f is not ('i' or 'm' or 's' or 'x' or '-'))
                {
                    throw new PyRegexException($"unknown flag '{f}'", j);
                }

                flags.Append(f);
            }

            j++;
        }

        if (j >= p.Length || p[j] is not (')' or ':'))
        {
            throw new PyRegexException("missing -, : or )", j);
        }

        var f2 = flags.ToString();
        if (f2.Length == 0 || f2 == "-")
        {
            // only unicode/ascii flags: a global no-op, or a plain non-capturing group
            if (p[j] == ':')
            {
                o.Append("(?:");
            }

            return j + 1;
        }

        o.Append("(?").Append(f2).Append(p[j]);
        return j + 1;
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    /// <summary>
    /// Where a verbose pattern's <c>#</c> comment at <paramref name="hash"/> ends: after the next line break, or at the
    /// pattern's end. Python reads it escape by escape, so an escaped line break does not end it.
    /// </summary>
    private static int VerboseCommentEnd(string p, int hash)
    {
        for (var j = hash + 1; j < p.Length; j += p[j] == '\\' ? 2 : 1)
        {
            if (p[j] == '\n')
            {
                return j + 1;
            }
        }

        return p.Length;
    }

    private static void ValidateName(string name, int at)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(static ch => ch == '_' || char.IsLetterOrDigit(ch)))
        {
            throw new PyRegexException($"bad character in group name '{name}'", at);
        }
    }
}

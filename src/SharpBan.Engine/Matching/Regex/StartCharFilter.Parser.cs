using System.Globalization;

namespace SharpBan.Engine.Matching.Regex;

internal sealed partial class StartCharFilter
{
    /// <summary>Recursive descent over .NET pattern syntax computing (first characters, may match empty).</summary>
    private sealed partial class Parser(string pattern)
    {
        private int _pos;
        private bool _ignoreCase;
        private bool _multiline;

        /// <summary>The first characters of the whole pattern when it starts with <c>^</c> (after leading options); else all.</summary>
        public CharSet AnchoredStart()
        {
            while (_pos < pattern.Length && pattern[_pos] == '(' && Peek(1) == '?' && IsOptionGroup(_pos + 2, out var end, out var scoped) && !scoped)
            {
                ApplyOptions(_pos + 2, end);
                _pos = end + 1;
            }

            if (_multiline || _pos >= pattern.Length || pattern[_pos] != '^')
            {
                return CharSet.All;
            }

            _pos++;
            var (first, nullable, alternation) = Alternation();
            if (_pos != pattern.Length)
            {
                throw new FormatException("unbalanced ')'");
            }

            // a top-level '|' puts the anchor on the first branch only
            return nullable || alternation ? CharSet.All : first;
        }

        private char Peek(int ahead) => _pos + ahead < pattern.Length ? pattern[_pos + ahead] : '\0';

        private (CharSet First, bool Nullable, bool HadBar) Alternation()
        {
            var (first, nullable) = Sequence();
            var bar = false;
            while (_pos < pattern.Length && pattern[_pos] == '|')
            {
                bar = true;
                _pos++; // an inline option lasts to the end of its group, through later branches too
                var (f, n) = Sequence();
                first.Add(f);
                nullable |= n;
            }

            return (first, nullable, bar);
        }

        private (CharSet First, bool Nullable) Sequence()
        {
            var first = default(CharSet);
            var nullable = true;
            while (_pos < pattern.Length && pattern[_pos] is not ('|' or ')'))
            {
                var (f, n) = Quantified();
                if (nullable)
                {
                    first.Add(f);
                    nullable = n;
                }
            }

            return (first, nullable);
        }

        private (CharSet First, bool Nullable) Quantified()
        {
            var (first, nullable) = Atom();
            while (_pos < pattern.Length)
            {
                var c = pattern[_pos];
                if (c is '*' or '?')
                {
                    nullable = true;
                    _pos++;
                }
                else if (c == '+')
                {
                    _pos++;
                }
                else if (c == '{' && TryBrace(out var min))
                {
                    nullable |= min == 0;
                }
                else
                {
                    break;
                }

                if (_pos < pattern.Length && pattern[_pos] == '?')
                {
                    _pos++; // lazy
                }
            }

            return (first, nullable);
        }

        /// <summary>A <c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> quantifier at the cursor (consumed); false for a literal brace.</summary>
        private bool TryBrace(out int min)
        {
            var i = _pos + 1;
            var start = i;
            while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
            {
                i++;
            }

            min = 0;
            if (i == start || i >= pattern.Length || !int.TryParse(pattern.AsSpan(start, i - start), CultureInfo.InvariantCulture, out min))
            {
                return false;
            }

            if (pattern[i] == ',')
            {
                i++;
                while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
                {
                    i++;
                }
            }

            if (i >= pattern.Length || pattern[i] != '}')
            {
                return false;
            }

            _pos = i + 1;
            return true;
        }

        private (CharSet First, bool Nullable) Atom()
        {
            var c = pattern[_pos];
            switch (c)
            {
                case '(':
                    return Group();
                case '[':
                    return (Class(), false);
                case '\\':
                    return Escape(inClass: false);
                case '.':
                    _pos++;
                    return (CharSet.All, false);
                case '^' or '$':
                    _pos++;
                    return (default, true);
                case '*' or '+' or '?':
                    throw new FormatException("quantifier without an atom");
                default:
                    _pos++;
                    return (Literal(c), false);
            }
        }

        private CharSet Literal(char c)
        {
            var set = default(CharSet);
            set.Add(c);
            if (_ignoreCase)
            {
                set.FoldCase();
            }

            return set;
        }

        private (CharSet First, bool Nullable) Group()
        {
            var saved = _ignoreCase;
            _pos++; // '('
            var zeroWidth = false;
            var conditional = false;
            if (_pos < pattern.Length && pattern[_pos] == '?')
            {
                var k = pattern.Length > _pos + 1 ? pattern[_pos + 1] : '\0';
                var k2 = pattern.Length > _pos + 2 ? pattern[_pos + 2] : '\0';
                if (k is ':' or '>')
                {
                    _pos += 2;
                }
                else if (k is '=' or '!' || (k == '<' && k2 is '=' or '!'))
                {
                    _pos += k == '<' ? 3 : 2;
                    zeroWidth = true;
                }
                else if (k is '<' or '\'')
                {
                    var close = pattern.IndexOf(k == '<' ? '>' : '\'', _pos + 2);
                    if (close < 0)
                    {
                        throw new FormatException("unterminated group name");
                    }

                    _pos = close + 1;
                }
                else if (k == '#')
                {
                    var close = pattern.IndexOf(')', _pos);
                    if (close < 0)
                    {
                        throw new FormatException("unterminated comment");
                    }

                    _pos = close + 1;
                    return (default, true);
                }
                else if (k == '(')
                {
                    conditional = true;
                    _pos++;
                    SkipCondition();
                }
                else if (IsOptionGroup(_pos + 1, out var end, out var scoped))
                {
                    ApplyOptions(_pos + 1, end);
                    _pos = end + 1;
                    if (!scoped)
                    {
                        return (default, true); // (?i): applies to the rest of the enclosing group
                    }
                }
                else
                {
                    throw new FormatException("unknown group construct");
                }
            }

            var (first, nullable, bar) = Alternation();
            if (_pos >= pattern.Length || pattern[_pos] != ')')
            {
                throw new FormatException("missing ')'");
            }

            _pos++;
            _ignoreCase = saved;
            if (zeroWidth)
            {
                return (default, true);
            }

            // a conditional without a '|' has an empty "no" branch
            return (first, nullable || (conditional && !bar));
        }

        /// <summary>Skips the <c>(name)</c> or <c>(?=…)</c> condition of a conditional group.</summary>
        private void SkipCondition()
        {
            var saved = _ignoreCase;
            if (Peek(1) == '?')
            {
                _ = Group();
            }
            else
            {
                var close = pattern.IndexOf(')', _pos);
                if (close < 0)
                {
                    throw new FormatException("unterminated condition");
                }

                _pos = close + 1;
            }

            _ignoreCase = saved;
        }

        /// <summary>True when <c>pattern[from..]</c> is <c>imnsx-imnsx)</c> (end at ')') or <c>…:</c> (scoped, end at ':').</summary>
        private bool IsOptionGroup(int from, out int end, out bool scoped)
        {
            end = from;
            scoped = false;
            while (end < pattern.Length && pattern[end] is 'i' or 'm' or 'n' or 's' or 'x' or '-')
            {
                end++;
            }

            if (end == from || end >= pattern.Length || pattern[end] is not (')' or ':'))
            {
                return false;
            }

            scoped = pattern[end] == ':';
            return true;
        }

        /// <summary>Options only ever widen the result: <c>(?-i)</c> is ignored (over-approximating is safe).</summary>
        private void ApplyOptions(int from, int end)
        {
            var on = true;
            for (var i = from; i < end; i++)
            {
                switch (pattern[i])
                {
                    case '-':
                        on = false;
                        break;
                    case 'i' when on:
                        _ignoreCase = true;
                        break;
                    case 'm' when on:
                        _multiline = true;
                        break;
                    case 'x' when on:
                        throw new FormatException("(?x) changes what literal whitespace means");
                }
            }
        }
    }
}

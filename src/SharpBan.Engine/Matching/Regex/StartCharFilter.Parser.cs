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

        /// <summary>Set while parsing what cannot change the result (every start is already closed): no path is built.</summary>
        private bool _skip;

        /// <summary>How the whole pattern's matches start when it starts with <c>^</c> (after leading options); else null.</summary>
        public Prefixes? AnchoredStart()
        {
            while (_pos < pattern.Length && pattern[_pos] == '(' && Peek(1) == '?' && IsOptionGroup(_pos + 2, out var end, out var scoped) && !scoped)
            {
                ApplyOptions(_pos + 2, end);
                _pos = end + 1;
            }

            if (_multiline || _pos >= pattern.Length || pattern[_pos] != '^')
            {
                return null;
            }

            _pos++;
            var (starts, alternation) = Alternation();
            if (_pos != pattern.Length)
            {
                throw new FormatException("unbalanced ')'");
            }

            // a top-level '|' puts the anchor on the first branch only
            return alternation ? null : starts;
        }

        private char Peek(int ahead) => _pos + ahead < pattern.Length ? pattern[_pos + ahead] : '\0';

        private (Prefixes Starts, bool HadBar) Alternation()
        {
            var starts = Sequence();
            var bar = false;
            while (_pos < pattern.Length && pattern[_pos] == '|')
            {
                bar = true;
                _pos++; // an inline option lasts to the end of its group, through later branches too
                var branch = Sequence();
                starts = _skip ? starts : starts.Or(branch);
            }

            return (starts, bar);
        }

        private Prefixes Sequence()
        {
            var starts = Prefixes.Empty;
            while (_pos < pattern.Length && pattern[_pos] is not ('|' or ')'))
            {
                if (_skip || starts.AllClosed)
                {
                    // the rest of this sequence comes after every start's last followed character: parsed, not built
                    var skipping = _skip;
                    _skip = true;
                    _ = Quantified();
                    _skip = skipping;
                    continue;
                }

                starts = starts.Then(Quantified());
            }

            return starts;
        }

        private Prefixes Quantified()
        {
            var starts = Atom();
            while (_pos < pattern.Length)
            {
                var c = pattern[_pos];
                if (c is '*' or '?' or '+')
                {
                    starts = _skip ? starts : starts.Repeat(c == '+' ? 1 : 0, c == '?' ? 1 : null);
                    _pos++;
                }
                else if (c == '{' && TryBrace(out var min, out var max))
                {
                    starts = _skip ? starts : starts.Repeat(min, max);
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

            return starts;
        }

        /// <summary>A <c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> quantifier at the cursor (consumed); false for a literal brace.</summary>
        private bool TryBrace(out int min, out int? max)
        {
            var i = _pos + 1;
            var start = i;
            while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
            {
                i++;
            }

            min = 0;
            max = null;
            if (i == start || i >= pattern.Length || !int.TryParse(pattern.AsSpan(start, i - start), CultureInfo.InvariantCulture, out min))
            {
                return false;
            }

            max = min;
            if (pattern[i] == ',')
            {
                var upper = ++i;
                while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
                {
                    i++;
                }

                // {n,} is unbounded; an upper bound too large for an int is as good as unbounded here
                max = i > upper && int.TryParse(pattern.AsSpan(upper, i - upper), CultureInfo.InvariantCulture, out var m) ? m : null;
            }

            if (i >= pattern.Length || pattern[i] != '}')
            {
                return false;
            }

            _pos = i + 1;
            return true;
        }

        private Prefixes Atom()
        {
            var c = pattern[_pos];
            switch (c)
            {
                case '(':
                    return Group();
                case '[':
                    return Prefixes.Of(Class());
                case '\\':
                    var (set, nullable) = Escape(inClass: false);
                    return !nullable ? Prefixes.Of(set) : set.IsEmpty ? Prefixes.Empty : Prefixes.Anything;
                case '.':
                    _pos++;
                    return Prefixes.Of(CharSet.All);
                case '^' or '$':
                    _pos++;
                    return Prefixes.Empty;
                case '*' or '+' or '?':
                    throw new FormatException("quantifier without an atom");
                default:
                    _pos++;
                    return Prefixes.Of(Literal(c));
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

        private Prefixes Group()
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
                    return Prefixes.Empty;
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
                        return Prefixes.Empty; // (?i): applies to the rest of the enclosing group
                    }
                }
                else
                {
                    throw new FormatException("unknown group construct");
                }
            }

            var (starts, bar) = Alternation();
            if (_pos >= pattern.Length || pattern[_pos] != ')')
            {
                throw new FormatException("missing ')'");
            }

            _pos++;
            _ignoreCase = saved;
            if (zeroWidth)
            {
                return Prefixes.Empty;
            }

            // a conditional without a '|' has an empty "no" branch
            return conditional && !bar ? starts.Or(Prefixes.Empty) : starts;
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

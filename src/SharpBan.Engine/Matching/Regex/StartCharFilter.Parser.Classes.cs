using System.Globalization;

namespace SharpBan.Engine.Matching.Regex;

internal sealed partial class StartCharFilter
{
    /// <summary>Character classes and escapes: the sets of characters a single position can hold.</summary>
    private sealed partial class Parser
    {
        private CharSet Class()
        {
            _pos++; // '['
            var negated = false;
            if (_pos < pattern.Length && pattern[_pos] == '^')
            {
                negated = true;
                _pos++;
            }

            var set = default(CharSet);
            var firstItem = true;
            while (true)
            {
                if (_pos >= pattern.Length)
                {
                    throw new FormatException("unterminated class");
                }

                var c = pattern[_pos];
                if (c == ']' && !firstItem)
                {
                    _pos++;
                    break;
                }

                firstItem = false;
                if (c == '-' && Peek(1) == '[')
                {
                    throw new FormatException("class subtraction");
                }

                char low;
                if (c == '\\')
                {
                    var (escaped, _) = Escape(inClass: true);
                    if (!IsSingle(escaped, out low))
                    {
                        set.Add(escaped);
                        continue;
                    }
                }
                else
                {
                    low = c;
                    _pos++;
                }

                if (_pos + 1 < pattern.Length && pattern[_pos] == '-' && pattern[_pos + 1] != ']')
                {
                    if (pattern[_pos + 1] == '[')
                    {
                        throw new FormatException("class subtraction");
                    }

                    _pos++;
                    char high;
                    if (pattern[_pos] == '\\')
                    {
                        var (escaped, _) = Escape(inClass: true);
                        if (!IsSingle(escaped, out high))
                        {
                            throw new FormatException("range to a class");
                        }
                    }
                    else
                    {
                        high = pattern[_pos++];
                    }

                    set.AddRange(low, high);
                }
                else
                {
                    set.Add(low);
                }
            }

            if (!negated)
            {
                if (_ignoreCase)
                {
                    set.FoldCase();
                }

                return set;
            }

            // the complement of a widened set would be too narrow: widen only by what certainly folds together
            if (_ignoreCase)
            {
                set.FoldAsciiLetters();
            }

            return set.Complement();
        }

        /// <summary>True when the set holds exactly one ASCII character (an escaped literal).</summary>
        private static bool IsSingle(CharSet set, out char c)
        {
            c = '\0';
            var count = 0;
            for (var i = 0; i < 128; i++)
            {
                if (set.Contains((char)i))
                {
                    c = (char)i;
                    count++;
                }
            }

            return count == 1 && !set.Contains('\u0100');
        }

        private (CharSet First, bool Nullable) Escape(bool inClass)
        {
            if (_pos + 1 >= pattern.Length)
            {
                throw new FormatException("trailing backslash");
            }

            var e = pattern[_pos + 1];
            _pos += 2;
            var set = default(CharSet);
            switch (e)
            {
                case 'd':
                    set.AddRange('0', '9');
                    set.Add('\u0660'); // any Unicode digit
                    return (set, false);
                case 'D':
                    set.AddRange('0', '9');
                    return (set.Complement(), false);
                case 'w':
                    return (WordChars(), false);
                case 'W':
                    return (WordChars().Complement(), false);
                case 's':
                    return (Spaces(), false);
                case 'S':
                    return (Spaces().Complement(), false);
                case 'p' or 'P':
                    var category = Category();
                    return (e == 'p' || category.IsAll ? category : category.Complement(), false);
                case 'b' when inClass:
                    set.Add('\b');
                    return (set, false);
                case 'b' or 'B' or 'A' or 'G' or 'Z' or 'z':
                    return (default, true);
                case 'k':
                    SkipPast(Peek(0) == '\'' ? '\'' : '>', from: _pos + 1);
                    return (CharSet.All, true);
                case >= '1' and <= '9' when !inClass:
                    while (_pos < pattern.Length && char.IsAsciiDigit(pattern[_pos]))
                    {
                        _pos++;
                    }

                    return (CharSet.All, true);
                case 'x':
                    return (Char(Hex(2), inClass), false);
                case 'u':
                    return (Char(Hex(4), inClass), false);
                case 'c':
                    _pos++;
                    return (CharSet.All, false);
                case '0':
                    return (CharSet.All, false); // octal escape
                case 't':
                    return (Literal('\t'), false);
                case 'n':
                    return (Literal('\n'), false);
                case 'r':
                    return (Literal('\r'), false);
                case 'f':
                    return (Literal('\f'), false);
                case 'v':
                    return (Literal('\v'), false);
                case 'e':
                    return (Literal('\u001b'), false);
                case 'a':
                    return (Literal('\a'), false);
                default:
                    if (char.IsAsciiLetterOrDigit(e))
                    {
                        throw new FormatException("unknown escape");
                    }

                    return (Char(e, inClass), false);
            }
        }

        /// <summary>A literal character: case-folded now outside a class, with the whole class inside one.</summary>
        private CharSet Char(char c, bool inClass)
        {
            if (!inClass)
            {
                return Literal(c);
            }

            var set = default(CharSet);
            set.Add(c);
            return set;
        }

        private char Hex(int digits)
        {
            if (_pos + digits > pattern.Length
                || !int.TryParse(pattern.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException("bad hex escape");
            }

            _pos += digits;
            return (char)value;
        }

        private void SkipPast(char close, int? from = null)
        {
            var at = pattern.IndexOf(close, from ?? _pos);
            if (at < 0)
            {
                throw new FormatException("unterminated escape");
            }

            _pos = at + 1;
        }

        /// <summary>
        /// A <c>\p{…}</c> category: its ASCII members exactly (the translation of Python's <c>\w</c> is
        /// <c>[\p{L}\p{N}_]</c>, and its negation must not lose ASCII characters), any non-ASCII character.
        /// </summary>
        private CharSet Category()
        {
            if (Peek(0) != '{')
            {
                throw new FormatException("bad category");
            }

            var start = _pos + 1;
            SkipPast('}');
            var name = pattern.AsSpan(start, _pos - 1 - start);
            if (name.Length is not (1 or 2))
            {
                return CharSet.All; // a named block (IsBasicLatin, …): no translation makes one
            }

            var set = default(CharSet);
            set.Add('\u0100');
            for (var c = '\0'; c < 128; c++)
            {
                if (CategoryAbbreviation(char.GetUnicodeCategory(c)).AsSpan().StartsWith(name, StringComparison.Ordinal))
                {
                    set.Add(c);
                }
            }

            return set;
        }

        private static string CategoryAbbreviation(UnicodeCategory category) => category switch
        {
            UnicodeCategory.UppercaseLetter => "Lu",
            UnicodeCategory.LowercaseLetter => "Ll",
            UnicodeCategory.TitlecaseLetter => "Lt",
            UnicodeCategory.ModifierLetter => "Lm",
            UnicodeCategory.OtherLetter => "Lo",
            UnicodeCategory.NonSpacingMark => "Mn",
            UnicodeCategory.SpacingCombiningMark => "Mc",
            UnicodeCategory.EnclosingMark => "Me",
            UnicodeCategory.DecimalDigitNumber => "Nd",
            UnicodeCategory.LetterNumber => "Nl",
            UnicodeCategory.OtherNumber => "No",
            UnicodeCategory.SpaceSeparator => "Zs",
            UnicodeCategory.LineSeparator => "Zl",
            UnicodeCategory.ParagraphSeparator => "Zp",
            UnicodeCategory.Control => "Cc",
            UnicodeCategory.Format => "Cf",
            UnicodeCategory.Surrogate => "Cs",
            UnicodeCategory.PrivateUse => "Co",
            UnicodeCategory.ConnectorPunctuation => "Pc",
            UnicodeCategory.DashPunctuation => "Pd",
            UnicodeCategory.OpenPunctuation => "Ps",
            UnicodeCategory.ClosePunctuation => "Pe",
            UnicodeCategory.InitialQuotePunctuation => "Pi",
            UnicodeCategory.FinalQuotePunctuation => "Pf",
            UnicodeCategory.OtherPunctuation => "Po",
            UnicodeCategory.MathSymbol => "Sm",
            UnicodeCategory.CurrencySymbol => "Sc",
            UnicodeCategory.ModifierSymbol => "Sk",
            UnicodeCategory.OtherSymbol => "So",
            _ => "Cn",
        };

        private static CharSet WordChars()
        {
            var set = default(CharSet);
            set.AddRange('a', 'z');
            set.AddRange('A', 'Z');
            set.AddRange('0', '9');
            set.Add('_');
            set.Add('\u0100'); // Unicode letters, digits, connectors, marks
            return set;
        }

        private static CharSet Spaces()
        {
            var set = default(CharSet);
            foreach (var c in " \t\n\v\f\r")
            {
                set.Add(c);
            }

            set.Add('\u00a0');
            return set;
        }
    }
}

using System.Globalization;

namespace SharpBan.Engine.Jails;

internal abstract partial record SafeExpression
{
    private static readonly Dictionary<string, double> Constants = new(StringComparer.Ordinal)
    {
        ["True"] = 1,
        ["False"] = 0,
        ["math.pi"] = Math.PI,
        ["math.e"] = Math.E,
    };

    /// <summary>Recursive descent over Python's precedence levels.</summary>
    private sealed class Parser(string text)
    {
        private static readonly string[] Operators = ["**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+", "-", "*", "/", "%", "<", ">", "(", ")", ","];
        private int _pos;

        public SafeExpression ParseAll()
        {
            if (text.Length > 4096)
            {
                throw new ExpressionException("expression too long");
            }

            var e = Ternary();
            SkipSpace();
            return _pos == text.Length ? e : throw Error("unexpected text");
        }

        private SafeExpression Ternary()
        {
            var value = Or();
            if (!TryKeyword("if"))
            {
                return value;
            }

            var condition = Or();
            return TryKeyword("else") ? new Conditional(condition, value, Ternary()) : throw Error("expected 'else'");
        }

        private SafeExpression Or()
        {
            var e = And();
            while (TryKeyword("or"))
            {
                e = new Binary("or", e, And());
            }

            return e;
        }

        private SafeExpression And()
        {
            var e = Not();
            while (TryKeyword("and"))
            {
                e = new Binary("and", e, Not());
            }

            return e;
        }

        private SafeExpression Not() => TryKeyword("not") ? new Unary('!', Not()) : Comparison();

        private SafeExpression Comparison()
        {
            var e = Shift();
            while (TryOperator(out var op, "<=", ">=", "==", "!=", "<", ">"))
            {
                e = new Binary(op, e, Shift());
            }

            return e;
        }

        private SafeExpression Shift()
        {
            var e = Sum();
            while (TryOperator(out var op, "<<", ">>"))
            {
                e = new Binary(op, e, Sum());
            }

            return e;
        }

        private SafeExpression Sum()
        {
            var e = Term();
            while (TryOperator(out var op, "+", "-"))
            {
                e = new Binary(op, e, Term());
            }

            return e;
        }

        private SafeExpression Term()
        {
            var e = Factor();
            while (TryOperator(out var op, "*", "//", "/", "%"))
            {
                e = new Binary(op, e, Factor());
            }

            return e;
        }

        private SafeExpression Factor()
        {
            if (TryOperator(out var op, "-", "+"))
            {
                return new Unary(op[0], Factor());
            }

            var e = Atom();
            return TryOperator(out _, "**") ? new Binary("**", e, Factor()) : e;
        }

        private SafeExpression Atom()
        {
            SkipSpace();
            if (_pos >= text.Length)
            {
                throw Error("unexpected end");
            }

            var c = text[_pos];
            if (c == '(')
            {
                _pos++;
                var inner = Ternary();
                return TryOperator(out _, ")") ? inner : throw Error("expected ')'");
            }

            if (char.IsAsciiDigit(c) || c == '.')
            {
                var value = Number(out var isFloat);
                return new Constant(value, isFloat);
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var name = Name();
                if (TryOperator(out _, "("))
                {
                    var args = new List<SafeExpression>();
                    if (!TryOperator(out _, ")"))
                    {
                        do
                        {
                            args.Add(Ternary());
                        }
                        while (TryOperator(out _, ","));
                        if (!TryOperator(out _, ")"))
                        {
                            throw Error("expected ')'");
                        }
                    }

                    return new Call(name, args);
                }

                return Constants.TryGetValue(name, out var constant) ? new Constant(constant, name.StartsWith("math.", StringComparison.Ordinal)) : new Variable(name);
            }

            throw Error($"unexpected '{c}'");
        }

        /// <summary>
        /// A number literal as Python's tokenizer reads one: digits with single underscores between them, a fraction, an
        /// exponent with at least one digit; an integer other than zero does not start with <c>0</c> (<c>007</c> is a
        /// syntax error in Python 3, <c>00</c> and <c>007.5</c> are not).
        /// </summary>
        private double Number(out bool isFloat)
        {
            var start = _pos;
            isFloat = false;
            if (_pos + 1 < text.Length && text[_pos] == '0' && char.ToLowerInvariant(text[_pos + 1]) is 'x' or 'o' or 'b')
            {
                return PrefixedInteger();
            }

            DigitPart();
            var integer = text.AsSpan(start, _pos - start); // digits and the underscores between them
            if (_pos < text.Length && text[_pos] == '.')
            {
                isFloat = true;
                _pos++;
                if (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
                {
                    DigitPart();
                }
                else if (integer.Length == 0)
                {
                    throw Error("bad number '.'");
                }
            }

            if (_pos < text.Length && text[_pos] is 'e' or 'E')
            {
                isFloat = true;
                _pos++;
                if (_pos < text.Length && text[_pos] is '+' or '-')
                {
                    _pos++;
                }

                if (!(_pos < text.Length && char.IsAsciiDigit(text[_pos])))
                {
                    throw Error($"bad number '{text[start.._pos]}'");
                }

                DigitPart();
            }

            if (!isFloat && integer.Length > 1 && integer[0] == '0' && integer.ContainsAnyExcept('0', '_'))
            {
                throw Error($"leading zeros in decimal integer literals are not permitted: '{integer}'");
            }

            var s = text[start.._pos].Replace("_", "", StringComparison.Ordinal);
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Error($"bad number '{s}'");
        }

        /// <summary>Python's <c>0x</c>, <c>0o</c> and <c>0b</c> integers (an underscore may follow the prefix and separate digits).</summary>
        private double PrefixedInteger()
        {
            var radix = char.ToLowerInvariant(text[_pos + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            _pos += 2;
            double value = 0;
            var digits = 0;
            while (_pos < text.Length)
            {
                if (text[_pos] == '_' && _pos + 1 < text.Length && DigitValue(text[_pos + 1], radix) >= 0)
                {
                    _pos++;
                }

                var d = DigitValue(text[_pos], radix);
                if (d < 0)
                {
                    break;
                }

                value = (value * radix) + d;
                digits++;
                _pos++;
            }

            return digits == 0 || (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_'))
                ? throw Error("invalid number literal")
                : value;

            static int DigitValue(char c, int radix)
            {
                var d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : -1;
                return d < radix ? d : -1;
            }
        }

        /// <summary>Digits with single underscores between them (Python's <c>digitpart</c>).</summary>
        private void DigitPart()
        {
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            {
                _pos++;
                if (_pos + 1 < text.Length && text[_pos] == '_' && char.IsAsciiDigit(text[_pos + 1]))
                {
                    _pos++;
                }
                else if (_pos < text.Length && text[_pos] == '_')
                {
                    throw Error("invalid decimal literal");
                }
            }
        }

        private string Name()
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '.'))
            {
                _pos++;
            }

            return text[start.._pos];
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _pos, keyword, 0, keyword.Length) == 0
                && (_pos + keyword.Length == text.Length || !(char.IsAsciiLetterOrDigit(text[_pos + keyword.Length]) || text[_pos + keyword.Length] == '_')))
            {
                _pos += keyword.Length;
                return true;
            }

            return false;
        }

        private bool TryOperator(out string op, params string[] allowed)
        {
            SkipSpace();
            foreach (var candidate in Operators)
            {
                if (string.CompareOrdinal(text, _pos, candidate, 0, candidate.Length) == 0)
                {
                    if (Array.IndexOf(allowed, candidate) >= 0)
                    {
                        _pos += candidate.Length;
                        op = candidate;
                        return true;
                    }

                    break;
                }
            }

            op = "";
            return false;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private ExpressionException Error(string what) => new($"{what} at position {_pos + 1} in '{text}'");
    }
}

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
                return new Constant(Number());
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

                return Constants.TryGetValue(name, out var constant) ? new Constant(constant) : new Variable(name);
            }

            throw Error($"unexpected '{c}'");
        }

        private double Number()
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] is '.' or '_'))
            {
                _pos++;
            }

            if (_pos < text.Length && text[_pos] is 'e' or 'E')
            {
                _pos++;
                if (_pos < text.Length && text[_pos] is '+' or '-')
                {
                    _pos++;
                }

                while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
                {
                    _pos++;
                }
            }

            var s = text[start.._pos].Replace("_", "", StringComparison.Ordinal);
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Error($"bad number '{s}'");
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

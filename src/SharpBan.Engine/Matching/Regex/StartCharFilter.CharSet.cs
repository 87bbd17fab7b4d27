using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching.Regex;

internal sealed partial class StartCharFilter
{
    /// <summary>An over-approximated set of characters: a bitmap of ASCII plus "any non-ASCII character".</summary>
    private struct CharSet : IEquatable<CharSet>
    {
        private ulong _low;
        private ulong _high;
        private bool _nonAscii;

        public static CharSet All => new() { _low = ulong.MaxValue, _high = ulong.MaxValue, _nonAscii = true };

        public readonly bool IsAll => _low == ulong.MaxValue && _high == ulong.MaxValue && _nonAscii;

        public readonly bool IsEmpty => _low == 0 && _high == 0 && !_nonAscii;

        public readonly bool Equals(CharSet other) => _low == other._low && _high == other._high && _nonAscii == other._nonAscii;

        public override readonly bool Equals(object? obj) => obj is CharSet other && Equals(other);

        public override readonly int GetHashCode() => HashCode.Combine(_low, _high, _nonAscii);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly bool Contains(char c) => c < 64 ? (_low & (1UL << c)) != 0 : c < 128 ? (_high & (1UL << (c - 64))) != 0 : _nonAscii;

        public void Add(char c)
        {
            if (c < 64)
            {
                _low |= 1UL << c;
            }
            else if (c < 128)
            {
                _high |= 1UL << (c - 64);
            }
            else
            {
                _nonAscii = true;
            }
        }

        public void AddRange(char from, char to)
        {
            for (var c = from; c <= to && c < 128; c++)
            {
                Add(c);
            }

            if (to >= 128)
            {
                _nonAscii = true;
            }
        }

        public void Add(CharSet other)
        {
            _low |= other._low;
            _high |= other._high;
            _nonAscii |= other._nonAscii;
        }

        /// <summary>Every ASCII character not in the set, and every non-ASCII one (a negated class or escape).</summary>
        public readonly CharSet Complement() => new() { _low = ~_low, _high = ~_high, _nonAscii = true };

        /// <summary>Adds the other case of every ASCII letter (no more: safe to complement afterwards).</summary>
        public void FoldAsciiLetters()
        {
            for (var c = 'a'; c <= 'z'; c++)
            {
                var upper = (char)(c - 32);
                if (Contains(c) || Contains(upper))
                {
                    Add(c);
                    Add(upper);
                }
            }
        }

        /// <summary>
        /// Adds the other case of every ASCII letter, all non-ASCII characters when there is a letter, and all ASCII
        /// letters when there is a non-ASCII character (the Kelvin sign folds onto k).
        /// </summary>
        public void FoldCase()
        {
            if (_nonAscii)
            {
                AddRange('a', 'z');
                AddRange('A', 'Z');
            }

            FoldAsciiLetters();
            var letters = false;
            for (var c = 'a'; c <= 'z'; c++)
            {
                letters |= Contains(c);
            }

            _nonAscii |= letters;
        }
    }
}

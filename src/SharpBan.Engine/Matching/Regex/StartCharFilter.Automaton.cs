using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching.Regex;

internal sealed partial class StartCharFilter
{
    /// <summary>
    /// The starts of a pattern as a deterministic automaton over classes of characters: each state a row of the table,
    /// each class a column. <see cref="Accept"/> means a start was read in full, <see cref="Reject"/> that none can be.
    /// </summary>
    private sealed class Automaton
    {
        private const short Reject = -1;
        private const short Accept = -2;

        /// <summary>More states than this and the starts are followed less deep (one character at the least).</summary>
        private const int MaxStates = 256;

        private readonly byte[] _classOf;
        private readonly int _nonAsciiClass;
        private readonly int _classes;
        private readonly short[] _table;

        private Automaton(byte[] classOf, int nonAsciiClass, int classes, short[] table)
        {
            _classOf = classOf;
            _nonAsciiClass = nonAsciiClass;
            _classes = classes;
            _table = table;
        }

        /// <summary>Whether <paramref name="input"/> begins with one of the starts.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Accepts(ReadOnlySpan<char> input)
        {
            var state = 0;
            foreach (var c in input)
            {
                int next = _table[(state * _classes) + (c < 128 ? _classOf[c] : _nonAsciiClass)];
                if (next < 0)
                {
                    return next == Accept;
                }

                state = next;
            }

            return false; // the input ended inside every start
        }

        /// <summary>The automaton of non-empty <paramref name="paths"/>, cut shorter until it has at most <see cref="MaxStates"/> states.</summary>
        public static Automaton Build(IReadOnlyList<Path> paths)
        {
            for (var depth = Depth; ; depth--)
            {
                var cut = paths.Select(p => p.Truncated(depth)).Distinct().ToList();
                if (TryBuild(cut, out var automaton) || depth == 1)
                {
                    return automaton ?? throw new FormatException("no automaton at one character");
                }
            }
        }

        private static bool TryBuild(List<Path> paths, out Automaton? automaton)
        {
            // characters that every path's sets treat alike share a class; every non-ASCII character is alike here
            var sets = paths.SelectMany(static p => p.Chars).Distinct().ToArray();
            var classOf = new byte[128];
            var signatures = new Dictionary<string, int>(StringComparer.Ordinal);
            var representatives = new List<char>();
            for (var c = 0; c <= 128; c++)
            {
                var ch = c < 128 ? (char)c : '\u0100';
                var signature = string.Concat(sets.Select(s => s.Contains(ch) ? '1' : '0'));
                if (!signatures.TryGetValue(signature, out var id))
                {
                    id = signatures.Count;
                    signatures.Add(signature, id);
                    representatives.Add(ch);
                }

                if (c < 128)
                {
                    classOf[c] = (byte)id;
                }
            }

            var nonAsciiClass = signatures[string.Concat(sets.Select(static s => s.Contains('\u0100') ? '1' : '0'))];
            var classes = representatives.Count;

            // subset construction over (path, characters read): each state the paths still alive at one position
            var states = new List<(int[] Alive, int Position)> { (Enumerable.Range(0, paths.Count).ToArray(), 0) };
            var ids = new Dictionary<string, short>(StringComparer.Ordinal) { [Key(states[0].Alive, 0)] = 0 };
            var table = new List<short>();
            for (var s = 0; s < states.Count; s++)
            {
                var (current, position) = states[s];
                foreach (var ch in representatives)
                {
                    var alive = new List<int>();
                    var accepted = false;
                    foreach (var p in current)
                    {
                        if (paths[p].Chars[position].Contains(ch))
                        {
                            accepted |= position + 1 == paths[p].Chars.Length;
                            alive.Add(p);
                        }
                    }

                    if (accepted || alive.Count == 0)
                    {
                        table.Add(accepted ? Accept : Reject);
                        continue;
                    }

                    var key = Key(alive, position + 1);
                    if (!ids.TryGetValue(key, out var next))
                    {
                        if (states.Count >= MaxStates)
                        {
                            automaton = null;
                            return false;
                        }

                        next = (short)states.Count;
                        ids.Add(key, next);
                        states.Add(([.. alive], position + 1));
                    }

                    table.Add(next);
                }
            }

            automaton = new Automaton(classOf, nonAsciiClass, classes, [.. table]);
            return true;
        }

        private static string Key(IEnumerable<int> alive, int position) => position + ":" + string.Join(',', alive);
    }
}

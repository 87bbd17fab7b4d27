namespace SharpBan.Engine.Matching.Regex;

internal sealed partial class StartCharFilter
{
    /// <summary>How many characters at the start of a match the analysis follows.</summary>
    internal const int Depth = 6;

    /// <summary>The most distinct starts kept for one construct; beyond it they are cut shorter (a wider over-approximation).</summary>
    private const int MaxPaths = 48;

    /// <summary>
    /// One way a match can start: the set of each of its first characters. An open path ended with its construct, so
    /// what follows the construct continues it; a closed one says nothing about later characters (it reached
    /// <see cref="Depth"/>, or met something not followed, like a back-reference).
    /// </summary>
    private readonly struct Path(CharSet[] chars, bool closed) : IEquatable<Path>
    {
        public CharSet[] Chars { get; } = chars;

        public bool Closed { get; } = closed;

        public Path Truncated(int length) => Chars.Length <= length ? this : new Path(Chars[..length], closed: true);

        public bool Equals(Path other) => Closed == other.Closed && Chars.AsSpan().SequenceEqual(other.Chars);

        public override bool Equals(object? obj) => obj is Path other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Closed);
            foreach (var set in Chars)
            {
                hash.Add(set);
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>The set of ways a construct's matches can start (an over-approximation, never missing one).</summary>
    private sealed class Prefixes
    {
        private Prefixes(IReadOnlyList<Path> paths) => Paths = paths;

        public IReadOnlyList<Path> Paths { get; }

        /// <summary>Matches only the empty string (an anchor, a lookaround): the next construct continues.</summary>
        public static Prefixes Empty { get; } = new([new Path([], closed: false)]);

        /// <summary>Anything at all, of any length (a back-reference).</summary>
        public static Prefixes Anything { get; } = new([new Path([], closed: true)]);

        public static Prefixes Of(CharSet set) => new([new Path([set], closed: Depth == 1)]);

        /// <summary>Whether the empty string can be a whole match's start (then no character can be ruled out).</summary>
        public bool HasEmpty => Paths.Any(static p => p.Chars.Length == 0);

        /// <summary>Whether nothing that follows this construct can change its starts.</summary>
        public bool AllClosed => Paths.All(static p => p.Closed);

        /// <summary>This construct followed by <paramref name="next"/>.</summary>
        public Prefixes Then(Prefixes next)
        {
            var paths = new List<Path>();
            foreach (var path in Paths)
            {
                if (path.Closed)
                {
                    paths.Add(path);
                    continue;
                }

                foreach (var tail in next.Paths)
                {
                    var chars = path.Chars.Concat(tail.Chars).Take(Depth).ToArray();
                    paths.Add(new Path(chars, tail.Closed || chars.Length == Depth));
                }
            }

            return Create(paths);
        }

        public Prefixes Or(Prefixes other) => Create([.. Paths, .. other.Paths]);

        /// <summary>This construct repeated <paramref name="min"/> to <paramref name="max"/> times (null: unbounded).</summary>
        public Prefixes Repeat(int min, int? max)
        {
            var power = Empty;
            for (var n = 0; n < min && !power.AllClosed; n++)
            {
                power = power.Then(this);
            }

            // past Depth + 1 more copies nothing new can start a match: every copy adds a character or repeats an empty one
            var result = power;
            var extra = Math.Min((max ?? int.MaxValue) - (long)min, Depth + 1);
            for (var n = 0; n < extra && !power.AllClosed; n++)
            {
                power = power.Then(this);
                result = result.Or(power);
            }

            return result;
        }

        private static Prefixes Create(List<Path> paths)
        {
            var distinct = paths.Distinct().ToList();
            for (var length = Depth - 1; distinct.Count > MaxPaths && length > 0; length--)
            {
                distinct = distinct.Select(p => p.Truncated(length)).Distinct().ToList();
            }

            if (distinct.Count > MaxPaths)
            {
                // one character each: one closed path of their union, and the empty ones as they were
                var union = default(CharSet);
                foreach (var path in distinct.Where(static p => p.Chars.Length > 0))
                {
                    union.Add(path.Chars[0]);
                }

                distinct = [.. distinct.Where(static p => p.Chars.Length == 0), new Path([union], closed: true)];
            }

            return new Prefixes(distinct);
        }
    }
}

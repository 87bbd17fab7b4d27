using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpBan.Engine.Matching.Regex;
using Xunit;

namespace SharpBan.Engine.Tests.Matching.Regex;

using DotNetRegex = System.Text.RegularExpressions.Regex;

public sealed class MatchRecyclerTests
{
    private const string Pattern = @"(?<u>a+|ab)(?<n>b)?(?:(c)|d)*(?<e>x)?";

    private static readonly RegexOptions[] BothEngines = [RegexOptions.CultureInvariant, RegexOptions.CultureInvariant | RegexOptions.Compiled];

    private static Arbitrary<string[]> InputLists() =>
        Gen.Elements("a", "b", "c", "d", "x", "q", "ab", " ")
            .ListOf()
            .Select(parts => string.Concat(parts))
            .ListOf()
            .Select(list => list.ToArray())
            .ToArbitrary();

    /// <summary>Every group's span, read the way the engine reads them.</summary>
    private static (bool Success, int Index, int Length)[] Spans(DotNetRegex regex, Match m) =>
        [.. regex.GetGroupNumbers().Select(n => MatchGroups.TryGet(m, n, dense: true, out var i, out var l) ? (true, i, l) : (false, 0, 0))];

    [Fact]
    public void IsEnabled_OnThisRuntime()
    {
        // the layout check passed: without it every search allocates again (same results, slower)
        Assert.True(MatchRecycler.IsEnabled);
    }

    [Fact]
    public void Return_ThenNextSuccess_FillsTheSameMatchAgain()
    {
        var regex = new DotNetRegex(Pattern, RegexOptions.CultureInvariant);
        var first = regex.Match("zabx");
        Assert.True(first.Success);
        MatchRecycler.Return(regex, first);

        Assert.DoesNotMatch(regex, "zzz"); // a failed search in between keeps the returned match
        var second = regex.Match("qaacd");

        Assert.Same(first, second);
        Assert.Equal(Spans(regex, new DotNetRegex(Pattern, RegexOptions.CultureInvariant).Match("qaacd")), Spans(regex, second));
    }

    [Fact]
    public void Return_MatchWhoseGroupsWereRead_IsNotReused()
    {
        var regex = new DotNetRegex(Pattern, RegexOptions.CultureInvariant);
        var first = regex.Match("abx");
        Assert.Equal("x", first.Groups["e"].Value); // the public collection now caches this match's groups
        MatchRecycler.Return(regex, first);

        var second = regex.Match("aad");

        Assert.NotSame(first, second);
        Assert.Equal("x", first.Groups["e"].Value);
        Assert.False(second.Groups["e"].Success);
    }

    [Fact]
    public void Return_MatchOfAnotherRegex_IsNotReused()
    {
        var regex = new DotNetRegex(Pattern, RegexOptions.CultureInvariant);
        var other = new DotNetRegex(Pattern, RegexOptions.CultureInvariant);
        _ = regex.Match("a"); // both runners exist and are idle
        var foreign = other.Match("abx");
        MatchRecycler.Return(regex, foreign);

        Assert.NotSame(foreign, regex.Match("ab"));
        Assert.Equal(3, foreign.Length); // untouched
    }

    [Property(MaxTest = 300)]
    public Property Search_WithEveryMatchReturned_SameSpansAsFreshSearches() =>
        Prop.ForAll(InputLists(), inputs =>
        {
            foreach (var options in BothEngines)
            {
                var recycled = new DotNetRegex(Pattern, options);
                var fresh = new DotNetRegex(Pattern, options);
                foreach (var input in inputs)
                {
                    var m = recycled.Match(input);
                    var expected = fresh.Match(input);
                    if (m.Success != expected.Success || (m.Success && (m.Index != expected.Index || m.Length != expected.Length
                        || !Spans(recycled, m).SequenceEqual(Spans(fresh, expected)))))
                    {
                        return false;
                    }

                    if (m.Success)
                    {
                        MatchRecycler.Return(recycled, m);
                    }
                }
            }

            return true;
        });

    [Fact]
    public async Task PyRegexRecycle_TwoThreadsSearchingOneRegex_EachReadsItsOwnMatch()
    {
        // the pipeline's two stages search one prefregex, each recycling what it read: a match handed back may only
        // be filled by a later search, never while the thread that found it still reads it
        var regex = new PyRegex(@"^(?P<user>\w+)@(?P<host>[\d.]+) (?P<n>\d+)?");
        var failures = 0;
        void Run(int seed)
        {
            var random = new Random(seed);
            for (var i = 0; i < 40_000; i++)
            {
                var user = "u" + random.Next(1000);
                var host = $"192.0.2.{random.Next(256)}";
                var n = random.Next(3) == 0 ? "" : random.Next(100000).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var m = regex.Search($"{user}@{host} {n}");
                if (m is null || regex.GroupValue(m, 0) != user || regex.GroupValue(m, 1) != host
                    || regex.GroupValue(m, 2) != (n.Length == 0 ? null : n))
                {
                    Interlocked.Increment(ref failures);
                }

                if (m is not null)
                {
                    regex.Recycle(m);
                }
            }
        }

        var other = Task.Run(() => Run(2));
        Run(1);
        await other.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, failures);
    }
}

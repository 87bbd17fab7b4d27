using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpBan.Engine.Matching.Regex;
using Xunit;

namespace SharpBan.Engine.Tests.Matching.Regex;

using DotNetRegex = System.Text.RegularExpressions.Regex;

public sealed class MatchGroupsTests
{
    private static readonly DotNetRegex[] Patterns =
    [
        new(@"(a+)(?<n>b)?(?:(c)|d)*(?<e>x)?", RegexOptions.CultureInvariant),
        new(@"^(?:\W{0,2})?((?<b>ab|a)(?<_sep>[-/])(?<d>\d+)?(?:\k<_sep>(?<y>\d{2}))?)", RegexOptions.CultureInvariant),
        new(@"(?<user>.*?)@(?<host>[a-d.]+)(?(host)!|\?)", RegexOptions.CultureInvariant | RegexOptions.Compiled),
        new(@"((a)|(b))+c", RegexOptions.CultureInvariant | RegexOptions.Compiled),
    ];

    private static Arbitrary<string> Inputs() =>
        Gen.Elements("a", "b", "c", "d", "x", "-", "/", "@", "!", "?", ".", "1", "42", "ab", " ")
            .ListOf()
            .Select(parts => string.Concat(parts))
            .ToArbitrary();

    [Property(MaxTest = 400)]
    public Property TryGet_AnyMatch_AgreesWithGroupsApi() =>
        Prop.ForAll(Inputs(), input =>
        {
            foreach (var regex in Patterns)
            {
                var dense = MatchGroups.HasDenseNumbers(regex);
                for (var m = regex.Match(input); m.Success; m = m.NextMatch())
                {
                    foreach (var n in regex.GetGroupNumbers())
                    {
                        var g = m.Groups[n];
                        var ok = MatchGroups.TryGet(m, n, dense, out var index, out var length);
                        if (ok != g.Success || (ok && (index != g.Index || length != g.Length))
                            || MatchGroups.Value(m, n, dense) != (g.Success ? g.Value : null)
                            || !MatchGroups.Span(m, n, dense, out var spanOk).SequenceEqual(g.Success ? g.ValueSpan : default) || spanOk != g.Success)
                        {
                            return false;
                        }
                    }
                }
            }

            return true;
        });

    private static readonly Lazy<PyRegex[]> WithinPatterns = new(() =>
    {
        string[] patterns = [@"^(?P<u>a+|ab)(?P<n>b)?(?:(c)|d)*(?P<e>x)?", @"(?<=a)(?P<w>\b\w+)", @"^(?P<all>.*?)(?P<end>\d*)$", @"(?P<any>[a-d]+)"];
        var interpreted = patterns.Select(static p => new PyRegex(p, compiled: false));
        var compiled = patterns.Select(static p => new PyRegex(p)).ToArray();
        foreach (var r in compiled)
        {
            for (var i = 0; i < PyRegex.CompileThreshold * PyRegex.FailedSearchesPerUse; i++)
            {
                _ = r.Search("ab\n"); // one of them never matches it
            }
        }

        Assert.True(SpinWait.SpinUntil(() => compiled.All(static r => r.IsCompiled), TimeSpan.FromSeconds(60)));
        return [.. interpreted, .. compiled];
    });

    /// <summary>
    /// <see cref="PyRegex.SearchWithin"/> (the failregexes search the prefregex content inside the buffer) gives the
    /// groups a search of the substring gives, anchors and lookbehinds seeing nothing before it; both engines.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property SearchWithin_AnyStart_AgreesWithSearchOfTheSubstring() =>
        Prop.ForAll(Inputs(), Inputs(), (head, tail) =>
        {
            var input = head + tail + "\n";
            foreach (var regex in WithinPatterns.Value)
            {
                var whole = regex.Search(input[head.Length..]);
                var within = regex.SearchWithin(input, head.Length);
                if ((whole is null) != (within is null))
                {
                    return false;
                }

                for (var g = 0; whole is not null && g < regex.GroupNames.Count; g++)
                {
                    if (regex.GroupValue(whole, g) != regex.GroupValue(within!, g))
                    {
                        return false;
                    }
                }
            }

            return true;
        });

    [Fact]
    public void ReadsCaptureArrays_OnThisRuntime_IsTrue()
    {
        // the pinned .NET 10 runtime has the layout MatchGroups reads; a false here means a silent slowdown
        Assert.True(MatchGroups.ReadsCaptureArrays);
    }

    [Fact]
    public void TryGet_GroupThatDidNotParticipate_IsFalse()
    {
        var regex = Patterns[0];
        var m = regex.Match("aad");

        Assert.True(MatchGroups.TryGet(m, 1, dense: true, out var index, out var length));
        Assert.Equal((0, 2), (index, length));
        Assert.False(MatchGroups.TryGet(m, regex.GroupNumberFromName("n"), dense: true, out _, out _));
        Assert.Null(MatchGroups.Value(m, regex.GroupNumberFromName("e"), dense: true));
    }

    [Fact]
    public void TryGet_RepeatedGroup_GivesItsLastCapture()
    {
        var m = Patterns[3].Match("abac");

        Assert.Equal("a", MatchGroups.Value(m, 1, dense: true));
        Assert.Equal("b", MatchGroups.Value(m, 3, dense: true));
    }

    [Fact]
    public void HasDenseNumbers_ExplicitGroupNumbers_IsFalseAndTheGroupsApiIsUsed()
    {
        var regex = new DotNetRegex("(?<7>a)(b)", RegexOptions.CultureInvariant);
        var m = regex.Match("ab");

        Assert.False(MatchGroups.HasDenseNumbers(regex));
        Assert.True(MatchGroups.HasDenseNumbers(Patterns[1]));
        Assert.Equal("a", MatchGroups.Value(m, 7, dense: false));
        Assert.Equal("b", MatchGroups.Value(m, 1, dense: false));
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpBan.Engine.Matching;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Engine.Tests.Matching;

public sealed class LogFilterTests
{
    private const long Now = 1124013600;

    private static LogFilter Filter(FilterSettings s, FilterMode? mode = null) =>
        new(s, mode ?? FilterMode.RegexTool with { ReturnRawHost = true }, FixedTime.Clock(Now), new DateTemplateCache(2026));

    [Fact]
    public void ProcessLine_DateCutOut_RegexSeesRest()
    {
        var f = Filter(new FilterSettings { FailRegex = [@"^ host \[\] from <HOST>$"] });
        var hits = f.ProcessLine("Aug 14 11:59:00 host [] from 192.0.2.1");
        Assert.Equal("192.0.2.1", Assert.Single(hits).Id);
    }

    [Fact]
    public void ProcessLine_IgnoreRegex_VetoesHit()
    {
        var f = Filter(new FilterSettings { FailRegex = ["from <HOST>"], IgnoreRegex = ["trusted"] });
        Assert.Empty(f.ProcessLine("Aug 14 11:59:00 trusted from 192.0.2.1"));
    }

    [Fact]
    public void ProcessLine_FidDiffersFromAddress_AddressStoredAsIp()
    {
        var f = Filter(new FilterSettings { FailRegex = [@"user <F-ID>\w+</F-ID> from <ADDR>"] });
        var hit = Assert.Single(f.ProcessLine("Aug 14 11:59:00 user bob from 192.0.2.1"));
        Assert.Equal("bob", hit.Id);
        Assert.Equal("192.0.2.1", hit.Data["ip"]);
    }

    [Fact]
    public void ProcessLine_TupleId_IdIsTheTuplesRepr()
    {
        var f = Filter(new FilterSettings { FailRegex = [@"conn <F-TUPLE_ID_1>\S+</F-TUPLE_ID_1> port <F-TUPLE_ID_2>\d+</F-TUPLE_ID_2> from <F-ID>\S+</F-ID>"] });
        var hit = Assert.Single(f.ProcessLine("Aug 14 11:59:00 conn bob port 41 from 2001:db8::2"));
        Assert.Equal("('2001:db8::2', 'bob', '41')", hit.Id);
    }

    [Fact]
    public void ProcessLine_TupleIdBesideAddress_TupleIsTheIdAndAddressTheIp()
    {
        var f = Filter(new FilterSettings { FailRegex = [@"conn <F-ID>\S+</F-ID> port <F-TUPLE_ID>\d+</F-TUPLE_ID> from <ADDR>"] }, FilterMode.Server with { CheckFindTime = false });
        var hit = Assert.Single(f.ProcessLine("Aug 14 11:59:00 conn bob port 109 from 192.0.2.7"));
        Assert.Equal("('bob', '109')", hit.Id);
        Assert.Equal("192.0.2.7", hit.Data["ip"]);
    }

    [Fact]
    public void ProcessLine_TupleIdWithoutItsFirstPart_NoneInTheRepr()
    {
        var f = Filter(new FilterSettings { FailRegex = [@"conn (?:<F-ID>x</F-ID>)?<F-TUPLE_ID>\d+</F-TUPLE_ID>$"] });
        Assert.Equal("(None, '42')", Assert.Single(f.ProcessLine("Aug 14 11:59:00 conn 42")).Id);
    }

    [Fact]
    public void ProcessLine_InvalidQuad_KeptAsRawId()
    {
        var f = Filter(new FilterSettings { FailRegex = ["from <HOST>"] }, FilterMode.Server with { CheckFindTime = false });
        Assert.Equal("192.030.0.6", Assert.Single(f.ProcessLine("Aug 14 11:59:00 from 192.030.0.6")).Id);
    }

    [Fact]
    public void Mlfid_StateMachine_FollowsSessionAcrossLines()
    {
        var f = Filter(new FilterSettings
        {
            PrefRegex = @"^ <F-MLFID>\S+</F-MLFID> <F-CONTENT>.+</F-CONTENT>$",
            FailRegex = ["<F-NOFAIL>connect from <HOST></F-NOFAIL>", "auth failed", "<F-MLFFORGET>closed</F-MLFFORGET>"],
        }, FilterMode.Server with { CheckFindTime = false });
        List<FilterHit> Line(string s) => [.. f.ProcessLine("Aug 14 11:59:00 " + s).Where(static h => h.IsFailure)];

        Assert.Empty(Line("c1 connect from 192.0.2.1"));
        var first = Assert.Single(Line("c1 auth failed"));
        Assert.Equal("192.0.2.1", first.Id);
        Assert.Equal(2, first.Matches.Count);
        Assert.Single(Assert.Single(Line("c1 auth failed")).Matches);
        Assert.Empty(Line("c2 auth failed"));
        var pending = Assert.Single(Line("c2 connect from 192.0.2.5"));
        Assert.Equal("192.0.2.5", pending.Id);
        Assert.Equal(2, pending.Matches.Count);
        Assert.Equal("192.0.2.1", Assert.Single(Line("c1 closed")).Id);
    }

    [Fact]
    public void ProcessLine_ResolverAnswersLater_HitWaitsForTheName()
    {
        var f = new LogFilter(new FilterSettings { FailRegex = ["from <HOST>"], UseDns = UseDns.Yes }, FilterMode.Server with { CheckFindTime = false },
            FixedTime.Clock(Now), new DateTemplateCache(2026), new LateResolver());

        var known = Assert.Single(f.ProcessLine("Aug 14 11:59:00 from fast.example"));
        Assert.Equal("192.0.2.7", known.Id);
        Assert.Null(known.UnresolvedHost);
        var waiting = Assert.Single(f.ProcessLine("Aug 14 11:59:01 from slow.example"));
        Assert.Null(waiting.Id);
        Assert.False(waiting.IsFailure);
        Assert.True(waiting.IsUnresolvedFailure);
        Assert.Equal("slow.example", waiting.UnresolvedHost);
        var counted = waiting.WithId("192.0.2.8");
        Assert.True(counted.IsFailure);
        Assert.False(counted.IsUnresolvedFailure);
        Assert.Equal(["Aug 14 11:59:01 from slow.example"], counted.Matches.Select(static m => m.ToString()));
        Assert.Equal(["192.0.2.8"], LogFilter.ResolvedIds(["192.0.2.8", "192.0.2.8"]));
    }

    [Fact]
    public void Mlfid_ResolverAnswersLater_HitKeepsTheSessionAsItWas()
    {
        var f = new LogFilter(new FilterSettings
        {
            PrefRegex = @"^ <F-MLFID>\S+</F-MLFID> <F-CONTENT>.+</F-CONTENT>$",
            FailRegex = [@"^auth failed for <F-USER>\S+</F-USER> from <HOST>$"],
            UseDns = UseDns.Yes,
        }, FilterMode.Server with { CheckFindTime = false }, FixedTime.Clock(Now), new DateTemplateCache(2026), new LateResolver());

        var first = Assert.Single(f.ProcessLine("Aug 14 11:59:00 c1 auth failed for alice from slow.example"));
        var second = Assert.Single(f.ProcessLine("Aug 14 11:59:01 c1 auth failed for bob from slow.example"));
        Assert.Equal("slow.example", first.UnresolvedHost);
        Assert.Equal("alice", first.Data["user"]);
        Assert.Single(first.Matches);
        Assert.Equal("bob", second.Data["user"]);
    }

    [Fact]
    public void MaxLines_MultiLineRegex_MatchesAcrossBufferedLines()
    {
        var f = Filter(new FilterSettings { MaxLines = 2, FailRegex = [@"^ conn (?P<c>\d+) start\n conn (?P=c) from <HOST>$"] });
        Assert.Empty(f.ProcessLine("Aug 14 11:59:00 conn 7 start"));
        var hit = Assert.Single(f.ProcessLine("Aug 14 11:59:01 conn 7 from 192.0.2.9"));
        Assert.Equal("192.0.2.9", hit.Id);
        Assert.Equal(2, hit.Matches.Count);
    }

    [Fact]
    public void Constructor_RegexWithoutIdGroup_Throws()
    {
        Assert.Throws<SharpBan.Engine.Matching.Regex.PyRegexException>(() => Filter(new FilterSettings { FailRegex = ["no id"] }));
    }

    private static readonly Lazy<LogFilter> Shared = new(() => Filter(new FilterSettings
    {
        PrefRegex = @"^(?:\S+ )?<F-MLFID>\S+</F-MLFID> <F-CONTENT>.+</F-CONTENT>$",
        FailRegex = ["from <HOST>", "user <F-USER>.*</F-USER> id <F-ID/>", "<F-NOFAIL>ok <HOST></F-NOFAIL>"],
        IgnoreRegex = ["ignore"],
    }));

    [Property(MaxTest = 500)]
    public void ProcessLine_AnyLine_NeverThrows(NonNull<string> line)
    {
        var f = Shared.Value;
        _ = f.ProcessLine(line.Get);
        _ = f.ProcessLine("Aug 14 11:59:00 s1 " + line.Get);
    }

    [Fact]
    public void ProcessLine_NoFailRegexCanMatch_SkipsPrefRegexWithSameHits()
    {
        var settings = new FilterSettings
        {
            PrefRegex = @"^\s*\S+ sshd\[<F-MLFID>\d+</F-MLFID>\]: <F-CONTENT>.+</F-CONTENT>$",
            FailRegex = [@"^Failed \S+ for <F-USER>\S+</F-USER> from <HOST>", @"^<F-NOFAIL><F-MLFFORGET>Accepted \w+</F-MLFFORGET></F-NOFAIL> for \S+ from <HOST>"],
        };
        string[] lines =
        [
            "Aug 14 11:59:00 srv sshd[1]: Failed password for bob from 192.0.2.1 port 22",
            "Aug 14 11:59:01 srv CRON[2]: session opened for user root",
            "Aug 14 11:59:02 srv sshd[1]: Accepted publickey for bob from 192.0.2.1 port 22",
            "Aug 14 11:59:03 srv sshd[3]: Failed password for eve from 192.0.2.9 port 22",
            "Aug 14 11:59:04 srv sshd[3]: Connection closed by 192.0.2.9",
        ];
        var tracked = Filter(settings, FilterMode.RegexTool);
        var skipping = Filter(settings, FilterMode.RegexTool with { TrackPrefRegex = false });
        foreach (var line in lines)
        {
            var expected = tracked.ProcessLine(line).Select(static h => (h.Id, h.FailRegexIndex, h.IsFailure)).ToList();
            Assert.Equal(expected, skipping.ProcessLine(line).Select(static h => (h.Id, h.FailRegexIndex, h.IsFailure)).ToList());
        }

        Assert.True(tracked.LastPrefRegexMatched); // the last line matched the prefregex, though no failregex could
        Assert.False(skipping.LastPrefRegexMatched);
    }

    /// <summary>Knows fast.example at once; anything else is answered later (<see cref="IDnsResolver.TryResolve"/> null).</summary>
    private sealed class LateResolver : IDnsResolver
    {
        public IReadOnlyList<string> Resolve(string host) => host == "fast.example" ? ["192.0.2.7"] : ["192.0.2.8"];

        public IReadOnlyList<string>? TryResolve(string host) => host == "fast.example" ? Resolve(host) : null;
    }
}

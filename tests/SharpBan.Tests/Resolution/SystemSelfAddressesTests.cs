using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SharpBan.Resolution;

namespace SharpBan.Tests.Resolution;

/// <summary>The host's own addresses for ignoreself: found once, then looked up again in the background every five minutes.</summary>
public sealed class SystemSelfAddressesTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public void Get_First_HoldsLocalhost()
    {
        var self = new SystemSelfAddresses(_time, new SystemDnsResolver(_time, NullLogger.Instance));
        Assert.Contains(IPAddress.Loopback, self.Get());
    }

    [Fact]
    public async Task Get_AfterFiveMinutes_LastAnswerServesWhileANewLookupRuns()
    {
        var self = new SystemSelfAddresses(_time, new SystemDnsResolver(_time, NullLogger.Instance));
        var first = self.Get();
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Same(first, self.Get()); // still fresh: no lookup

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Same(first, self.Get()); // expired: the lookup starts in the background, the last answer serves

        IReadOnlyCollection<IPAddress> next = first;
        for (var i = 0; i < 100 && ReferenceEquals(next, first); i++)
        {
            await Task.Delay(50);
            next = self.Get();
        }

        Assert.NotSame(first, next);
        Assert.Equal(first.OrderBy(static a => a.ToString()), next.OrderBy(static a => a.ToString()));
    }
}

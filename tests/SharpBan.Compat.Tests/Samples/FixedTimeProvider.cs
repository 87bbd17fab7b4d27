namespace SharpBan.Compat.Tests.Samples;

/// <summary>A clock frozen at one instant (the sample suite's "now").</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

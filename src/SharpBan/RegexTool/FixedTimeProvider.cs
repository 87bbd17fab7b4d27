namespace SharpBan.RegexTool;

/// <summary>The clock of <c>--now</c>: frozen at the given instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

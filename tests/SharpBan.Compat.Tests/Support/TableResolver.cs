using SharpBan.Engine.Matching;

namespace SharpBan.Compat.Tests.Support;

/// <summary>Host names resolved from a fixed table (the same table the Python side's patched <c>dnsToIp</c> reads).</summary>
internal sealed class TableResolver(Dictionary<string, string[]> table) : IDnsResolver
{
    public IReadOnlyList<string> Resolve(string host) => table.GetValueOrDefault(host) ?? [];
}

namespace SharpBan.Resolution;

/// <summary>What <see cref="CymruLookup"/> found: one entry per looked-up address in each list, in the same order.</summary>
internal sealed record CymruInfo(List<string> Asn, List<string> Country, List<string> Rir)
{
    public void Add(string asn, string country, string rir)
    {
        Asn.Add(asn);
        Country.Add(country);
        Rir.Add(rir);
    }
}

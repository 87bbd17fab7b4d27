using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>TAI64N labels (<c>@4000000…</c>): seconds are hex digits 2..16; nanoseconds and the TAI offset are ignored.</summary>
internal sealed class Tai64nTemplate : DateTemplate
{
    public Tai64nTemplate(bool lineStart, bool builtIn = false)
    {
        BuiltIn = builtIn;
        Name = "TAI64N";
        SetRegex("@[0-9a-f]{24}", lineStart ? BoundMode.LineStart : BoundMode.None);
    }

    public override bool TryGetDate(in DateHit hit, int? defaultOffsetMinutes, DateClock clock, out double unix)
    {
        var v = hit.Match!.Groups[DateGroup].Value; // no scanner: every hit is the regex's
        unix = long.Parse(v.AsSpan(2, 15), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return true;
    }

    public override bool IsIntegral(in DateHit hit, int? defaultOffsetMinutes) => true;
}

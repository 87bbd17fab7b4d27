using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpBan.Engine.Matching.Dates;

using Regex = System.Text.RegularExpressions.Regex;

/// <summary>
/// Fixed-offset zone names and <c>±hh[:mm]</c> offsets as fail2ban understands them (no DST switching:
/// <c>CET</c> is always +01:00). Offsets are in minutes east of UTC.
/// </summary>
internal static partial class TimeZoneOffsets
{
    // hours east of UTC, then the abbreviations with that fixed offset
    private static readonly (double Hours, string Names)[] Table =
    [
        (-12, "Y"), (-11, "X NUT SST"), (-10, "W CKT HAST HST TAHT TKT"), (-9, "V AKST GAMT GIT HADT HNY"),
        (-8, "U AKDT CIST HAY HNP PST PT"), (-7, "T HAP HNR MST PDT"), (-6, "S CST EAST GALT HAR HNC MDT"),
        (-5, "R CDT COT EASST ECT EST ET HAC HNE PET"), (-4, "Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT"),
        (-3, "P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT"), (-2, "O BRST FNT PMDT UYST WGST"),
        (-1, "N AZOT CVT EGT"), (0, "Z EGST GMT UTC WET WT"), (1, "A CET DFT WAT WEDT WEST"),
        (2, "B CAT CEDT CEST EET SAST WAST"), (3, "C EAT EEDT EEST IDT MSK"),
        (4, "D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT"), (5, "E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT"),
        (6, "F ALMT BIOT BTT IOT KGT NOVT OMST YEKST"), (7, "G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB"),
        (8, "H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST"),
        (9, "I AWDT IRKST JST KST PWT TLT WDT WIT YAKT"), (10, "K AEST ChST PGT VLAT YAKST YAPT"),
        (11, "L AEDT LHDT MAGT NCT PONT SBT VLAST VUT"), (12, "M ANAST ANAT FJT GILT MAGST MHT NZST PETST PETT TVT WFT"),
        (13, "FJST NZDT"), (11.5, "NFT"), (10.5, "ACDT LHST"), (9.5, "ACST"), (6.5, "CCT MMT"), (5.75, "NPT"),
        (5.5, "SLT"), (4.5, "AFT IRDT"), (3.5, "IRST"), (-2.5, "HAT NDT"), (-3.5, "HNT NST NT"), (-4.5, "HLV VET"),
        (-9.5, "MART MIT"),
    ];

    private static readonly Dictionary<string, int> Abbreviations = BuildAbbreviations();

    [GeneratedRegex(@"^([A-Z](?:[A-Z]{2,4})?)?([+-][01]\d(?::?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FixedOffset();

    private static Dictionary<string, int> BuildAbbreviations()
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (hours, names) in Table)
        {
            foreach (var name in names.Split(' '))
            {
                d[name] = (int)(hours * 60);
            }
        }

        return d;
    }

    /// <summary>Offset in minutes of a zone string (<c>CET</c>, <c>+0100</c>, <c>CET+01</c>, <c>UTC</c>).</summary>
    public static bool TryParse(string zone, out int minutes)
    {
        minutes = 0;
        var m = FixedOffset().Match(zone);
        if (!m.Success)
        {
            return false;
        }

        var abbr = m.Groups[1].Value;
        var offset = 0;
        if (abbr.Length > 0 && !Abbreviations.TryGetValue(abbr, out offset))
        {
            return false;
        }

        var tzo = m.Groups[2].Value;
        if (tzo.Length == 0)
        {
            minutes = offset;
            return true;
        }

        var sign = tzo[0] == '-' ? -1 : 1;
        var hh = int.Parse(tzo.AsSpan(1, 2), CultureInfo.InvariantCulture);
        if (tzo.Length <= 3)
        {
            minutes = offset + (sign * hh * 60);
            return true;
        }

        var mmStart = tzo[3] == ':' ? 4 : 3;
        var mm = int.Parse(tzo.AsSpan(mmStart, 2), CultureInfo.InvariantCulture);
        minutes = offset + (sign * ((hh * 60) + mm));
        return true;
    }
}

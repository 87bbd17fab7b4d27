using System.Net;
using SharpBan.Resolution;

namespace SharpBan.Tests.Resolution;

public sealed class CymruLookupTests
{
    [Theory]
    [InlineData("192.0.2.5", "5.2.0.192.origin.asn.cymru.com")]
    [InlineData("::ffff:198.51.100.7", "7.100.51.198.origin.asn.cymru.com")]
    [InlineData("2001:db8::5", "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.origin6.asn.cymru.com")]
    [InlineData("2001:db8:abcd:12::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.1.0.0.d.c.b.a.8.b.d.0.1.0.0.2.origin6.asn.cymru.com")]
    public void Question_ReversedOctetsOrNibbles(string address, string expected) =>
        Assert.Equal(expected, CymruLookup.Question(IPAddress.Parse(address)));

    [Fact]
    public void Parse_OneRecord_FieldsTrimmed()
    {
        var values = CymruLookup.Parse([["64496 | 192.0.2.0/24 | ZZ | arin | 2005-01-01"]]);
        Assert.Equal(["64496", "ZZ", "arin"], values!);
    }

    [Fact]
    public void Parse_SeveralRecords_EachListSortedAndJoined()
    {
        var values = CymruLookup.Parse([
            ["64497 | 192.0.2.0/24 | XB | ripencc | 2005-01-01"],
            ["64496 | 192.0.2.0/23 | XA | arin | 2005-01-01"],
            ["64497 | 192.0.0.0/16 | XB | ripencc | 2005-01-01"],
        ]);
        Assert.Equal(["64496, 64497", "XA, XB", "arin, ripencc"], values!);
    }

    [Fact]
    public void Parse_BlankFields_Unknown()
    {
        Assert.Equal(["64498", "unknown", "unknown"], CymruLookup.Parse([["64498 | 192.0.2.0/24 |  | | 2005-01-01"]])!);
    }

    [Fact]
    public void Parse_RecordOfSeveralStrings_ReadAsDnspythonPrintsIt()
    {
        // "64496 | 192.0.2.0/24 " "| ZZ | arin | 2005-01-01": the bars still cut five fields
        Assert.Equal(["64496", "ZZ", "arin"], CymruLookup.Parse([["64496 | 192.0.2.0/24 ", "| ZZ | arin | 2005-01-01"]])!);
    }

    [Theory]
    [InlineData("64497 | 192.0.2.0/24 | XA | ripencc")]
    [InlineData("64497 | 192.0.2.0/24 | XA | ripencc | 2005-01-01 | extra")]
    [InlineData("no bars at all")]
    public void Parse_NotFiveFields_Null(string record) => Assert.Null(CymruLookup.Parse([[record]]));
}

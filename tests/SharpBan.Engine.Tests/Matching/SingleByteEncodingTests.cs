using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Tests.Matching;

public sealed class SingleByteEncodingTests
{
    // Python's codecs: a byte the code page leaves undefined is an error, which fail2ban's fallback replaces
    [Theory]
    [InlineData("cp1252", 0x81, '\uFFFD')]
    [InlineData("cp1252", 0x80, '€')]
    [InlineData("cp1251", 0x98, '\uFFFD')]
    [InlineData("cp1251", 0xC0, 'А')]
    [InlineData("iso8859_6", 0xA1, '\uFFFD')] // .NET: a private-use character
    [InlineData("ascii", 0x80, '\uFFFD')]
    [InlineData("latin-1", 0x81, '\u0081')] // defined there
    [InlineData("iso8859_2", 0x93, '\u0093')]
    public void GetString_Byte_AsPython(string encoding, int b, char expected) =>
        Assert.Equal(expected.ToString(), LogEncoding.Get(encoding).GetString([(byte)b]));

    [Fact]
    public void Get_Utf7_UnknownInPythonsWords()
    {
        var e = Assert.Throws<ArgumentException>(() => LogEncoding.Get("utf_7"));
        Assert.Equal("unknown encoding: utf_7", e.Message);
    }
}

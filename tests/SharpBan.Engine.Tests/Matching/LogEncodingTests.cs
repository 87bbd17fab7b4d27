using System.Text;
using SharpBan.Engine.Matching;

namespace SharpBan.Engine.Tests.Matching;

public sealed class LogEncodingTests
{
    [Theory]
    [InlineData("latin-1", 28591)]
    [InlineData("Latin_1", 28591)]
    [InlineData("iso-8859-1", 28591)]
    [InlineData("ISO-8859-15", 28605)]
    [InlineData("cp1252", 1252)]
    [InlineData("windows-1252", 1252)]
    [InlineData("utf8", 65001)]
    [InlineData("UTF-8", 65001)]
    [InlineData("auto", 65001)]
    [InlineData("ascii", 20127)]
    [InlineData("koi8-r", 20866)]
    [InlineData("cp1251", 1251)]
    [InlineData("cp1250", 1250)]
    [InlineData("windows_1250", 1250)]
    [InlineData("ibm866", 866)]
    [InlineData("cp437", 437)]
    [InlineData("mac-roman", 10000)]
    [InlineData("iso8859-5", 28595)]
    [InlineData("iso8859_15", 28605)]
    public void Get_PythonCodecName_TheSameCodePage(string name, int codePage)
    {
        Assert.Equal(codePage, LogEncoding.Get(name).CodePage);
    }

    [Fact]
    public void Get_Utf8_WritesNoByteOrderMark()
    {
        Assert.Empty(LogEncoding.Get("utf-8").GetPreamble());
    }

    [Fact]
    public void Get_Latin1_DecodesEveryByte()
    {
        Assert.Equal("\u00e9t\u00e9", LogEncoding.Get("latin-1").GetString([0xe9, (byte)'t', 0xe9]));
    }

    [Fact]
    public void Get_Ascii_UndecodableByteBecomesReplacementCharacterAsInPython()
    {
        Assert.Equal("a\ufffdb", LogEncoding.Get("ascii").GetString([(byte)'a', 0xff, (byte)'b']));
    }

    [Fact]
    public void Get_UnknownName_PythonsMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => LogEncoding.Get("no-such-codec"));
        Assert.Equal("unknown encoding: no-such-codec", e.Message);
    }
}

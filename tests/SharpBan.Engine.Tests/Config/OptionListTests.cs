using SharpBan.Engine.Config;

namespace SharpBan.Engine.Tests.Config;

public sealed class OptionListTests
{
    [Fact]
    public void Extract_NameOnly()
    {
        var (name, options) = OptionList.Extract("sshd");
        Assert.Equal("sshd", name);
        Assert.Empty(options);
    }

    [Fact]
    public void Extract_QuotedValuesKeepCommasAndBrackets()
    {
        var (name, options) = OptionList.Extract("iptables[name=ssh, port=\"80,443\", chain='IN]PUT', protocol=tcp]");
        Assert.Equal("iptables", name);
        Assert.Equal(["name", "port", "chain", "protocol"], options.Keys);
        Assert.Equal("80,443", options["port"]);
        Assert.Equal("IN]PUT", options["chain"]);
    }

    [Fact]
    public void Extract_SeveralOptionGroups()
    {
        var (_, options) = OptionList.Extract("fw[a=1][b=2] ");
        Assert.Equal("1", options["a"]);
        Assert.Equal("2", options["b"]);
    }

    [Fact]
    public void Extract_ValuesAreStripped_TrailingCommaAllowed()
    {
        var (_, options) = OptionList.Extract("x[ a=1 , b=2, ]");
        Assert.Equal("1", options["a"]);
        Assert.Equal("2", options["b"]);
    }

    [Theory]
    [InlineData("x[a=1", "unexpected option syntax")]
    [InlineData("[a=1]", "unexpected option syntax")]
    [InlineData("x[a=1]y", "unexpected option syntax")]
    [InlineData("x[a=\"1\" b=2]", "unexpected syntax at 5 after option 'a':  b=2")]
    [InlineData("x[a=1, !]", "expected option, wrong syntax at 4:  !")]
    [InlineData("x[ a = 1]", "expected option, wrong syntax at 0:  a = 1")]
    public void Extract_BadSyntax_HasFail2banMessage(string text, string message)
    {
        var ex = Assert.Throws<ConfigException>(() => OptionList.Extract(text));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Split_SeveralActions_OnWhitespaceOutsideBrackets()
    {
        var parts = OptionList.Split("iptables[name=a, port=\"80, 443\"]\n  mail-whois[dest=\"x y\"]  dummy");
        Assert.Equal(["iptables[name=a, port=\"80, 443\"]", "mail-whois[dest=\"x y\"]", "dummy"], parts.Select(p => p.Trim()));
    }

    [Fact]
    public void Split_BracketListSpanningLines_StaysOneEntry()
    {
        var parts = OptionList.Split("fw[name=a,\n   port=22]\nother");
        Assert.Equal(2, parts.Count);
        Assert.Equal("fw[name=a,\n   port=22]", parts[0].Trim());
    }

    [Fact]
    public void SplitWords_CommasSpacesNewlines()
    {
        Assert.Equal(["127.0.0.1/8", "::1", "192.0.2.1"], OptionList.SplitWords("127.0.0.1/8,::1\n , 192.0.2.1"));
        Assert.Empty(OptionList.SplitWords(""));
    }
}

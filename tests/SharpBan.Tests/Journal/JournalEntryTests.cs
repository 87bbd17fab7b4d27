using System.Text;
using SharpBan.Journal;

namespace SharpBan.Tests.Journal;

/// <summary>Entries of <c>journalctl -o json</c> turned into the line fail2ban builds from python-systemd's values.</summary>
public sealed class JournalEntryTests
{
    [Theory]
    [InlineData("\"4242\"", "sshd[4242]:")]
    [InlineData("\"0123\"", "sshd[123]:")]
    [InlineData("\"1_0\"", "sshd[10]:")]
    [InlineData("\"0x10\"", "sshd[16]:")]
    [InlineData("\"abc\"", "sshd[b'abc']:")]
    public void Parse_SyslogPid_AsFail2banFormatsIt(string pid, string head)
    {
        var entry = JournalEntry.Parse($$"""{"__REALTIME_TIMESTAMP":"1700000000000000","SYSLOG_IDENTIFIER":"sshd","SYSLOG_PID":{{pid}},"MESSAGE":"hello"}""")!;

        Assert.Equal(head + " hello", entry.Line.After);
    }

    /// <summary>journalctl prints a field that is not valid UTF-8 or holds control characters as its bytes.</summary>
    [Fact]
    public void Parse_BinaryMessage_DecodedWithTheJailsEncoding()
    {
        const string Json = """{"__REALTIME_TIMESTAMP":"1700000000000000","SYSLOG_IDENTIFIER":"app","MESSAGE":[77,65,82,75,32,99,97,102,233]}""";

        Assert.Equal("app: MARK caf\uFFFD", JournalEntry.Parse(Json)!.Line.After);
        Assert.Equal("app: MARK café", JournalEntry.Parse(Json, Encoding.Latin1)!.Line.After);
    }

    [Fact]
    public void Parse_RepeatedBinaryField_JoinedBySpaces()
    {
        const string Json = """{"__REALTIME_TIMESTAMP":"1700000000000000","SYSLOG_IDENTIFIER":"app","MESSAGE":["one",[116,119,1,111]]}""";

        Assert.Equal("app: one tw\u0001o", JournalEntry.Parse(Json)!.Line.After);
    }
}

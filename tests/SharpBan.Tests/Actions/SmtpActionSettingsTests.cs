using SharpBan.Actions;
using SharpBan.Server;

namespace SharpBan.Tests.Actions;

public class SmtpActionSettingsTests
{
    [Theory]
    [InlineData("localhost", "localhost", 25)]
    [InlineData("mail.example.org:587", "mail.example.org", 587)]
    [InlineData("192.0.2.25:2525", "192.0.2.25", 2525)]
    [InlineData("2001:db8::25", "2001:db8::25", 25)] // more than one colon: smtplib takes it whole, on port 25
    public void SplitHost_AsSmtplibConnect(string value, string host, int port) =>
        Assert.Equal((host, port), SmtpActionSettings.SplitHost(value));

    [Theory]
    [InlineData("mail.example.org:smtp")]
    [InlineData("mail.example.org:")]
    [InlineData("mail.example.org:70000")]
    public void SplitHost_PortNotANumber_Refused(string value) =>
        Assert.Contains("nonnumeric port", Assert.Throws<ArgumentException>(() => SmtpActionSettings.SplitHost(value)).Message, StringComparison.Ordinal);

    [Fact]
    public void From_Defaults_AreSmtpPys()
    {
        var s = SmtpActionSettings.From(SmtpActionProperties.FromArguments([]));
        Assert.Equal(("localhost", 25, "Fail2Ban", "fail2ban", "root"), (s.Host, s.Port, s.FromName, s.FromAddress, s.To));
        Assert.Null(s.User);
        Assert.Null(s.Password);
        Assert.Null(s.Matches);
        Assert.Equal(SmtpTls.None, s.Tls);
    }

    [Fact]
    public void From_RecipientsSplitAtCommaAndSpaceOnly()
    {
        var s = SmtpActionSettings.From(SmtpActionProperties.FromArguments([new("dest", "a@example.org, b@example.org,c@example.org")]));
        Assert.Equal(["a@example.org", "b@example.org,c@example.org"], s.Recipients);
    }

    [Fact]
    public void From_LoginOnlyWithBothUserAndPassword()
    {
        var s = SmtpActionSettings.From(SmtpActionProperties.FromArguments([new("user", "guard"), new("password", "")]));
        Assert.Equal("guard", s.User);
        Assert.Null(s.Password);
    }

    [Theory]
    [InlineData("starttls", "StartTls")]
    [InlineData("SSL", "Ssl")]
    [InlineData("none", "None")]
    public void From_Tls(string value, string expected) =>
        Assert.Equal(expected, SmtpActionSettings.From(SmtpActionProperties.FromArguments([new("tls", value)])).Tls.ToString());

    [Fact]
    public void From_UnknownTls_Refused() =>
        Assert.Throws<ArgumentException>(() => SmtpActionSettings.From(SmtpActionProperties.FromArguments([new("tls", "maybe")])));

    [Fact]
    public void FromArguments_KeywordsBecomeSmtpPyAttributes()
    {
        var p = SmtpActionProperties.FromArguments([new("sendername", "Guard"), new("sender", "g@example.org"), new("dest", "d@example.org")]);
        Assert.Equal(("Guard", "g@example.org", "d@example.org", "1"), (p["fromname"], p["fromaddr"], p["toaddr"], p["norestored"]));
        Assert.False(p.ContainsKey("dest"));
    }

    [Fact]
    public void FromArguments_UnknownKeyword_PythonsError() =>
        Assert.Equal("SMTPAction.__init__() got an unexpected keyword argument 'port'",
            Assert.Throws<ArgumentException>(() => SmtpActionProperties.FromArguments([new("port", "25")])).Message);

    [Fact]
    public void PythonAction_SmtpPyAnywhere_ArgumentsFromTheStreamsJson()
    {
        var p = PythonAction.Properties("sshd", "smtp", ["/somewhere/else/action.d/smtp.py", """{"dest": "x@example.org", "host": "192.0.2.25:2525"}"""]);
        Assert.Equal(("x@example.org", "192.0.2.25:2525"), (p["toaddr"], p["host"]));
    }

    [Theory]
    [InlineData("/etc/fail2ban/action.d/custom.py", "Python actions are not supported")]
    [InlineData("/etc/fail2ban/action.d/smtp.py", "list index out of range")]
    public void PythonAction_OtherFileOrNoArguments_Refused(string file, string message)
    {
        object?[] words = file.EndsWith("smtp.py", StringComparison.Ordinal) ? [file] : [file, "{}"];
        Assert.Contains(message, Assert.Throws<CommandException>(() => PythonAction.Properties("sshd", "a", words)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{not json")]
    public void PythonAction_ArgumentsNotAnObject_Refused(string json) =>
        Assert.Throws<CommandException>(() => PythonAction.Properties("sshd", "smtp", ["smtp.py", json]));
}

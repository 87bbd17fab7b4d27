using System.Text.Json;
using SharpBan.RegexTool;

namespace SharpBan.Tests.RegexTool;

public sealed class RegexCommandTests
{
    private static (int Exit, string Out, string Err) Run(RegexToolOptions options)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var rc = RegexCommand.Run(options, o, e);
        return (rc, o.ToString(), e.ToString());
    }

    [Fact]
    public void Run_LiteralLineAndRegex_ReportsCounts()
    {
        var (rc, output, _) = Run(new RegexToolOptions
        {
            Log = "2005-08-14 10:00:00 failed login from 192.0.2.7",
            Filter = "failed login from <HOST>$",
            Now = 1124013600,
        });
        Assert.Equal(0, rc);
        Assert.Contains("Lines: 1 lines, 0 ignored, 1 matched, 0 missed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Json_EmitsOneObjectPerFailure()
    {
        var (rc, output, _) = Run(new RegexToolOptions
        {
            Log = "x\n2005-08-14 10:00:00 failed login for bob from 192.0.2.7",
            Filter = "failed login for <F-USER>\\S+</F-USER> from <HOST>$",
            Json = true,
            Raw = true,
            Now = 1124013600,
        });
        Assert.Equal(0, rc);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var doc = JsonDocument.Parse(line).RootElement;
        Assert.Equal(2, doc.GetProperty("line").GetInt32());
        Assert.Equal("192.0.2.7", doc.GetProperty("host").GetString());
        Assert.Equal("bob", doc.GetProperty("user").GetString());
        Assert.Equal(1, doc.GetProperty("matches").GetArrayLength());
    }

    /// <summary>
    /// Fields named like the fixed keys (<c>&lt;F-LINE&gt;</c>, <c>&lt;F-TIME&gt;</c>, a legacy <c>host</c> group) come
    /// under <c>f-…</c>: each name once, and the log's text never stands in for the line number, the id or the time.
    /// </summary>
    [Fact]
    public void Run_Json_FieldsNamedLikeTheFixedKeys_UnderFPrefixedNames()
    {
        var (rc, output, _) = Run(new RegexToolOptions
        {
            Log = "2005-08-14 10:00:00 fail 192.0.2.7 line7 t9 web1",
            Filter = "fail <HOST> <F-LINE>\\S+</F-LINE> <F-TIME>\\S+</F-TIME> (?P<host>\\S+)$",
            Json = true,
            Now = 1124013600,
        });
        Assert.Equal(0, rc);
        var json = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var names = new List<string>();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                names.Add(reader.GetString()!);
            }
        }

        Assert.Equal(names.Distinct().Count(), names.Count);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("line").GetInt32());
        Assert.Equal("192.0.2.7", root.GetProperty("host").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("time").ValueKind);
        Assert.Equal("line7", root.GetProperty("f-line").GetString());
        Assert.Equal("t9", root.GetProperty("f-time").GetString());
        Assert.Equal("web1", root.GetProperty("f-host").GetString());
    }

    [Fact]
    public void Run_Json_KeepsLogTextReadableAndEscapesOnlyWhatJsonNeeds()
    {
        const string Line = "2005-08-14 10:00:00 +0100 failed login for j\u00fcrgen <a&b> \"q\" \\ from 192.0.2.7";
        var (rc, output, _) = Run(new RegexToolOptions
        {
            Log = Line,
            Filter = "failed login for .* from <HOST>$",
            Json = true,
            Now = 1124013600,
        });

        Assert.Equal(0, rc);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("+0100 failed login for j\u00fcrgen <a&b> \\\"q\\\" \\\\ from", line, StringComparison.Ordinal);
        Assert.Equal(Line, JsonDocument.Parse(line).RootElement.GetProperty("matches")[0].GetString());
    }

    [Fact]
    public void Run_BadRegex_Exits255()
    {
        var (rc, output, _) = Run(new RegexToolOptions { Log = "x", Filter = "(?P<x>broken" });
        Assert.Equal(255, rc);
        Assert.EndsWith(
            "Use   failregex line : (?P<x>broken\nERROR: Unable to compile regular expression '(?P<x>broken':\nmissing ), unterminated subpattern at position 0\n",
            output.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true, "/etc/sharpban")]
    [InlineData(false, true, "/etc/fail2ban")]
    [InlineData(false, false, null)]
    public void DefaultConfigDirectory_SharpBanThenFail2banThenShipped(bool sharpban, bool fail2ban, string? expected)
    {
        var directory = RegexCommand.DefaultConfigDirectory(d => d == "/etc/sharpban" ? sharpban : d == "/etc/fail2ban" && fail2ban);

        Assert.Equal(expected ?? Path.Join(AppContext.BaseDirectory, "config"), directory);
        Assert.True(expected is not null || File.Exists(Path.Join(directory, "filter.d", "sshd.conf")), "the shipped configuration has an sshd filter");
    }
}

using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Actions;

public class ActionTemplateTests
{
    private static BanTicket Ticket(string user) => new("192.0.2.1", 1000)
    {
        Failures = 3,
        Matches = [$"Failed password for {user} from 192.0.2.1"],
        Data = new Dictionary<string, object?> { ["user"] = user },
    };

    [Fact]
    public void SubstituteStatic_NestedAndFamily_ResolvesInnermost()
    {
        var props = new Dictionary<string, string>
        {
            ["actionban"] = "<cmd> add <set> <ip>",
            ["cmd"] = "nft",
            ["set"] = "addr-set-<name>",
            ["set?family=inet6"] = "addr6-set-<name>",
            ["name"] = "sshd",
        };
        Assert.Equal("nft add addr6-set-sshd <ip>", ActionTemplate.SubstituteStatic("<actionban>", props, "inet6"));
        Assert.Equal("nft add addr-set-sshd <ip>", ActionTemplate.SubstituteStatic("<actionban>", props, "inet4"));
    }

    [Fact]
    public void SubstituteStatic_SelfReference_Throws() =>
        Assert.Throws<ArgumentException>(() => ActionTemplate.SubstituteStatic("<a>", new Dictionary<string, string> { ["a"] = "x<a>" }, null));

    [Theory]
    [InlineData("echo <F-USER>", "echo \"${f2bV_F_USER}\"")]
    [InlineData("echo '<F-USER>'", "echo ''\"${f2bV_F_USER}\"''")]
    [InlineData("echo \"user <F-USER>\"", "echo \"user ${f2bV_F_USER}\"")]
    [InlineData("printf %b \"<matches>\"", "printf %b \"${f2bV_matches}\"")]
    public void SubstituteDynamic_LogText_IsAVariableInEveryQuotingContext(string script, string expected)
    {
        var cmd = ActionTemplate.SubstituteDynamic(script, new TicketTagValues("sshd", Ticket("$(touch /tmp/pwned)"), "", 0, 600));
        Assert.Equal(expected, cmd.Script);
        Assert.DoesNotContain("touch", cmd.Script, StringComparison.Ordinal);
        Assert.Contains(cmd.Environment.Values, v => v.Contains("$(touch /tmp/pwned)", StringComparison.Ordinal));
    }

    /// <summary>Inside a command substitution the shell starts unquoted again, also within double quotes.</summary>
    [Theory]
    [InlineData("echo \"x $(printf %s <F-USER>) y\"", "echo \"x $(printf %s \"${f2bV_F_USER}\") y\"")]
    [InlineData("echo \"`printf %s <F-USER>`\"", "echo \"`printf %s \"${f2bV_F_USER}\"`\"")]
    [InlineData("echo \"$(printf %s \"<F-USER>\")\"", "echo \"$(printf %s \"${f2bV_F_USER}\")\"")]
    [InlineData("echo $( (printf %s <F-USER>) )", "echo $( (printf %s \"${f2bV_F_USER}\") )")]
    [InlineData("echo \"$(date) <F-USER>\"", "echo \"$(date) ${f2bV_F_USER}\"")]
    [InlineData("echo \"$(printf '%s)' x) <F-USER>\"", "echo \"$(printf '%s)' x) ${f2bV_F_USER}\"")]
    public void SubstituteDynamic_InsideCommandSubstitution_QuotedForItsOwnContext(string script, string expected)
    {
        var cmd = ActionTemplate.SubstituteDynamic(script, new TicketTagValues("sshd", Ticket("a  *  b"), "", 0, 600));
        Assert.Equal(expected, cmd.Script);
    }

    /// <summary>What the shell makes of it: the value arrives whole, not split at spaces nor expanded as a glob.</summary>
    [Theory]
    [InlineData("printf '[%s]' \"$(printf %s <F-USER>)\"")]
    [InlineData("printf '[%s]' \"`printf %s <F-USER>`\"")]
    [InlineData("printf '[%s]' \"$(printf '%s' \"$(printf %s <F-USER>)\")\"")]
    [InlineData("printf '[%s]' <F-USER>")]
    public void SubstituteDynamic_ShellRunsIt_ValueArrivesVerbatim(string script)
    {
        const string User = "a  * $(touch /tmp/sharpban-never) b";
        var cmd = ActionTemplate.SubstituteDynamic(script, new TicketTagValues("sshd", Ticket(User), "", 0, 600));
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", cmd.Script]) { RedirectStandardOutput = true, WorkingDirectory = "/" };
        foreach (var (key, value) in cmd.Environment)
        {
            info.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal($"[{User}]", output);
    }

    [Fact]
    public void SubstituteDynamic_SafeValues_AreInline()
    {
        var cmd = ActionTemplate.SubstituteDynamic("ban <ip> <failures> <bantime> <family> <time> <unknown>", new TicketTagValues("sshd", Ticket("bob"), "", 0, 600));
        Assert.Equal("ban 192.0.2.1 3 600 inet4 1000.0 <unknown>", cmd.Script);
        Assert.Empty(cmd.Environment);
    }

    [Fact]
    public void SubstituteDynamic_MissingFTag_IsEmpty()
    {
        var cmd = ActionTemplate.SubstituteDynamic("x<F-NOPE>y", new TicketTagValues("sshd", Ticket("bob"), "", 0, 600));
        Assert.Equal("", cmd.Environment["f2bV_F_NOPE"]);
    }

    /// <summary>Without a database the merged-ban tags are the ticket's own, as fail2ban's fallback to the ticket.</summary>
    [Fact]
    public void SubstituteDynamic_NoDatabase_MergedTagsAreTheTickets()
    {
        var cmd = ActionTemplate.SubstituteDynamic("<ipfailures> <ipjailfailures> <ipmatches>", new TicketTagValues("sshd", Ticket("bob"), "", 0, 600));

        Assert.StartsWith("3 3 ", cmd.Script, StringComparison.Ordinal);
        Assert.Contains(cmd.Environment.Values, v => v == "Failed password for bob from 192.0.2.1");
    }

    /// <summary>fail2ban's ticket time is an int for a date with a zone and for a database row, else a float.</summary>
    [Theory]
    [InlineData(false, "1124013600.0")]
    [InlineData(true, "1124013600")]
    public void SubstituteDynamic_Time_IntOrFloatAsPython(bool integerTime, string expected)
    {
        var failures = new FailManager { MaxRetry = 1 };
        var ticket = BanTicket.From(failures.AddFailure("192.0.2.1", 1124013600, ["x"], new Dictionary<string, object?>(), integerTime: integerTime)!);

        Assert.Equal(expected, ActionTemplate.SubstituteDynamic("<time>", new TicketTagValues("sshd", ticket, "", 0, 600)).Script);
    }
}

using System.Diagnostics;
using SharpBan.Tests.Server;

namespace SharpBan.Tests.RegexTool;

/// <summary>
/// <c>systemd-journal[…]</c> as LOG: real journal files written by <c>systemd-journal-remote</c> (see
/// <see cref="JournalFile"/>) read through journalctl with the filter's journalmatch or <c>-m</c>; compared with
/// fail2ban-regex when it and python3-systemd are installed (required with SHARPBAN_REQUIRE_ORACLE=1).
/// </summary>
public sealed class JournalLogTests : IDisposable
{
    private const string Reference = "/usr/bin/fail2ban-regex";
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-regex-journal-").FullName;

    public JournalLogTests()
    {
        JournalFile.Append(File, JournalFile.Sshd("Failed password for root from 192.0.2.9 port 22 ssh2"),
            JournalFile.Entry("cron.service", "cron", "Failed password for root from 192.0.2.10 port 22 ssh2"),
            JournalFile.Sshd("Accepted publickey for bob from 192.0.2.11 port 22 ssh2"));
    }

    private string File => Path.Join(_dir, "test.journal");

    public static TheoryData<string> Variants() => new()
    {
        "journalfiles:sshd journalmatch",
        "journalpath:all entries",
        "journalfiles:-m cron",
    };

    [Fact]
    public void Run_FilterJournalMatch_ReadsOnlyMatchingEntries()
    {
        var (rc, output) = RegexCli.Run([.. Arguments("journalfiles:sshd journalmatch"), "--print-all-matched"]);
        Assert.Equal(0, rc);
        Assert.Contains("Use         systemd journal\n", output, StringComparison.Ordinal);
        Assert.Contains("Use    journal match : _SYSTEMD_UNIT=sshd.service + _COMM=sshd\n", output, StringComparison.Ordinal);
        Assert.Equal("Lines: 2 lines, 0 ignored, 2 matched, 0 missed", RegexCli.Lines(output)); // "Accepted" counts as matched
        Assert.Matches(@"\|  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?[+-]\d\d:\d\d host sshd\[4242\]: Failed password for root from 192\.0\.2\.9 port 22 ssh2\n", output);
        Assert.DoesNotContain("|- [# of hits] date format", output, StringComparison.Ordinal); // dates come with the entries
    }

    [Fact]
    public void Run_NoDatePattern_NoDateSection()
    {
        var (rc, output) = RegexCli.Run("-m", "", $"systemd-journal[journalfiles={File}]", "from <HOST> port");
        Assert.Equal(0, rc);
        Assert.Equal("Lines: 3 lines, 0 ignored, 3 matched, 0 missed", RegexCli.Lines(output));
        Assert.DoesNotContain("Date template hits:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EmptyJournalMatchOption_ReadsAllEntries()
    {
        var (_, output) = RegexCli.Run(Arguments("journalpath:all entries"));
        Assert.Equal("Lines: 3 lines, 0 ignored, 2 matched, 1 missed", RegexCli.Lines(output));
        Assert.DoesNotContain("journal match", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_JournalMatchOption_ReplacesTheFilters()
    {
        var (_, output) = RegexCli.Run(Arguments("journalfiles:-m cron"));
        Assert.Contains("Use    journal match : _COMM=cron\n", output, StringComparison.Ordinal);
        Assert.Equal("Lines: 1 lines, 0 ignored, 0 matched, 1 missed", RegexCli.Lines(output));
    }

    [Fact]
    public void Run_UnknownBackendOption_Exits255()
    {
        var (rc, output) = RegexCli.Run("systemd-journal[journaldir=/x]", "sshd");
        Assert.Equal(255, rc);
        Assert.Contains("unexpected backend option 'journaldir'", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Run_SameArguments_SameAsFail2BanRegex(string variant)
    {
        var available = System.IO.File.Exists(Reference) && System.IO.File.Exists("/usr/lib/python3/dist-packages/systemd/journal.py");
        if (!available)
        {
            Assert.False(Environment.GetEnvironmentVariable("SHARPBAN_REQUIRE_ORACLE") == "1", "fail2ban-regex with python3-systemd is required");
            return; // no oracle here: the facts above still check the journal reading
        }

        string[] args = [.. Arguments(variant), "--print-all-matched", "--print-all-missed", "--print-all-ignored"];
        var (_, ours) = RegexCli.Run(args);
        Assert.Equal(WithoutTiming(Fail2BanRegex(args)), WithoutTiming(ours));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Arguments(string variant) => variant switch
    {
        "journalfiles:sshd journalmatch" => ["-c", "/etc/fail2ban", $"systemd-journal[journalfiles={File}]", "sshd"],
        "journalpath:all entries" => ["-c", "/etc/fail2ban", "-m", "", $"systemd-journal[journalpath={_dir}]", "sshd"],
        "journalfiles:-m cron" => ["-c", "/etc/fail2ban", "-m", "_COMM=cron", $"systemd-journal[journalfiles={File}]", "sshd"],
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    private static string WithoutTiming(string output) =>
        string.Join('\n', output.Split('\n').Where(static l => !l.StartsWith("[processed in ", StringComparison.Ordinal)));

    private static string Fail2BanRegex(string[] args)
    {
        var info = new ProcessStartInfo(Reference) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return stdout + stderr.Result;
    }
}

using SharpBan.Journal;

namespace SharpBan.Tests.Journal;

public class JournalArgumentsTests
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> Matches = [["_SYSTEMD_UNIT=ssh.service"], ["_COMM=sshd"]];

    [Theory]
    [InlineData("systemd", "--system --merge _SYSTEMD_UNIT=ssh.service + _COMM=sshd")]
    [InlineData("systemd[journalpath=/var/log/remote]", "--directory=/var/log/remote _SYSTEMD_UNIT=ssh.service + _COMM=sshd")]
    [InlineData("systemd[journalflags=12]", "--system --user --merge _SYSTEMD_UNIT=ssh.service + _COMM=sshd")]
    [InlineData("systemd[namespace=web, journalflags=5]", "--namespace=web --system _SYSTEMD_UNIT=ssh.service + _COMM=sshd")]
    public void Build_BackendOptions_BecomeJournalctlArguments(string backend, string expected) =>
        Assert.Equal(expected, string.Join(' ', JournalArguments.Build(backend, Matches)));

    /// <summary>As fail2ban: each word globbed, a word that matches no file dropped (journalctl refuses a missing --file).</summary>
    [Fact]
    public void Build_JournalFiles_GlobbedAndMissingOnesDropped()
    {
        var dir = Directory.CreateTempSubdirectory("sharpban-journalfiles-").FullName;
        try
        {
            File.WriteAllText(Path.Join(dir, "x1.journal"), "");
            File.WriteAllText(Path.Join(dir, "b.journal"), "");

            var args = JournalArguments.Build($"systemd[journalfiles='{dir}/x*.journal, {dir}/b.journal {dir}/missing.journal', journalflags=1]", Matches);

            Assert.Equal($"--file={dir}/x1.journal --file={dir}/b.journal _SYSTEMD_UNIT=ssh.service + _COMM=sshd", string.Join(' ', args));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Build_EmptyMatchGroups_AddNothing() =>
        Assert.Equal("--system --merge A=1 + B=2", string.Join(' ', JournalArguments.Build("systemd", [[], ["A=1"], [], ["B=2"], []])));

    [Theory]
    [InlineData("systemd[journaldir=/x]", "unexpected backend option 'journaldir' for systemd")]
    [InlineData("systemd[journalflags=all]", "journalflags 'all' is not a number")]
    public void Build_BadOption_SaysWhich(string backend, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => JournalArguments.Build(backend, Matches)).Message);

    /// <summary>A stray <c>+</c> in a match (fail2ban-regex <c>-m "+"</c>, a journalmatch line ending in <c>+</c>) selects as fail2ban does: empty groups add nothing.</summary>
    [Theory]
    [InlineData("+", "--system --merge")]
    [InlineData("_COMM=cron +", "--system --merge _COMM=cron")]
    [InlineData("+ _COMM=cron", "--system --merge _COMM=cron")]
    [InlineData("_COMM=cron + + _COMM=sshd", "--system --merge _COMM=cron + _COMM=sshd")]
    public void SplitGroups_StrayPlus_SelectsAsFail2Ban(string words, string expected) =>
        Assert.Equal(expected, string.Join(' ', JournalArguments.Build("systemd", JournalArguments.SplitGroups(words.Split(' ')))));
}

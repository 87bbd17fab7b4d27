using SharpBan.Journal;

namespace SharpBan.Tests.Journal;

public class JournalArgumentsTests
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> Matches = [["_SYSTEMD_UNIT=ssh.service"], ["_COMM=sshd"]];

    [Theory]
    [InlineData("systemd", "--system --merge _SYSTEMD_UNIT=ssh.service + _COMM=sshd")]
    [InlineData("systemd[journalpath=/var/log/remote]", "--directory=/var/log/remote _SYSTEMD_UNIT=ssh.service + _COMM=sshd")]
    [InlineData("systemd[journalfiles=\"/a.journal, /b.journal\"]", "--file=/a.journal --file=/b.journal _SYSTEMD_UNIT=ssh.service + _COMM=sshd")]
    [InlineData("systemd[journalfiles='/j/*.journal /k.journal', journalflags=1]", "--file=/j/*.journal --file=/k.journal _SYSTEMD_UNIT=ssh.service + _COMM=sshd")]
    [InlineData("systemd[journalflags=12]", "--system --user --merge _SYSTEMD_UNIT=ssh.service + _COMM=sshd")]
    [InlineData("systemd[namespace=web, journalflags=5]", "--namespace=web --system _SYSTEMD_UNIT=ssh.service + _COMM=sshd")]
    public void Build_BackendOptions_BecomeJournalctlArguments(string backend, string expected) =>
        Assert.Equal(expected, string.Join(' ', JournalArguments.Build(backend, Matches)));

    [Theory]
    [InlineData("systemd[journaldir=/x]", "unexpected backend option 'journaldir' for systemd")]
    [InlineData("systemd[journalflags=all]", "journalflags 'all' is not a number")]
    public void Build_BadOption_SaysWhich(string backend, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => JournalArguments.Build(backend, Matches)).Message);
}

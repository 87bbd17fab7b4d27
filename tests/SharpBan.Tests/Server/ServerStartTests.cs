using System.Diagnostics;

namespace SharpBan.Tests.Server;

/// <summary>
/// A socket or pid file that cannot be made stops <c>sharpban server</c> before any jail starts (whose actionstart
/// would change the firewall), with one line naming the file and the C library's reason, and exit status 255.
/// Before, both ended in an unhandled exception with a stack trace (the socket's after the jails had started).
/// </summary>
public sealed class ServerStartTests
{
    private const string Jail = TestDaemon.PollingJail;

    [Theory]
    [InlineData("-s", "/proc/sharpban-nowhere/s.sock", "ERROR: cannot create the socket /proc/sharpban-nowhere/s.sock: No such file or directory; the server was not started")]
    [InlineData("-p", "/proc/sharpban-nowhere/s.pid", "ERROR: cannot create the pid file /proc/sharpban-nowhere/s.pid: No such file or directory; the server was not started")]
    [InlineData("-s", "LONG", "the path is longer than the 107 bytes a Unix socket's path can have; the server was not started")]
    public async Task Server_UnusableSocketOrPidFile_ClearErrorAndNoJailStarted(string option, string path, string error)
    {
        await using var d = await TestDaemon.StartAsync(Jail, start: false);
        if (path == "LONG")
        {
            path = Path.Join(d.Dir, new string('x', 120), "s.sock");
        }

        using var server = Process.Start(TestDaemon.Sharpban("server", "-f", "-x", "-c", d.Dir, option, path))!;
        var stderr = server.StandardError.ReadToEndAsync();
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var text = await stderr;

        Assert.Equal(255, server.ExitCode);
        Assert.Contains(error, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Jail 'sshd' started", d.Log(), StringComparison.Ordinal);
        Assert.False(File.Exists(d.DummyFile), "an action ran");
    }

    /// <summary>
    /// <c>client start</c> starts the server in the background: one that ends at start is reported at once with its own
    /// words and status (it used to wait 30 s and say only that the server did not answer).
    /// </summary>
    [Fact]
    public async Task ClientStart_ServerEndsAtStart_ItsErrorAtOnce()
    {
        await using var d = await TestDaemon.StartAsync(Jail, start: false);
        var took = Stopwatch.StartNew();
        using var client = Process.Start(TestDaemon.Sharpban("client", "-c", d.Dir, "-s", "/proc/sharpban-nowhere/s.sock", "start"))!;
        var stderr = client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(255, client.ExitCode);
        Assert.Contains(
            "Could not start server: the server exited with status 255:\nERROR: cannot create the socket /proc/sharpban-nowhere/s.sock: No such file or directory",
            await stderr, StringComparison.Ordinal);
        Assert.True(took.Elapsed < TimeSpan.FromSeconds(25), $"{took.Elapsed}: the client waited for the dead server");
    }
}

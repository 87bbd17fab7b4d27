using System.Diagnostics;

namespace SharpBan.Tests.Server;

/// <summary>
/// A socket or pid file that cannot be made stops <c>sharpban server</c> before any jail starts (whose actionstart
/// would change the firewall), with one line naming the file and the C library's reason, and exit status 255.
/// Before, both ended in an unhandled exception with a stack trace (the socket's after the jails had started).
/// </summary>
public sealed class ServerStartTests
{
    private const string Jail = """
        [sshd]
        enabled = true
        backend = polling
        logpath = $DIR/auth.log
        action = dummy[target="$DIR/dummy.out"]
        """;

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

        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Join(AppContext.BaseDirectory, "sharpban.dll"), "server", "-f", "-x", "-c", d.Dir, option, path })
        {
            psi.ArgumentList.Add(a);
        }

        using var server = Process.Start(psi)!;
        var stderr = server.StandardError.ReadToEndAsync();
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var text = await stderr;

        Assert.Equal(255, server.ExitCode);
        Assert.Contains(error, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Jail 'sshd' started", d.Log(), StringComparison.Ordinal);
        Assert.False(File.Exists(d.DummyFile), "an action ran");
    }
}

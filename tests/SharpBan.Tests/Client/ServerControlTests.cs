using System.Net.Sockets;
using SharpBan.Client;

namespace SharpBan.Tests.Client;

/// <summary><see cref="ServerControl"/> against sockets that misbehave.</summary>
public sealed class ServerControlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-control-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A server that takes the connection and never answers (hung, or stuck behind its command gate) gives
    /// fail2ban-client's message and exit status after <c>--timeout</c>; it used to end with status 1 and nothing said.
    /// </summary>
    [Fact]
    public async Task RunAsync_ServerNeverAnswers_TimesOutWithAnError()
    {
        var path = Path.Join(_dir, "s.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(4); // connections wait in the backlog, unanswered
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await ServerControl.RunAsync(_dir, path, Path.Join(_dir, "s.pid"), false, ["status"], output, error, TimeSpan.FromSeconds(1));

        Assert.Equal(255, code);
        Assert.Contains("[timed out] Unable to contact server. Is it running?", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A configuration directory that does not exist gets fail2ban-client's answer (standard output, trailing space,
    /// status 255), also when socket and pid file are given; it used to say the socket could not be reached.
    /// </summary>
    [Fact]
    public async Task RunAsync_ConfigDirectoryMissing_Fail2banClientsError()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await ServerControl.RunAsync(Path.Join(_dir, "nosuch") + "/", Path.Join(_dir, "s.sock"), Path.Join(_dir, "s.pid"), false, ["ping"], output, error);

        Assert.Equal(255, code);
        Assert.Equal($"ERROR: Base configuration directory {_dir}/nosuch does not exist \n", output.ToString());
        Assert.Equal("", error.ToString());
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using SharpBan.Server.Logs;

namespace SharpBan.Tests.Server.Logs;

public sealed class LogFileReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpban-reader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Lines end at '\n' only, as fail2ban reads them: a carriage return inside a line (which a client could smuggle
    /// into a logged user name) must not start a forged line of its own; every '\r' before the newline is trimmed.
    /// </summary>
    [Fact]
    public void ReadNew_CarriageReturns_SplitAtNewlineOnlyAndTrimmedAtTheEnd()
    {
        var path = Path.Join(_dir, "auth.log");
        File.WriteAllText(path, "first\r\r\nuser x\rNov 25 10:00:01 h sshd[2]: Failed password for root from 192.0.2.9\r\nlast\rpartial");
        using var reader = new LogFileReader(path, NullLogger.Instance);
        Assert.True(reader.Open(tail: false, stored: null));

        var lines = reader.ReadNew();

        Assert.Equal(["first", "user x\rNov 25 10:00:01 h sshd[2]: Failed password for root from 192.0.2.9"], lines);
    }
}

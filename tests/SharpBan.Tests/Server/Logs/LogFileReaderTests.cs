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

    /// <summary>
    /// A log in UTF-16 or UTF-32 (<c>logencoding = utf-16le</c>; SQL Server on Linux writes its errorlog so): its newline is
    /// a whole code unit (<c>0A 00</c> in UTF-16LE), not the byte 0A, which also occurs inside other characters
    /// (U+010A is <c>0A 01</c>). fail2ban finds the newline in the decoded text; every line is read, in order, also when
    /// the writer has written half a code unit so far.
    /// </summary>
    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    public void ReadNew_WideEncoding_NewlineIsAWholeCodeUnit(string encoding)
    {
        var enc = SharpBan.Engine.Matching.LogEncoding.Get(encoding);
        var path = Path.Join(_dir, "errorlog");
        string[] written = ["Login failed for user 'sa' \u010A\u0A0A [CLIENT: 192.0.2.7]", "second \u0D0A line\r", "third"];
        File.WriteAllBytes(path, enc.GetBytes(written[0] + "\n" + written[1] + "\n"));
        using var reader = new LogFileReader(path, NullLogger.Instance);
        reader.SetEncoding(encoding);
        Assert.True(reader.Open(tail: false, stored: null));

        Assert.Equal([written[0], "second \u0D0A line"], reader.ReadNew());
        Assert.NotNull(reader.FirstLineHash);

        var third = enc.GetBytes(written[2] + "\n");
        using (var append = new FileStream(path, FileMode.Append))
        {
            append.Write(third, 0, 3); // half a code unit (and less than one character)
        }

        Assert.Empty(reader.ReadNew());
        using (var append = new FileStream(path, FileMode.Append))
        {
            append.Write(third, 3, third.Length - 3);
        }

        Assert.Equal([written[2]], reader.ReadNew());
        Assert.Equal(new FileInfo(path).Length, reader.Position);
    }

    /// <summary>
    /// A line longer than the reader keeps (1 MiB) is matched by its head, also when its newline arrives in a later
    /// read: the next read starts again at the line's beginning, not in its middle.
    /// </summary>
    [Fact]
    public void ReadNew_LongPartialLineCompletedLater_KeepsItsHead()
    {
        var path = Path.Join(_dir, "auth.log");
        var head = "Nov 25 10:00:01 h sshd[1]: LONG 192.0.2.82 ";
        File.WriteAllText(path, "a\n" + head + new string('x', 1_500_000));
        using var reader = new LogFileReader(path, NullLogger.Instance);
        Assert.True(reader.Open(tail: false, stored: null));
        Assert.Equal(["a"], reader.ReadNew());
        File.AppendAllText(path, " MID 192.0.2.81\nb\n");

        var lines = reader.ReadNew();

        Assert.Equal(2, lines.Count);
        Assert.StartsWith(head + "xxx", lines[0], StringComparison.Ordinal);
        Assert.Equal(1 << 20, lines[0].Length);
        Assert.Equal("b", lines[1]);
        Assert.Empty(reader.ReadNew());
    }

    /// <summary>A first line longer than 4 KiB still identifies the file, so a restart resumes where it stopped.</summary>
    [Fact]
    public void Open_LongFirstLine_StoredPositionIsUsed()
    {
        var path = Path.Join(_dir, "auth.log");
        File.WriteAllText(path, new string('k', 5000) + "\nold failure\n");
        long position;
        string? hash;
        using (var first = new LogFileReader(path, NullLogger.Instance))
        {
            Assert.True(first.Open(tail: false, stored: null));
            Assert.Equal(2, first.ReadNew().Count);
            (position, hash) = (first.Position, first.FirstLineHash);
        }

        File.AppendAllText(path, "new failure\n");
        using var reader = new LogFileReader(path, NullLogger.Instance);
        Assert.NotNull(hash);
        Assert.True(reader.Open(tail: false, stored: (hash, position)));

        Assert.Equal(["new failure"], reader.ReadNew());
    }

    /// <summary>
    /// A FIFO (or a device) put in the log's place is not opened: opening a FIFO blocks until a writer comes, which
    /// stopped the loop that reads every log file. Once a regular file is back it is read.
    /// </summary>
    [Fact]
    public async Task ReadNew_FifoInPlaceOfTheLog_NotOpenedThenTheFileIsReadAgain()
    {
        var path = Path.Join(_dir, "auth.log");
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path])!;
        await mkfifo.WaitForExitAsync();
        using var reader = new LogFileReader(path, NullLogger.Instance);

        var opened = await Task.Run(() => reader.Open(tail: false, stored: null)).WaitAsync(TimeSpan.FromSeconds(10));
        var lines = await Task.Run(reader.ReadNew).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(opened);
        Assert.Empty(lines);
        File.Delete(path);
        File.WriteAllText(path, "back\n");
        Assert.Equal(["back"], reader.ReadNew());
        Assert.Empty(await Task.Run(() => new LogFileReader("/dev/zero", NullLogger.Instance).ReadNew()).WaitAsync(TimeSpan.FromSeconds(10)));
    }
}

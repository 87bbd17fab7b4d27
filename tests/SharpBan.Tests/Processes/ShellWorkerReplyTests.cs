using System.Text;
using SharpBan.Processes;

namespace SharpBan.Tests.Processes;

public sealed class ShellWorkerReplyTests
{
    private const string Nonce = "0123456789abcdef";

    private static readonly byte[] Stream = Encoding.UTF8.GetBytes(
        "stale sbw:0123456789abcdef:end 0\nsbw:0123456789abcdef:begin\nhello\nsbw:other:end 0\nworld sbw:0123456789abcdef:end 42\ntrailing");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Feed_InPiecesOfAnySize_FindsOutputAndStatus(int piece)
    {
        var reply = new ShellWorkerReply(Nonce);
        for (var i = 0; i < Stream.Length && !reply.Done; i += piece)
        {
            reply.Feed(Stream.AsSpan(i, Math.Min(piece, Stream.Length - i)));
        }

        Assert.True(reply.Started);
        Assert.True(reply.Done);
        Assert.Equal(42, reply.ExitCode);
        Assert.Equal("hello\nsbw:other:end 0\nworld ", reply.Output);
    }

    [Fact]
    public void Feed_NoStatusLineYet_IsNotDone()
    {
        var reply = new ShellWorkerReply(Nonce);
        reply.Feed(Encoding.UTF8.GetBytes("sbw:0123456789abcdef:begin\nout sbw:0123456789abcdef:end 4"));
        Assert.True(reply.Started);
        Assert.False(reply.Done);
        reply.Feed("2\n"u8);
        Assert.Equal(42, reply.ExitCode);
    }

    [Fact]
    public void Feed_BeforeTheBeginMarker_IsNotStarted()
    {
        var reply = new ShellWorkerReply(Nonce);
        reply.Feed("sbw:0123456789abcdef:begi"u8);
        Assert.False(reply.Started);
        Assert.Equal("", reply.Output);
    }
}

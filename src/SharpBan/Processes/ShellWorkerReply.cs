using System.Buffers;
using System.Globalization;
using System.Text;

namespace SharpBan.Processes;

/// <summary>
/// Reads one command's reply from a <see cref="ShellWorker"/>'s output stream: bytes before the begin marker
/// (late output of an earlier command's background children) are dropped, the bytes up to the end marker are the
/// command's output (the first <see cref="MaxOutput"/> bytes are kept), then comes the exit status. Output cannot
/// forge the end marker: it carries a nonce the command never sees.
/// </summary>
internal sealed class ShellWorkerReply
{
    /// <summary>Output bytes kept for the log; the rest is read and dropped.</summary>
    public const int MaxOutput = 64 * 1024;

    private readonly byte[] _begin;
    private readonly byte[] _end;
    private readonly ArrayBufferWriter<byte> _output = new();
    private byte[] _pending = new byte[256];
    private int _count;
    private bool _ended;

    public ShellWorkerReply(string nonce)
    {
        _begin = Encoding.UTF8.GetBytes(ShellWorkerRequest.BeginMarker(nonce) + "\n");
        _end = Encoding.UTF8.GetBytes(ShellWorkerRequest.EndMarker(nonce));
    }

    /// <summary>The begin marker was seen: the command has started.</summary>
    public bool Started { get; private set; }

    /// <summary>The exit status was read.</summary>
    public bool Done { get; private set; }

    /// <summary>The command's exit status (-1 when the status line was not a number).</summary>
    public int ExitCode { get; private set; } = -1;

    /// <summary>Output beyond <see cref="MaxOutput"/> bytes was dropped.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The command's output (stdout and stderr), decoded as UTF-8.</summary>
    public string Output => Encoding.UTF8.GetString(_output.WrittenSpan)
        + (Truncated ? "\n[output truncated]\n" : "");

    /// <summary>Takes the next bytes read from the worker.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        if (Done)
        {
            return;
        }

        if (_count + data.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _count + data.Length));
        }

        data.CopyTo(_pending.AsSpan(_count));
        _count += data.Length;
        Scan();
    }

    private void Scan()
    {
        if (!Started)
        {
            var at = _pending.AsSpan(0, _count).IndexOf(_begin);
            if (at < 0)
            {
                Consume(Math.Max(0, _count - (_begin.Length - 1)));
                return;
            }

            Consume(at + _begin.Length);
            Started = true;
        }

        if (!_ended)
        {
            var at = _pending.AsSpan(0, _count).IndexOf(_end);
            if (at < 0)
            {
                var safe = Math.Max(0, _count - (_end.Length - 1));
                Keep(_pending.AsSpan(0, safe));
                Consume(safe);
                return;
            }

            Keep(_pending.AsSpan(0, at));
            Consume(at + _end.Length);
            _ended = true;
        }

        var newline = _pending.AsSpan(0, _count).IndexOf((byte)'\n');
        if (newline < 0)
        {
            return;
        }

        ExitCode = int.TryParse(_pending.AsSpan(0, newline), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : -1;
        Done = true;
        _count = 0;
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        var room = MaxOutput - _output.WrittenCount;
        if (bytes.Length > room)
        {
            Truncated = true;
            bytes = bytes[..Math.Max(0, room)];
        }

        _output.Write(bytes);
    }

    private void Consume(int bytes)
    {
        _pending.AsSpan(bytes, _count - bytes).CopyTo(_pending);
        _count -= bytes;
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SharpBan.Server.Logs;

/// <summary>
/// Reads one log file for every jail that watches it: keeps the file open between reads so lines written just before
/// a rename are not lost, detects rename-and-create (inode), copytruncate and truncation (size below position or a
/// changed first line), returns complete lines only (a partial last line waits for its newline).
/// </summary>
internal sealed class LogFileReader(string path, ILogger logger) : IDisposable
{
    private const int MaxLineBytes = 1 << 20;

    /// <summary>Bytes read per call at most: a big backlog is handed on in bursts (bounded memory and commit delay).</summary>
    private const int MaxBurstBytes = 1 << 20;
    private FileStream? _stream;
    private FileIdentity? _identity;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _partial = new();
    private readonly List<long> _lineEnds = [];
    private Encoding _encoding = new UTF8Encoding(false, false);
    private byte[] _newline = [(byte)'\n']; // "\n" in the log encoding: two bytes in UTF-16, four in UTF-32
    private long _lastLength = -1; // bytes of the file read so far (partial line included); -1: unknown
    private bool _warnedNotRegular;
    private string? _nextEncoding;

    public string Path { get; } = path;

    public long Position { get; private set; }

    /// <summary>SHA-1 hex of the first line including its newline (fail2ban's <c>firstlinemd5</c>).</summary>
    public string? FirstLineHash { get; private set; }

    /// <summary>True once the reader reached the end of the file for the first time (then dates clamp to now).</summary>
    public bool InOperation { get; private set; }

    public bool Exists => _stream is not null;

    /// <summary>True when the last <see cref="ReadNew"/> stopped at the burst limit before the end of the file.</summary>
    public bool HasMore { get; private set; }

    /// <summary>The file offset just after each line the last read returned (after a rotation: offsets in the new file).</summary>
    public IReadOnlyList<long> LineEnds => _lineEnds;

    /// <summary>
    /// How far the jails were given this file (<see cref="MarkDispatched"/>), and the first-line hash of the file then:
    /// a jail that joins later reads the lines before it on its own (the server's catch-up).
    /// </summary>
    public (long Position, string? Hash) Dispatched { get; private set; }

    /// <summary>Records that the lines of the last read were handed to the jails.</summary>
    public void MarkDispatched() => Dispatched = (Position, FirstLineHash);

    public void SetEncoding(string name)
    {
        _encoding = string.Equals(name, "auto", StringComparison.OrdinalIgnoreCase) ? new UTF8Encoding(false, false) : Engine.Matching.LogEncoding.Get(name);
        _newline = _encoding.GetBytes("\n");
    }

    /// <summary>Switches to another encoding from the next read on (called from another thread than the reads).</summary>
    public void ChangeEncoding(string name) => Interlocked.Exchange(ref _nextEncoding, name);

    /// <summary>Opens the file (if present) and sets the start position: a stored one when the first line matches, else head/tail.</summary>
    public bool Open(bool tail, (string? Hash, long Position)? stored)
    {
        if (!TryOpen())
        {
            return false;
        }

        FirstLineHash = HashFirstLine(_stream!);
        if (tail)
        {
            Position = _stream!.Length;
            InOperation = true;
        }
        else if (stored is { } s && s.Hash is not null && s.Hash == FirstLineHash && s.Position <= _stream!.Length)
        {
            Position = s.Position;
        }
        else
        {
            Position = 0;
        }

        Dispatched = (Position, FirstLineHash);
        return true;
    }

    /// <summary>
    /// The complete lines from the position up to <paramref name="end"/> (a line boundary another reader of the same file
    /// reached), at most a burst of them per call; none once the position is there.
    /// </summary>
    public IReadOnlyList<string> ReadUntil(long end)
    {
        if (_stream is null || Position >= end)
        {
            return [];
        }

        var lines = new List<string>();
        _lineEnds.Clear();
        ReadToEnd(lines, end);
        return lines;
    }

    /// <summary>Reads everything new; handles rotation and truncation. Returns the complete lines.</summary>
    public IReadOnlyList<string> ReadNew()
    {
        if (Interlocked.Exchange(ref _nextEncoding, null) is { } next)
        {
            SetEncoding(next);
        }

        if (_stream is null)
        {
            if (!TryOpen())
            {
                return [];
            }

            Log.LogAppeared(logger, Path);
            Position = 0;
            FirstLineHash = HashFirstLine(_stream!);
        }
        else if (_stream.Length == _lastLength && FileIdentity.Of(Path) == _identity)
        {
            return []; // the quiet case of a poll: same file, same size, nothing to read (two stat calls, no allocation)
        }

        var lines = new List<string>();
        _lineEnds.Clear();
        ReadToEnd(lines);
        if (HasMore)
        {
            return lines; // rotation and truncation are looked at once the backlog is read
        }

        var current = FileIdentity.Of(Path);
        if (current is not null && current != _identity)
        {
            // renamed away (rotation) and a new file is in place: the old one is drained above
            Log.LogRotated(logger, Path);
            Close();
            if (TryOpen())
            {
                Position = 0;
                FirstLineHash = HashFirstLine(_stream!);
                ReadToEnd(lines);
            }
        }
        else if (current is not null)
        {
            var length = _stream!.Length;
            var hash = length > 0 ? HashFirstLine(_stream) : null;
            if (length < Position || (hash is not null && FirstLineHash is not null && hash != FirstLineHash))
            {
                Log.LogRotated(logger, Path);
                Position = 0;
                _partial.SetLength(0);
                FirstLineHash = hash;
                ReadToEnd(lines);
            }
            else if (FirstLineHash is null && hash is not null)
            {
                FirstLineHash = hash;
            }
        }

        if (_stream is null)
        {
            _lastLength = -1;
        }

        return lines;
    }

    /// <summary>Marks the catch-up phase over; returns whether it changed.</summary>
    public bool EnterOperation()
    {
        var changed = !InOperation;
        InOperation = true;
        return changed;
    }

    public void Dispose()
    {
        Close();
        _partial.Dispose();
    }

    /// <summary>Reads complete lines from the position to the end of the file (or to <paramref name="limit"/>), a burst at most.</summary>
    private void ReadToEnd(List<string> lines, long limit = long.MaxValue)
    {
        var stream = _stream!;
        stream.Position = Position;
        HasMore = false;
        var budget = MaxBurstBytes;
        var lineStart = Position; // file offset of the line being assembled
        var cut = false; // the line being assembled is longer than MaxLineBytes: only its head is kept
        int n;
        while ((n = stream.Read(_buffer, 0, (int)Math.Min(_buffer.Length, limit - stream.Position))) > 0)
        {
            if (n % _newline.Length is var extra and > 0)
            {
                // a code unit cut by the end of what the writer wrote so far: left for the next read, so that every
                // chunk starts at a multiple of the unit
                stream.Position -= extra;
                n -= extra;
                if (n == 0)
                {
                    break;
                }
            }

            var chunkOffset = stream.Position - n;
            budget -= n;
            var start = 0;
            var unit = _newline.Length;
            for (var i = unit - 1; i < n; i += unit)
            {
                // a newline is a whole code unit of the encoding: one byte, or an aligned 0A 00 in UTF-16LE (file
                // offsets of lines stay multiples of the unit, as every read but the last one at the end is)
                if (_buffer[i] != _newline[^1] || (unit > 1 && !_buffer.AsSpan(i + 1 - unit, unit).SequenceEqual(_newline)))
                {
                    continue;
                }

                var lineLength = i + 1 - unit - start;
                string line;
                if (_partial.Length > 0 || cut)
                {
                    Append(_buffer.AsSpan(start, lineLength), ref cut);
                    line = Decode(_partial.GetBuffer().AsSpan(0, (int)_partial.Length));
                    _partial.SetLength(0);
                    if (cut)
                    {
                        Log.LongLineCut(logger, Path, MaxLineBytes);
                        cut = false;
                    }
                }
                else
                {
                    line = Decode(_buffer.AsSpan(start, Math.Min(lineLength, MaxLineBytes)));
                    if (lineLength > MaxLineBytes)
                    {
                        Log.LongLineCut(logger, Path, MaxLineBytes);
                    }
                }

                lines.Add(line);
                start = i + 1;
                lineStart = chunkOffset + start;
                _lineEnds.Add(lineStart);
            }

            if (start < n)
            {
                Append(_buffer.AsSpan(start, n - start), ref cut);
            }

            if (budget <= 0 && lines.Count > 0)
            {
                HasMore = true;
                break;
            }
        }

        // the position only covers complete lines: a partial line is read again from its start once its newline
        // arrives; the length check of the next poll compares with what was read (bytes appended while reading are not
        // skipped)
        _lastLength = stream.Position;
        Position = _partial.Length > 0 || cut ? lineStart : stream.Position;
        _partial.SetLength(0);
    }

    /// <summary>Adds to the line being assembled, up to <see cref="MaxLineBytes"/> (a longer line keeps its head).</summary>
    private void Append(ReadOnlySpan<byte> bytes, ref bool cut)
    {
        var room = MaxLineBytes - (int)_partial.Length;
        if (bytes.Length > room)
        {
            cut = true;
            bytes = bytes[..Math.Max(0, room)];
        }

        _partial.Write(bytes);
    }

    private string Decode(ReadOnlySpan<byte> bytes) => _newline.Length == 1
        ? _encoding.GetString(bytes.TrimEnd((byte)'\r')) // fail2ban's rstrip('\r\n'): every carriage return before the newline
        : _encoding.GetString(bytes).TrimEnd('\r');

    private bool TryOpen()
    {
        if (!FileIdentity.IsRegularFile(Path))
        {
            // a FIFO, a device or a directory in the log's place: not read (waiting for a regular file to return)
            if (!_warnedNotRegular && (File.Exists(Path) || Directory.Exists(Path)))
            {
                Log.LogNotRegular(logger, Path);
                _warnedNotRegular = true;
            }

            _stream = null;
            return false;
        }

        _warnedNotRegular = false;
        try
        {
            _stream = new FileStream(Path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
            });
            _identity = FileIdentity.Of(Path);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            _stream = null;
            return false;
        }
    }

    private void Close()
    {
        _stream?.Dispose();
        _stream = null;
        _identity = null;
    }

    /// <summary>The hash of the whole first line with its newline (fail2ban reads it with <c>readline</c>); null without one.</summary>
    private string? HashFirstLine(FileStream stream)
    {
        if (_newline.Length > 1)
        {
            return HashFirstWideLine(stream);
        }

        var buffer = new byte[4096];
        var saved = stream.Position;
        stream.Position = 0;
        try
        {
            #pragma warning disable CA5350 // not security: fail2ban's firstlinemd5 column holds SHA-1, kept for database compatibility
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
#pragma warning restore CA5350
            for (long read = 0; read <= MaxLineBytes;)
            {
                var n = stream.Read(buffer, 0, buffer.Length);
                if (n == 0)
                {
                    return null;
                }

                var newline = Array.IndexOf(buffer, (byte)'\n', 0, n);
                hash.AppendData(buffer, 0, newline < 0 ? n : newline + 1);
                if (newline >= 0)
                {
                    return Convert.ToHexStringLower(hash.GetHashAndReset());
                }

                read += n;
            }

            return null; // a first line longer than any line is read: position not remembered
        }
        finally
        {
            stream.Position = saved;
        }
    }
    /// <summary><see cref="HashFirstLine"/> for UTF-16/UTF-32 logs: up to and including the first aligned newline unit.</summary>
    private string? HashFirstWideLine(FileStream stream)
    {
        var saved = stream.Position;
        stream.Position = 0;
        try
        {
            var unit = _newline.Length;
            var head = new byte[Math.Min(MaxLineBytes, Math.Max(0, (int)Math.Min(stream.Length, MaxLineBytes)))];
            var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            for (var i = unit - 1; i < n; i += unit)
            {
                if (head.AsSpan(i + 1 - unit, unit).SequenceEqual(_newline))
                {
#pragma warning disable CA5350 // not security: fail2ban's firstlinemd5 column holds SHA-1, kept for database compatibility
                    return Convert.ToHexStringLower(SHA1.HashData(head.AsSpan(0, i + 1)));
#pragma warning restore CA5350
                }
            }

            return null;
        }
        finally
        {
            stream.Position = saved;
        }
    }
}

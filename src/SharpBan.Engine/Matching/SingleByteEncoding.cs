using System.Text;

namespace SharpBan.Engine.Matching;

/// <summary>
/// A single-byte code page decoded through a table taken from .NET's, with the bytes the code page leaves undefined
/// as U+FFFD, as Python's codecs (and so fail2ban's <c>'replace'</c> fallback) decode them. .NET's tables give such a
/// byte a character of their own instead: its own value in the C1 range for the Windows code pages (<c>0x81</c> of
/// cp1252 is U+0081), a private-use character for the others (<c>0xAE</c> of ISO-8859-7 is U+F7C5). Encoding is not
/// needed for reading logs and goes back to .NET's code page.
/// </summary>
internal sealed class SingleByteEncoding : Encoding
{
    private readonly Encoding _inner;
    private readonly char[] _table = new char[256];

    private SingleByteEncoding(Encoding inner)
        : base(inner.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback)
    {
        _inner = inner;
        Span<byte> one = stackalloc byte[1];
        Span<char> decoded = stackalloc char[4];
        var windows = inner.CodePage is 874 or (>= 1250 and <= 1258);
        for (var b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            var n = inner.GetChars(one, decoded);
            var c = n == 1 ? decoded[0] : '\uFFFD';
            var undefined = (windows && b is >= 0x80 and <= 0x9F && c == b) || (c is >= '\uE000' and < '\uF8FF');
            _table[b] = undefined ? '\uFFFD' : c;
        }
    }

    /// <summary>The encoding itself when it is not a single-byte code page (nothing to correct there).</summary>
    public static Encoding Wrap(Encoding encoding) => encoding.IsSingleByte && encoding.CodePage != 28591 ? new SingleByteEncoding(encoding) : encoding;

    public override string EncodingName => _inner.EncodingName;

    public override string WebName => _inner.WebName;

    public override bool IsSingleByte => true;

    public override int GetByteCount(char[] chars, int index, int count) => _inner.GetByteCount(chars, index, count);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
        _inner.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

    public override int GetCharCount(byte[] bytes, int index, int count) => count;

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        for (var i = 0; i < byteCount; i++)
        {
            chars[charIndex + i] = _table[bytes[byteIndex + i]];
        }

        return byteCount;
    }

    public override string GetString(byte[] bytes, int index, int count) =>
        string.Create(count, (Table: _table, Bytes: bytes, Index: index), static (span, s) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = s.Table[s.Bytes[s.Index + i]];
            }
        });

    public override int GetMaxByteCount(int charCount) => _inner.GetMaxByteCount(charCount);

    public override int GetMaxCharCount(int byteCount) => byteCount;
}

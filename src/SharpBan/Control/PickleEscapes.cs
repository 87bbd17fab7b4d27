using System.Buffers;
using System.Text;

namespace SharpBan.Control;

/// <summary>The two escaped string forms of protocol 0: STRING's quoted, backslash-escaped bytes (Python 2's
/// <c>str</c>, read here as latin-1) and UNICODE's raw-unicode-escape line.</summary>
internal static class PickleEscapes
{
    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    /// <summary>STRING: <c>'…'</c> or <c>"…"</c> with <c>\\ \' \" \a \b \f \n \r \t \v</c>, up to three octal digits
    /// and <c>\xhh</c>; any other backslash stays as it is.</summary>
    public static string DecodeQuoted(ReadOnlySpan<byte> line)
    {
        if (line.Length < 2 || line[0] is not ((byte)'\'' or (byte)'"') || line[^1] != line[0])
        {
            throw new InvalidDataException("pickle STRING (0x53) argument is not quoted");
        }

        var text = line[1..^1];
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                bytes.Add(text[i]);
                continue;
            }

            if (++i == text.Length)
            {
                throw new InvalidDataException("pickle STRING (0x53) argument ends in a lone backslash");
            }

            var escaped = text[i];
            if (escaped is >= (byte)'0' and <= (byte)'7')
            {
                var value = 0;
                var end = Math.Min(i + 3, text.Length);
                for (; i < end && text[i] is >= (byte)'0' and <= (byte)'7'; i++)
                {
                    value = value * 8 + text[i] - '0';
                }

                bytes.Add((byte)value);
                i--;
                continue;
            }

            if (escaped == 'x')
            {
                if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
                {
                    throw new InvalidDataException("pickle STRING (0x53) argument has a bad \\x escape");
                }

                bytes.Add((byte)(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
                i += 2;
                continue;
            }

            if (escaped is (byte)'\\' or (byte)'\'' or (byte)'"')
            {
                bytes.Add(escaped);
                continue;
            }

            var control = Control(escaped);
            if (control >= 0)
            {
                bytes.Add((byte)control);
            }
            else
            {
                bytes.Add((byte)'\\');
                bytes.Add(escaped);
            }
        }

        return Encoding.Latin1.GetString([.. bytes]);
    }

    /// <summary>UNICODE: latin-1 bytes where <c>\uXXXX</c> and <c>\UXXXXXXXX</c> stand for a code point when an odd
    /// number of backslashes comes before the <c>u</c>.</summary>
    public static string DecodeRawUnicodeEscape(ReadOnlySpan<byte> line)
    {
        var text = new StringBuilder(line.Length);
        var i = 0;
        while (i < line.Length)
        {
            if (line[i] != '\\')
            {
                text.Append((char)line[i++]);
                continue;
            }

            var run = i;
            while (i < line.Length && line[i] == '\\')
            {
                i++;
            }

            var backslashes = i - run;
            if (backslashes % 2 == 0 || i == line.Length || line[i] is not ((byte)'u' or (byte)'U'))
            {
                text.Append('\\', backslashes);
                continue;
            }

            text.Append('\\', backslashes - 1);
            var width = line[i] == 'u' ? 4 : 8;
            i++;
            if (line.Length - i < width || line.Slice(i, width).ContainsAnyExcept(HexDigits))
            {
                throw new InvalidDataException("pickle UNICODE (0x56) argument has a truncated \\u escape");
            }

            var codePoint = 0L;
            foreach (var digit in line.Slice(i, width))
            {
                codePoint = codePoint * 16 + HexValue(digit);
            }

            i += width;
            if (codePoint > 0x10FFFF)
            {
                throw new InvalidDataException("pickle UNICODE (0x56) argument escapes a code point above U+10FFFF");
            }

            if (codePoint is >= 0xD800 and <= 0xDFFF or < 0x10000)
            {
                text.Append((char)codePoint);
            }
            else
            {
                text.Append(char.ConvertFromUtf32((int)codePoint));
            }
        }

        return text.ToString();
    }

    private static int Control(byte escaped) => escaped switch
    {
        (byte)'a' => 7,
        (byte)'b' => 8,
        (byte)'t' => 9,
        (byte)'n' => 10,
        (byte)'v' => 11,
        (byte)'f' => 12,
        (byte)'r' => 13,
        _ => -1,
    };

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}

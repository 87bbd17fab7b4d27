using System.Buffers;
using System.Text;

namespace SharpBan.Control;

/// <summary>
/// UTF-8 as the pickle format uses it: Python encodes <c>str</c> with <c>surrogatepass</c>, so a lone surrogate (a
/// command-line word that was not valid UTF-8 arrives as <c>\udcXX</c>) is three bytes <c>ED A0-BF 80-BF</c>.
/// Any other malformed sequence is refused, as Python's decoder refuses it.
/// </summary>
internal static class PythonUtf8
{
    public static string Decode(ReadOnlySpan<byte> bytes, byte opcode)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var text = new StringBuilder(bytes.Length);
        Span<char> pair = stackalloc char[2];
        var i = 0;
        while (i < bytes.Length)
        {
            var rest = bytes[i..];
            if (Rune.DecodeFromUtf8(rest, out var rune, out var consumed) == OperationStatus.Done)
            {
                text.Append(pair[..rune.EncodeToUtf16(pair)]);
                i += consumed;
            }
            else if (rest.Length >= 3 && rest[0] == 0xED && rest[1] is >= 0xA0 and <= 0xBF && rest[2] is >= 0x80 and <= 0xBF)
            {
                text.Append((char)(0xD000 | (rest[1] & 0x3F) << 6 | rest[2] & 0x3F));
                i += 3;
            }
            else
            {
                throw new InvalidDataException($"pickle {PickleOpcodes.Describe(opcode)} argument is not UTF-8 (byte {i})");
            }
        }

        return text.ToString();
    }
}

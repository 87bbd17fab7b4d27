using System.Globalization;
using System.Numerics;
using System.Text;

namespace SharpBan.Control;

/// <summary>The text arguments of protocol 0 opcodes: decimal integers (INT, LONG, GET, PUT), floats (FLOAT) and the
/// two quoted-string forms (STRING's backslash escapes, UNICODE's raw-unicode-escape).</summary>
internal static class PickleText
{
    /// <summary>Python's own cap on the digits <c>int()</c> converts (3.11's <c>int_max_str_digits</c>): longer
    /// texts cost quadratic time.</summary>
    public const int MaxDigits = 4300;

    /// <summary>A decimal integer (optional sign, ASCII blanks around it): a <see cref="long"/> when it fits, else a
    /// <see cref="BigInteger"/>.</summary>
    public static object ParseInteger(ReadOnlySpan<byte> text, byte opcode)
    {
        var trimmed = text.Trim(" \t\r\f\v"u8);
        var digits = trimmed.Length > 0 && trimmed[0] is (byte)'+' or (byte)'-' ? trimmed[1..] : trimmed;
        if (digits.Length == 0 || digits.Length > MaxDigits || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            throw new InvalidDataException($"pickle {PickleOpcodes.Describe(opcode)} argument is not a decimal integer");
        }

        var value = BigInteger.Parse(Encoding.ASCII.GetString(trimmed), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return Narrow(value);
    }

    /// <summary>A memo index of GET or PUT.</summary>
    public static long ParseIndex(ReadOnlySpan<byte> text, byte opcode) => ParseInteger(text, opcode) switch
    {
        long index and >= 0 => index,
        long => throw new InvalidDataException($"pickle {PickleOpcodes.Describe(opcode)} has a negative memo index"),
        _ => throw new InvalidDataException($"pickle {PickleOpcodes.Describe(opcode)} memo index out of range"),
    };

    /// <summary>A float as Python's <c>repr</c> writes it, <c>inf</c> and <c>nan</c> included.</summary>
    public static double ParseFloat(ReadOnlySpan<byte> text, byte opcode)
    {
        var trimmed = Encoding.ASCII.GetString(text.Trim(" \t\r\f\v"u8));
        var unsigned = trimmed.TrimStart('+', '-');
        var negative = trimmed.StartsWith('-');
        if (unsigned.Length < trimmed.Length - 1)
        {
            throw new InvalidDataException($"pickle {PickleOpcodes.Describe(opcode)} argument is not a float");
        }

        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }

        var startsLikeANumber = unsigned.Length > 0 && (char.IsAsciiDigit(unsigned[0]) || unsigned[0] == '.');
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (startsLikeANumber && double.TryParse(trimmed, style, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new InvalidDataException($"pickle {PickleOpcodes.Describe(opcode)} argument is not a float");
    }

    /// <summary>A <see cref="long"/> when <paramref name="value"/> fits in one.</summary>
    public static object Narrow(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (long)value : (object)value;
}

using System.Buffers.Binary;

namespace SharpBan.Control;

/// <summary>A cursor over a pickle's bytes. Every read checks what is left first, so a declared length can never
/// make the reader allocate or slice past the end: a short input is an <see cref="InvalidDataException"/>.</summary>
internal ref struct PickleInput(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw new InvalidDataException("pickle data ends without STOP");
        }

        return _data[_position++];
    }

    /// <summary>The next <paramref name="length"/> bytes, the argument of <paramref name="opcode"/>.</summary>
    public ReadOnlySpan<byte> Read(ulong length, byte opcode)
    {
        if (length > (ulong)Remaining)
        {
            throw new InvalidDataException(
                $"pickle truncated: {PickleOpcodes.Describe(opcode)} needs {length} bytes, {Remaining} left");
        }

        var bytes = _data.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    public ushort ReadUInt16(byte opcode) => BinaryPrimitives.ReadUInt16LittleEndian(Read(2, opcode));

    public int ReadInt32(byte opcode) => BinaryPrimitives.ReadInt32LittleEndian(Read(4, opcode));

    public uint ReadUInt32(byte opcode) => BinaryPrimitives.ReadUInt32LittleEndian(Read(4, opcode));

    public ulong ReadUInt64(byte opcode) => BinaryPrimitives.ReadUInt64LittleEndian(Read(8, opcode));

    /// <summary>The text argument of a protocol 0 opcode: the bytes up to the next line feed, which is skipped.</summary>
    public ReadOnlySpan<byte> ReadLine(byte opcode)
    {
        var rest = _data[_position..];
        var end = rest.IndexOf((byte)'\n');
        if (end < 0)
        {
            throw new InvalidDataException($"pickle truncated: {PickleOpcodes.Describe(opcode)} has no line feed");
        }

        _position += end + 1;
        return rest[..end];
    }
}

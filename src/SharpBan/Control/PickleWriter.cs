using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Text;
using Op = SharpBan.Control.PickleOpcodes;

namespace SharpBan.Control;

/// <summary>
/// Writes a value as a protocol 2 pickle for Python's <c>pickle.loads</c>: null, bool, int/long/<see cref="BigInteger"/>,
/// double, string (UTF-8; a lone surrogate becomes U+FFFD), byte[] (as bytes, an opcode of protocol 3 that every
/// Python 3 reads), <see cref="PyTuple"/>, <see cref="PyDict"/>, <see cref="PyException"/> and any other list or
/// <c>IEnumerable&lt;object?&gt;</c> as a list. No memo: a value reached twice is written twice.
/// </summary>
internal static class PickleWriter
{
    public static byte[] Write(object? value)
    {
        var output = new ArrayBufferWriter<byte>();
        Emit(output, Op.Proto, 2);
        WriteValue(output, value, 0);
        Emit(output, Op.Stop);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteValue(ArrayBufferWriter<byte> output, object? value, int depth)
    {
        switch (value)
        {
            case null:
                Emit(output, Op.None);
                break;
            case bool flag:
                Emit(output, flag ? Op.NewTrue : Op.NewFalse);
                break;
            case int number:
                WriteInteger(output, number);
                break;
            case long number:
                WriteInteger(output, number);
                break;
            case BigInteger number:
                WriteInteger(output, number);
                break;
            case double number:
                Emit(output, Op.BinFloat);
                BinaryPrimitives.WriteDoubleBigEndian(output.GetSpan(8), number);
                output.Advance(8);
                break;
            case string text:
                WriteSized(output, Op.BinUnicode, Encoding.UTF8.GetBytes(text));
                break;
            case byte[] bytes:
                WriteSized(output, Op.BinBytes, bytes);
                break;
            default:
                WriteContainer(output, value, Deeper(depth));
                break;
        }
    }

    private static void WriteContainer(ArrayBufferWriter<byte> output, object value, int depth)
    {
        switch (value)
        {
            case PyTuple tuple:
                WriteTuple(output, tuple.Items, depth);
                break;
            case PyDict dict:
                Emit(output, Op.EmptyDict);
                if (dict.Items.Count > 0)
                {
                    Emit(output, Op.Mark);
                    foreach (var (key, item) in dict.Items)
                    {
                        WriteValue(output, key, depth);
                        WriteValue(output, item, depth);
                    }

                    Emit(output, Op.SetItems);
                }

                break;
            case PyException exception:
                Emit(output, Op.Global);
                output.Write(Encoding.UTF8.GetBytes($"{Name(exception.Module)}\n{Name(exception.TypeName)}\n"));
                WriteTuple(output, exception.Args, depth);
                Emit(output, Op.Reduce);
                break;
            case IEnumerable<object?> or IList:
                WriteList(output, (IEnumerable)value, depth);
                break;
            default:
                throw new ArgumentException($"a {value.GetType()} cannot be pickled", nameof(value));
        }
    }

    private static void WriteList(ArrayBufferWriter<byte> output, IEnumerable items, int depth)
    {
        Emit(output, Op.EmptyList);
        var marked = false;
        foreach (var item in items)
        {
            if (!marked)
            {
                Emit(output, Op.Mark);
                marked = true;
            }

            WriteValue(output, item, depth);
        }

        if (marked)
        {
            Emit(output, Op.Appends);
        }
    }

    private static void WriteTuple(ArrayBufferWriter<byte> output, IReadOnlyList<object?> items, int depth)
    {
        if (items.Count == 0)
        {
            Emit(output, Op.EmptyTuple);
            return;
        }

        if (items.Count > 3)
        {
            Emit(output, Op.Mark);
        }

        foreach (var item in items)
        {
            WriteValue(output, item, depth);
        }

        Emit(output, items.Count switch { 1 => Op.Tuple1, 2 => Op.Tuple2, 3 => Op.Tuple3, _ => Op.Tuple });
    }

    private static void WriteInteger(ArrayBufferWriter<byte> output, BigInteger number)
    {
        if (number >= 0 && number <= byte.MaxValue)
        {
            Emit(output, Op.BinInt1, (byte)number);
        }
        else if (number >= 0 && number <= ushort.MaxValue)
        {
            Emit(output, Op.BinInt2);
            BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), (ushort)number);
            output.Advance(2);
        }
        else if (number >= int.MinValue && number <= int.MaxValue)
        {
            Emit(output, Op.BinInt);
            BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), (int)number);
            output.Advance(4);
        }
        else
        {
            var bytes = number.ToByteArray(); // little-endian two's complement, as short as the sign allows
            if (bytes.Length <= byte.MaxValue)
            {
                Emit(output, Op.Long1, (byte)bytes.Length);
                output.Write(bytes);
            }
            else
            {
                WriteSized(output, Op.Long4, bytes);
            }
        }
    }

    private static void Emit(ArrayBufferWriter<byte> output, params ReadOnlySpan<byte> bytes) => output.Write(bytes);

    /// <summary>An opcode, a 4-byte little-endian length and the bytes.</summary>
    private static void WriteSized(ArrayBufferWriter<byte> output, byte opcode, byte[] bytes)
    {
        Emit(output, opcode);
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), bytes.Length);
        output.Advance(4);
        output.Write(bytes);
    }

    private static int Deeper(int depth) => depth < PickleReader.MaxDepth
        ? depth + 1
        : throw new ArgumentException($"value nests containers more than {PickleReader.MaxDepth} deep (or holds a cycle)");

    /// <summary>A module or class name of GLOBAL: one non-empty line.</summary>
    private static string Name(string name) => name.Length > 0 && !name.AsSpan().ContainsAny('\n', '\r')
        ? name
        : throw new ArgumentException($"'{name}' cannot name a Python module or class", nameof(name));
}

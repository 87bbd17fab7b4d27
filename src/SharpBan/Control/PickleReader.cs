using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Op = SharpBan.Control.PickleOpcodes;

namespace SharpBan.Control;

/// <summary>
/// Reads a Python pickle (protocols 0 to 5) made of plain data only: None, bool, int, float, str, bytes, bytearray,
/// list, tuple, dict, set and frozenset. The input is untrusted (whatever connects to the control socket), so nothing
/// is ever imported, instantiated or called: every opcode that would (GLOBAL, REDUCE, BUILD, …) is refused, as is any
/// malformed input, always with an <see cref="InvalidDataException"/>. Bytes after STOP are ignored, as Python does.
/// </summary>
/// <remarks>Values: None → null, int → <see cref="long"/> (<see cref="BigInteger"/> beyond), float → <see cref="double"/>,
/// str (and Python 2's str, as latin-1) → <see cref="string"/>, bytes and bytearray → <see cref="byte"/>[],
/// list, set and frozenset → <see cref="List{T}"/>, tuple → <see cref="PyTuple"/>, dict → <see cref="PyDict"/>.</remarks>
internal static class PickleReader
{
    /// <summary>The longest pickle read, and the largest a value may grow to once its shared parts are expanded.</summary>
    public const int MaxLength = 16 * 1024 * 1024;

    /// <summary>How many values a pickle may push or memoise, marks included. Each costs the reader a few dozen bytes
    /// however small it is in the pickle (an empty list is one byte), so this, not <see cref="MaxLength"/>, bounds the
    /// memory and time one message can take: about 100 MB and well under a second. A command of fail2ban-client, even
    /// a whole configuration stream, makes a few thousand.</summary>
    public const int MaxValues = 1 << 20;

    /// <summary>How deep containers may nest.</summary>
    public const int MaxDepth = 100;

    public static object? Read(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxLength)
        {
            throw new InvalidDataException($"pickle of {data.Length} bytes refused (at most {MaxLength})");
        }

        var input = new PickleInput(data);
        var stack = new PickleStack();
        while (true)
        {
            var at = input.Position;
            var opcode = input.ReadByte();
            if (opcode == Op.Stop)
            {
                var value = stack.Pop(opcode);
                PickleShape.Check(value);
                return value;
            }

            if (Op.IsRefused(opcode))
            {
                throw new InvalidDataException($"pickle opcode {Op.Describe(opcode)} at byte {at} refused: it would import or call code");
            }

            if (!TryStructure(opcode, stack) && !TryMemo(opcode, ref input, stack))
            {
                stack.Push(ReadScalar(opcode, ref input, at));
            }
        }
    }

    /// <summary>Opcodes that build or fill containers, or only move values on the stack.</summary>
    private static bool TryStructure(byte opcode, PickleStack stack)
    {
        switch (opcode)
        {
            case Op.Mark:
                stack.Mark();
                break;
            case Op.Pop:
                stack.PopValueOrMark();
                break;
            case Op.PopMark:
                stack.PopMark(opcode);
                break;
            case Op.Dup:
                stack.Push(stack.Peek(opcode));
                break;
            case Op.EmptyList:
                stack.Push(new List<object?>());
                break;
            case Op.List:
                stack.Push(stack.PopMark(opcode));
                break;
            case Op.Append:
                var item = stack.Pop(opcode);
                ListBelow(stack, opcode).Add(item);
                break;
            case Op.Appends:
                var items = stack.PopMark(opcode);
                ListBelow(stack, opcode).AddRange(items);
                break;
            case Op.EmptyTuple:
                stack.Push(new PyTuple([]));
                break;
            case Op.Tuple:
                stack.Push(new PyTuple(stack.PopMark(opcode)));
                break;
            case Op.Tuple1 or Op.Tuple2 or Op.Tuple3:
                stack.Push(new PyTuple(stack.Pop(opcode - Op.Tuple1 + 1, opcode)));
                break;
            case Op.EmptyDict:
                stack.Push(new PyDict(new List<KeyValuePair<object?, object?>>()));
                break;
            case Op.Dict:
                var pairs = new List<KeyValuePair<object?, object?>>();
                AddPairs(pairs, stack.PopMark(opcode), opcode);
                stack.Push(new PyDict(pairs));
                break;
            case Op.SetItem:
                var pair = stack.Pop(2, opcode);
                AddPairs(DictBelow(stack, opcode), pair, opcode);
                break;
            case Op.SetItems:
                var flat = stack.PopMark(opcode);
                AddPairs(DictBelow(stack, opcode), flat, opcode);
                break;
            case Op.EmptySet:
                stack.PushNewSet();
                break;
            case Op.AddItems:
                var members = stack.PopMark(opcode);
                var target = stack.Peek(opcode);
                if (!stack.IsSet(target))
                {
                    throw new InvalidDataException($"pickle {Op.Describe(opcode)} needs a set below the mark, found {TypeName(target, stack)}");
                }

                ((List<object?>)target!).AddRange(members);
                break;
            case Op.FrozenSet:
                stack.PushFrozenSet(opcode);
                break;
            default:
                return false;
        }

        return true;
    }

    private static List<object?> ListBelow(PickleStack stack, byte opcode) =>
        stack.Peek(opcode) is List<object?> list && !stack.IsSet(list)
            ? list
            : throw new InvalidDataException($"pickle {Op.Describe(opcode)} needs a list below, found {TypeName(stack.Peek(opcode), stack)}");

    private static List<KeyValuePair<object?, object?>> DictBelow(PickleStack stack, byte opcode) =>
        stack.Peek(opcode) is PyDict { Items: List<KeyValuePair<object?, object?>> pairs }
            ? pairs
            : throw new InvalidDataException($"pickle {Op.Describe(opcode)} needs a dict below, found {TypeName(stack.Peek(opcode), stack)}");

    private static void AddPairs(List<KeyValuePair<object?, object?>> pairs, IReadOnlyList<object?> flat, byte opcode)
    {
        if (flat.Count % 2 != 0)
        {
            throw new InvalidDataException($"pickle {Op.Describe(opcode)} has an odd number of items");
        }

        for (var i = 0; i < flat.Count; i += 2)
        {
            pairs.Add(new(flat[i], flat[i + 1]));
        }
    }

    private static bool TryMemo(byte opcode, ref PickleInput input, PickleStack stack)
    {
        switch (opcode)
        {
            case Op.Put:
                stack.Put(PickleText.ParseIndex(input.ReadLine(opcode), opcode), opcode);
                break;
            case Op.BinPut:
                stack.Put(input.ReadByte(), opcode);
                break;
            case Op.LongBinPut:
                stack.Put(input.ReadUInt32(opcode), opcode);
                break;
            case Op.Memoize:
                stack.Memoize();
                break;
            case Op.Get:
                stack.Get(PickleText.ParseIndex(input.ReadLine(opcode), opcode), opcode);
                break;
            case Op.BinGet:
                stack.Get(input.ReadByte(), opcode);
                break;
            case Op.LongBinGet:
                stack.Get(input.ReadUInt32(opcode), opcode);
                break;
            case Op.Proto:
                var version = input.ReadByte();
                if (version > Op.HighestProtocol)
                {
                    throw new InvalidDataException($"pickle protocol {version} is not supported (at most {Op.HighestProtocol})");
                }

                break;
            case Op.Frame:
                var length = input.ReadUInt64(opcode);
                if (length > (ulong)input.Remaining)
                {
                    throw new InvalidDataException($"pickle truncated: FRAME of {length} bytes, {input.Remaining} left");
                }

                break;
            default:
                return false;
        }

        return true;
    }

    /// <summary>Opcodes that push one plain value read from their argument.</summary>
    private static object? ReadScalar(byte opcode, ref PickleInput input, int at) => opcode switch
    {
        Op.None => null,
        Op.NewTrue => true,
        Op.NewFalse => false,
        Op.Int => input.ReadLine(opcode) switch
        {
            var line when line.SequenceEqual("01"u8) => true,
            var line when line.SequenceEqual("00"u8) => false,
            var line => PickleText.ParseInteger(line, opcode),
        },
        Op.BinInt => (long)input.ReadInt32(opcode),
        Op.BinInt1 => (long)input.ReadByte(),
        Op.BinInt2 => (long)input.ReadUInt16(opcode),
        Op.Long => PickleText.ParseInteger(WithoutSuffixL(input.ReadLine(opcode)), opcode),
        Op.Long1 => TwosComplement(input.Read(input.ReadByte(), opcode)),
        Op.Long4 => TwosComplement(input.Read(NonNegative(input.ReadInt32(opcode), opcode), opcode)),
        Op.Float => PickleText.ParseFloat(input.ReadLine(opcode), opcode),
        Op.BinFloat => BinaryPrimitives.ReadDoubleBigEndian(input.Read(8, opcode)),
        Op.String => PickleEscapes.DecodeQuoted(input.ReadLine(opcode)),
        Op.BinString => Encoding.Latin1.GetString(input.Read(NonNegative(input.ReadInt32(opcode), opcode), opcode)),
        Op.ShortBinString => Encoding.Latin1.GetString(input.Read(input.ReadByte(), opcode)),
        Op.Unicode => PickleEscapes.DecodeRawUnicodeEscape(input.ReadLine(opcode)),
        Op.BinUnicode => PythonUtf8.Decode(input.Read(input.ReadUInt32(opcode), opcode), opcode),
        Op.ShortBinUnicode => PythonUtf8.Decode(input.Read(input.ReadByte(), opcode), opcode),
        Op.BinUnicode8 => PythonUtf8.Decode(input.Read(input.ReadUInt64(opcode), opcode), opcode),
        Op.BinBytes => input.Read(input.ReadUInt32(opcode), opcode).ToArray(),
        Op.ShortBinBytes => input.Read(input.ReadByte(), opcode).ToArray(),
        Op.BinBytes8 or Op.ByteArray8 => input.Read(input.ReadUInt64(opcode), opcode).ToArray(),
        _ => throw new InvalidDataException($"pickle has {Op.Describe(opcode)} at byte {at}"),
    };

    private static ReadOnlySpan<byte> WithoutSuffixL(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == 'L' ? line[..^1] : line;

    private static ulong NonNegative(int length, byte opcode) => length >= 0
        ? (ulong)length
        : throw new InvalidDataException($"pickle {Op.Describe(opcode)} declares a negative length");

    private static object TwosComplement(ReadOnlySpan<byte> littleEndian) =>
        PickleText.Narrow(new BigInteger(littleEndian, isUnsigned: false, isBigEndian: false));

    /// <summary>Python's name for the type of a value read, for error messages.</summary>
    private static string TypeName(object? value, PickleStack stack) => value switch
    {
        null => "None",
        bool => "bool",
        long or BigInteger => "int",
        double => "float",
        string => "str",
        byte[] => "bytes",
        List<object?> when stack.IsSet(value) => "set",
        List<object?> when stack.IsFrozenSet(value) => "frozenset",
        List<object?> => "list",
        PyTuple => "tuple",
        PyDict => "dict",
        _ => value.GetType().Name,
    };
}

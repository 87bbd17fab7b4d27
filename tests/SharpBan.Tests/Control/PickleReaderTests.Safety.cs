using FsCheck;
using FsCheck.Fluent;
using SharpBan.Control;
using static SharpBan.Tests.ControlPickle.PyValues;

namespace SharpBan.Tests.ControlPickle;

/// <summary>Untrusted input: nothing is ever called, and every malformed pickle is an InvalidDataException.</summary>
public partial class PickleReaderTests
{
    [Fact]
    public void Read_OsSystemCallProtocol0_IsRefusedAtGlobal()
    {
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read("cos\nsystem\n(S'touch /tmp/x'\ntR."u8));
        Assert.Equal("pickle opcode GLOBAL (0x63) at byte 0 refused: it would import or call code", e.Message);
    }

    [Fact]
    public void Read_OsSystemCallProtocol4_IsRefusedAtStackGlobal()
    {
        var pickle = Bytes(0x80, 4, 0x8c, 2, "os", 0x94, 0x8c, 6, "system", 0x94, 0x93, 0x94, 0x8c, 12, "touch /tmp/x", 0x94, 0x85, 0x94, "R", 0x94, ".");
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(pickle));
        Assert.StartsWith("pickle opcode STACK_GLOBAL (0x93) at byte 16 refused", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('P', "PERSID")]
    [InlineData('Q', "BINPERSID")]
    [InlineData('R', "REDUCE")]
    [InlineData('b', "BUILD")]
    [InlineData('c', "GLOBAL")]
    [InlineData('i', "INST")]
    [InlineData('o', "OBJ")]
    [InlineData(0x81, "NEWOBJ")]
    [InlineData(0x82, "EXT1")]
    [InlineData(0x83, "EXT2")]
    [InlineData(0x84, "EXT4")]
    [InlineData(0x92, "NEWOBJ_EX")]
    [InlineData(0x93, "STACK_GLOBAL")]
    [InlineData(0x97, "NEXT_BUFFER")]
    [InlineData(0x98, "READONLY_BUFFER")]
    public void Read_OpcodeThatCallsOrImports_IsRefusedByName(int opcode, string name)
    {
        // the values it would act on are there, so only the opcode itself can be the reason
        var pickle = Bytes(0x80, 5, "(]}N", 0x8c, 1, "a", 0x8c, 1, "b", opcode, "os\nsystem\n", 1, 0, 0, 0, ".");
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(pickle));
        Assert.Contains($"opcode {name} (0x{opcode:x2}) at byte 12 refused", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData('A')]
    [InlineData(0x99)]
    [InlineData(0xff)]
    public void Read_UnknownOpcode_IsRefused(int opcode)
    {
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(Bytes(0x80, 2, opcode, ".")));
        Assert.Equal($"pickle has unknown opcode (0x{opcode:x2}) at byte 2", e.Message);
    }

    [Fact]
    public void Read_Protocol6_IsRefused() =>
        Assert.Throws<InvalidDataException>(() => PickleReader.Read(Bytes(0x80, 6, "N.")));

    public static TheoryData<string, int> TruncationSources()
    {
        var rows = new TheoryData<string, int>();
        foreach (var python in new[] { "{'a': [1, (2, 'x')]}", "['set', 'sshd', 'banip', '192.0.2.1']", "-(2**100)", "1.5", "(lambda x: [x, x])([1])" })
        {
            for (var protocol = 0; protocol <= 5; protocol++)
            {
                rows.Add(python, protocol);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(TruncationSources))]
    public void Read_EveryPrefixOfAPickle_IsInvalidData(string python, int protocol)
    {
        var pickle = Pickles.Value[(python, protocol)];
        for (var length = 0; length < pickle.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => PickleReader.Read(pickle.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData("BINUNICODE 2 GiB", new[] { 'X', 0, 0, 0, 0x80 })]
    [InlineData("BINUNICODE 4 GiB", new[] { 'X', 0xff, 0xff, 0xff, 0xff })]
    [InlineData("BINUNICODE8", new[] { 0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff })]
    [InlineData("BINBYTES", new[] { 'B', 0xff, 0xff, 0xff, 0x7f })]
    [InlineData("BINBYTES8", new[] { 0x8e, 0, 0, 0, 0, 1, 0, 0, 0 })]
    [InlineData("BYTEARRAY8", new[] { 0x96, 0, 0, 0, 0x80, 0, 0, 0, 0 })]
    [InlineData("BINSTRING", new[] { 'T', 0xff, 0xff, 0xff, 0x7f })]
    [InlineData("BINSTRING negative", new[] { 'T', 0xff, 0xff, 0xff, 0xff })]
    [InlineData("LONG4", new[] { 0x8b, 0xff, 0xff, 0xff, 0x7f })]
    [InlineData("LONG4 negative", new[] { 0x8b, 0, 0, 0, 0x80 })]
    [InlineData("FRAME", new[] { 0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f })]
    [InlineData("SHORT_BINUNICODE", new[] { 0x8c, 0xff })]
    public void Read_HugeDeclaredLength_IsInvalidDataWithoutAllocatingIt(string what, int[] head)
    {
        var pickle = Bytes([.. head.Cast<object>(), "0123456789"]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(pickle));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 64 * 1024, $"{what}: {allocated} bytes allocated ({e.Message})");
    }

    [Theory]
    [InlineData(99, true)]
    [InlineData(100, false)]
    [InlineData(1_000_000, false)]
    public void Read_NestedTuples_AreRefusedBeyond100Levels(int tuples, bool accepted)
    {
        // a list in `tuples` one-element tuples: 1 + tuples containers deep
        var pickle = Bytes(0x80, 2, "]", new string('\u0085', tuples), ".");
        if (accepted)
        {
            Assert.IsType<PyTuple>(PickleReader.Read(pickle));
        }
        else
        {
            var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(pickle));
            Assert.Contains("more than 100 deep", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_MillionNestedMarkedLists_IsRefusedWithoutStackOverflow() =>
        Assert.Throws<InvalidDataException>(() => PickleReader.Read(Bytes(new string('(', 1_000_000), new string('l', 1_000_000), ".")));

    [Fact]
    public void Read_MessageOver16MiB_IsRefused()
    {
        var pickle = new byte[PickleReader.MaxLength + 1];
        pickle.AsSpan().Fill((byte)'N');
        pickle[^1] = (byte)'.';
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(pickle));
        Assert.Equal($"pickle of {PickleReader.MaxLength + 1} bytes refused (at most {PickleReader.MaxLength})", e.Message);
    }

    [Theory]
    [InlineData(PickleReader.MaxValues - 2, true)]
    [InlineData(PickleReader.MaxValues - 1, false)]
    public void Read_ValuesPushedMemoisedOrMarked_AreRefusedBeyondMaxValues(int nones, bool accepted)
    {
        // the mark, the Nones and the list
        var pickle = Bytes("(", new string('N', nones), "l.");
        if (accepted)
        {
            Assert.Equal(nones, Assert.IsType<List<object?>>(PickleReader.Read(pickle)).Count);
        }
        else
        {
            var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(pickle));
            Assert.Equal($"pickle makes more than {PickleReader.MaxValues} values", e.Message);
        }
    }

    [Theory]
    [InlineData("", "pickle data ends without STOP")]
    [InlineData(".", "pickle stack underflow at STOP (0x2e)")]
    [InlineData("(.", "pickle stack underflow at STOP (0x2e)")]
    [InlineData("a.", "pickle stack underflow at APPEND (0x61)")]
    [InlineData("N(a.", "pickle stack underflow at APPEND (0x61)")]
    [InlineData("0.", "pickle stack underflow at POP (0x30)")]
    [InlineData("2.", "pickle stack underflow at DUP (0x32)")]
    [InlineData("NNt.", "pickle has no MARK for TUPLE (0x74)")]
    [InlineData("(0t.", "pickle has no MARK for TUPLE (0x74)")]
    [InlineData("Ne.", "pickle has no MARK for APPENDS (0x65)")]
    [InlineData("N(Ne.", "pickle APPENDS (0x65) needs a list below, found None")]
    [InlineData(")Na.", "pickle APPEND (0x61) needs a list below, found tuple")]
    [InlineData("]NNs.", "pickle SETITEM (0x73) needs a dict below, found list")]
    [InlineData("}(Nu.", "pickle SETITEMS (0x75) has an odd number of items")]
    [InlineData("(Nd.", "pickle DICT (0x64) has an odd number of items")]
    [InlineData("](N\u0090.", "pickle ADDITEMS (0x90) needs a set below the mark, found list")]
    [InlineData("\u008f(Ne.", "pickle APPENDS (0x65) needs a list below, found set")]
    [InlineData("(\u0091(N\u0090.", "pickle ADDITEMS (0x90) needs a set below the mark, found frozenset")]
    [InlineData("h\u0005.", "pickle BINGET (0x68) of memo index 5, never stored")]
    [InlineData("g5\n.", "pickle GET (0x67) of memo index 5, never stored")]
    [InlineData("Np-1\n.", "pickle PUT (0x70) has a negative memo index")]
    [InlineData("Np1x\n.", "pickle PUT (0x70) argument is not a decimal integer")]
    [InlineData("(p0\n.", "pickle stack underflow at PUT (0x70)")]
    [InlineData("I1", "pickle truncated: INT (0x49) has no line feed")]
    [InlineData("I\n.", "pickle INT (0x49) argument is not a decimal integer")]
    [InlineData("I0x10\n.", "pickle INT (0x49) argument is not a decimal integer")]
    [InlineData("F1.5x\n.", "pickle FLOAT (0x46) argument is not a float")]
    [InlineData("F--1\n.", "pickle FLOAT (0x46) argument is not a float")]
    [InlineData("Sabc\n.", "pickle STRING (0x53) argument is not quoted")]
    [InlineData("S'\n.", "pickle STRING (0x53) argument is not quoted")]
    [InlineData("S'a\\'\n.", "pickle STRING (0x53) argument ends in a lone backslash")]
    [InlineData("S'\\x4'\n.", "pickle STRING (0x53) argument has a bad \\x escape")]
    [InlineData("V\\u12\n.", "pickle UNICODE (0x56) argument has a truncated \\u escape")]
    [InlineData("V\\U00110000\n.", "pickle UNICODE (0x56) argument escapes a code point above U+10FFFF")]
    [InlineData("X\u0002\0\0\0\u00c3(.", "pickle BINUNICODE (0x58) argument is not UTF-8 (byte 0)")]
    [InlineData("X\u0003\0\0\0\u00ed\u00a0\u00c0.", "pickle BINUNICODE (0x58) argument is not UTF-8 (byte 0)")]
    public void Read_MalformedPickle_SaysWhatIsWrong(string latin1, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(Bytes(latin1)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Read_IntegerOver4300Digits_IsRefusedAsPython311Does()
    {
        Assert.IsType<System.Numerics.BigInteger>(PickleReader.Read(Bytes("L", new string('9', 4300), "L\n.")));
        Assert.Throws<InvalidDataException>(() => PickleReader.Read(Bytes("L", new string('9', 4301), "L\n.")));
    }

    [Fact]
    public void Read_SurrogatePassUtf8_IsALoneSurrogate() =>
        Assert.Equal("a\udcff", PickleReader.Read(Bytes("X", 4, 0, 0, 0, "a", 0xed, 0xb3, 0xbf, ".")));

    /// <summary>Any bytes at all: a value or an InvalidDataException, nothing else.</summary>
    [FsCheck.Xunit.Property(MaxTest = 2000)]
    public Property Read_AnyBytes_ReturnsOrThrowsInvalidDataOnly() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ReturnsOrInvalidData);

    /// <summary>Bytes drawn mostly from opcodes and their typical arguments, so that many get far into a pickle.</summary>
    [FsCheck.Xunit.Property(MaxTest = 3000)]
    public Property Read_OpcodeSoup_ReturnsOrThrowsInvalidDataOnly() =>
        Prop.ForAll(
            Gen.Elements("(", ")", "]", "}", "N", "0", "1", "2", "a", "e", "l", "t", "d", "s", "u", "\u0085", "\u0086", "\u0087",
                    "\u008f", "\u0090", "\u0091", "\u0094", "h\0", "q\0", "h\u0001", "K\u0001", "M\u00ff\u00ff", "J\u00ff\u00ff\u00ff\u00ff",
                    "\u008c\u0001a", "\u008c\u0003\u00ed\u00b3", "X\u0001\0\0\0b", "C\u0001x", "\u008a\u0002\u00ff\u007f", "I01\n", "I7\n",
                    "L12L\n", "F1e5\n", "Vx\\u00e9\n", "S'a'\n", "g0\n", "p1\n", "G\0\0\0\0\0\0\0\0", "\u0080\u0005", "\u0095\u0002\0\0\0\0\0\0\0",
                    "\n", "\\", "'", "0", "9", "-", ".")
                .ListOf()
                .Select(parts => Bytes(string.Concat(parts), "."))
                .ToArbitrary(),
            ReturnsOrInvalidData);

    /// <summary>Python's own pickles with one to four bytes changed.</summary>
    [FsCheck.Xunit.Property(MaxTest = 2000)]
    public Property Read_MutatedPythonPickle_ReturnsOrThrowsInvalidDataOnly() =>
        Prop.ForAll(
            (from source in Gen.Elements(Pickles.Value.Values.ToArray())
             from edits in Gen.Zip(Gen.Choose(0, 10_000), Gen.Choose(0, 255)).ListOf()
             select Mutate(source, edits)).ToArbitrary(),
            ReturnsOrInvalidData);

    private static byte[] Mutate(byte[] source, IEnumerable<(int Position, int Value)> edits)
    {
        var bytes = source.ToArray();
        foreach (var (position, value) in edits.Take(4))
        {
            bytes[position % bytes.Length] = (byte)value;
        }

        return bytes;
    }

    private static bool ReturnsOrInvalidData(byte[] bytes)
    {
        try
        {
            PickleReader.Read(bytes);
        }
        catch (InvalidDataException)
        {
            // the one way a pickle may fail
        }

        return true;
    }
}

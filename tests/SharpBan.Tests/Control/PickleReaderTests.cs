using System.Numerics;
using System.Text;
using SharpBan.Control;
using static SharpBan.Tests.ControlPickle.PyValues;

namespace SharpBan.Tests.ControlPickle;

/// <summary>What Python's own <c>pickle.dumps</c> writes at protocols 0 to 5 reads back as the expected value.</summary>
public partial class PickleReaderTests
{
    /// <summary>The expected value of a case Python's pickler can only write as a call (GLOBAL … REDUCE).</summary>
    private static readonly object Refused = new();

    /// <summary>A Python expression, the value read, and the first protocol at which Python writes it without a
    /// call (bytes before 3, sets before 4 and bytearray before 5 are <c>_codecs.encode(…)</c>, <c>set([…])</c>…).</summary>
    private static readonly (string Python, object? Expected, int FirstProtocol)[] Cases =
    [
        ("None", null, 0),
        ("True", true, 0),
        ("False", false, 0),
        ("0", 0L, 0),
        ("-1", -1L, 0),
        ("255", 255L, 0),
        ("256", 256L, 0),
        ("65535", 65535L, 0),
        ("65536", 65536L, 0),
        ("-2**31", (long)int.MinValue, 0),
        ("2**31", 2147483648L, 0),
        ("2**63 - 1", long.MaxValue, 0),
        ("-2**63", long.MinValue, 0),
        ("2**63", BigInteger.Pow(2, 63), 0),
        ("-(2**100)", -BigInteger.Pow(2, 100), 0),
        ("1.5", 1.5, 0),
        ("-0.0", -0.0, 0),
        ("0.1", 0.1, 0),
        ("1e300", 1e300, 0),
        ("float('inf')", double.PositiveInfinity, 0),
        ("float('-inf')", double.NegativeInfinity, 0),
        ("float('nan')", double.NaN, 0),
        ("''", "", 0),
        ("'\\xe9'", "é", 0),
        ("'\\u65e5\\u672c'", "日本", 0),
        ("'a' * 150 + '\\xe9' * 150", new string('a', 150) + new string('é', 150), 0),
        ("'a\\\\b\\nc\\x00\\x1a\\r\\\\u0041'", "a\\b\nc\0\u001a\r\\u0041", 0),
        ("'\\udcff'", "\udcff", 0),
        ("'\\U0001f600'", "\U0001f600", 0),
        ("b'\\x00\\xff'", new byte[] { 0, 0xff }, 3),
        ("b''", Array.Empty<byte>(), 3),
        ("b'x' * 300", Encoding.ASCII.GetBytes(new string('x', 300)), 3),
        ("bytearray(b'ab')", "ab"u8.ToArray(), 5),
        ("[]", List(), 0),
        ("[1, 'a']", List(1L, "a"), 0),
        ("()", Tuple(), 0),
        ("(1,)", Tuple(1L), 0),
        ("(1, 2)", Tuple(1L, 2L), 0),
        ("(1, 2, 3)", Tuple(1L, 2L, 3L), 0),
        ("(1, 2, 3, 4)", Tuple(1L, 2L, 3L, 4L), 0),
        ("{}", Dict(), 0),
        ("{'a': [1, (2, 'x')]}", Dict(("a", List(1L, Tuple(2L, "x")))), 0),
        ("{1: None, (2, 3): 'b'}", Dict((1L, null), (Tuple(2L, 3L), "b")), 0),
        ("(lambda x: [x, x])([1])", List(List(1L), List(1L)), 0),
        ("(lambda s: [s, s, (s,)])('shared')", List("shared", "shared", Tuple("shared")), 0),
        ("set()", List(), 4),
        ("{1, 2, 3}", List(1L, 2L, 3L), 4),
        ("frozenset({4})", List(4L), 4),
        ("['set', 'sshd', 'banip', '192.0.2.1']", List("set", "sshd", "banip", "192.0.2.1"), 0),
        ("['status', 'sshd', 'extended']", List("status", "sshd", "extended"), 0),
        ("list(range(2500))", List([.. Enumerable.Range(0, 2500).Select(i => (object?)(long)i)]), 0),
        ("{str(i): i for i in range(1100)}", Dict([.. Enumerable.Range(0, 1100).Select(i => ((object?)$"{i}", (object?)(long)i))]), 0),
        ("functools.reduce(lambda x, _: [x], range(100), 1)", Nest(100, 1L), 0),
        ("functools.reduce(lambda x, _: [x], range(101), 1)", Refused, 99),
        ("(lambda l: (l.append(l), l)[1])([])", Refused, 99),
        ("(lambda d: (d.update(me=d), d)[1])({})", Refused, 99),
        ("functools.reduce(lambda x, _: [x, x], range(24), ['a' * 1000])", Refused, 99),
        ("Exception('x')", Refused, 99),
        ("os.system", Refused, 99),
    ];

    /// <summary>Every case pickled by one python3 at every protocol, keyed by expression and protocol.</summary>
    private static readonly Lazy<Dictionary<(string Python, int Protocol), byte[]>> Pickles = new(() =>
    {
        const string script = """
            import base64, functools, os, pickle, sys
            for index, line in enumerate(sys.stdin.read().splitlines()):
                value = eval(line)
                for protocol in range(6):
                    print(index, protocol, base64.b64encode(pickle.dumps(value, protocol)).decode())
            """;
        var output = Python3.Run(script, string.Join('\n', Cases.Select(c => c.Python)) + "\n");
        var pickles = new Dictionary<(string, int), byte[]>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            pickles[(Cases[int.Parse(fields[0])].Python, int.Parse(fields[1]))] = Convert.FromBase64String(fields[2]);
        }

        return pickles;
    });

    public static TheoryData<string, int> PythonPickles()
    {
        var rows = new TheoryData<string, int>();
        foreach (var (python, _, _) in Cases)
        {
            for (var protocol = 0; protocol <= 5; protocol++)
            {
                rows.Add(python, protocol);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(PythonPickles))]
    public void Read_PythonPickle_IsTheValueOrRefusedAsACall(string python, int protocol)
    {
        var (_, expected, firstProtocol) = Cases.Single(c => c.Python == python);
        var pickle = Pickles.Value[(python, protocol)];
        if (protocol >= firstProtocol)
        {
            PyValues.Equal(expected, PickleReader.Read(pickle));
        }
        else if (firstProtocol <= 5)
        {
            var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(pickle));
            Assert.Contains("GLOBAL", e.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Throws<InvalidDataException>(() => PickleReader.Read(pickle));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Read_SharedList_IsOneObject(int protocol)
    {
        var outer = Assert.IsType<List<object?>>(PickleReader.Read(Pickles.Value[("(lambda x: [x, x])([1])", protocol)]));
        Assert.Same(outer[0], outer[1]);
    }

    [Fact]
    public void Read_Python2Strings_AreLatin1WithTheirEscapes()
    {
        Assert.Equal("a'bAA\n\\q\u00ff\"", PickleReader.Read("S'a\\'b\\x41\\101\\n\\q\\777\"'\n."u8));
        Assert.Equal("it's", PickleReader.Read("S\"it's\"\np0\n."u8));
        Assert.Equal("\u00e9t\u00e9", PickleReader.Read(Bytes("T", 3, 0, 0, 0, 0xe9, "t", 0xe9, ".")));
        Assert.Equal("ab", PickleReader.Read(Bytes("U", 2, "ab.")));
    }

    [Fact]
    public void Read_Python2Numbers_AreLongOrBigInteger()
    {
        Assert.Equal(12345678901L, PickleReader.Read("I12345678901\n."u8));
        Assert.Equal(-7L, PickleReader.Read("I-7\n."u8));
        Assert.Equal(true, PickleReader.Read("I01\n."u8));
        Assert.Equal(false, PickleReader.Read("I00\n."u8));
        Assert.Equal(0L, PickleReader.Read("I0\n."u8));
        Assert.Equal(123L, PickleReader.Read("L123L\n."u8));
        Assert.Equal(BigInteger.Parse("-99999999999999999999", System.Globalization.CultureInfo.InvariantCulture), PickleReader.Read("L-99999999999999999999\n."u8));
        Assert.Equal(0L, PickleReader.Read(Bytes(0x80, 2, 0x8a, 0, ".")));
        Assert.Equal(-1L, PickleReader.Read(Bytes(0x80, 2, 0x8b, 1, 0, 0, 0, 0xff, ".")));
    }

    [Fact]
    public void Read_RawUnicodeEscape_OnlyAnOddRunOfBackslashesEscapes()
    {
        Assert.Equal("\\\\u0041", PickleReader.Read("V\\\\u0041\n."u8));
        Assert.Equal("\\\\A", PickleReader.Read("V\\\\\\u0041\n."u8));
        Assert.Equal("\U0001f600\ud800", PickleReader.Read("V\\U0001f600\\ud800\n."u8));
        Assert.Equal("\u00e9\\x", PickleReader.Read(Bytes("V", 0xe9, "\\x\n.")));
    }

    [Fact]
    public void Read_StackOpcodes_MoveValuesAndMarksAsPythonDoes()
    {
        Assert.Equal(7L, PickleReader.Read(Bytes("(0K", 7, ".")));
        Assert.Equal(1L, PickleReader.Read(Bytes("K", 1, "(K", 2, "K", 3, "1.")));
        Assert.Equal(1L, PickleReader.Read(Bytes("K", 1, "K", 2, "0.")));
        PyValues.Equal(Tuple(5L, 5L), PickleReader.Read(Bytes("K", 5, "2", 0x86, ".")));
        PyValues.Equal(List(1L), PickleReader.Read(Bytes("]q", 0, "h", 0, "K", 1, "a0.")));
        PyValues.Equal(Dict(("k", 1L)), PickleReader.Read("(S'k'\nI1\nd."u8));
        PyValues.Equal(Dict(("k", 1L)), PickleReader.Read(Bytes("}", 0x8c, 1, "kK", 1, "s.")));
        Assert.Null(PickleReader.Read("N.trailing bytes are ignored"u8));
    }

    [Fact]
    public void Read_Frame_IsSkippedOverWhenItsLengthIsThere() =>
        Assert.Equal("a", PickleReader.Read(Bytes(0x80, 4, 0x95, 4, 0, 0, 0, 0, 0, 0, 0, 0x8c, 1, "a.")));
}

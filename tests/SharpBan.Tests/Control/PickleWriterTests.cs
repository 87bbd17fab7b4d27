using System.Collections;
using System.Numerics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using SharpBan.Control;
using static SharpBan.Tests.ControlPickle.PyValues;

namespace SharpBan.Tests.ControlPickle;

/// <summary>What <see cref="PickleWriter"/> writes, as Python's <c>pickle.loads</c> sees it (its <c>repr</c>).</summary>
public class PickleWriterTests
{
    /// <summary>Each value and the repr of what Python reads from its pickle.</summary>
    private static readonly (string Repr, object? Value)[] Cases =
    [
        ("None", null),
        ("True", true),
        ("False", false),
        ("0", 0),
        ("255", 255),
        ("256", 256L),
        ("65535", 65535),
        ("65536", 65536L),
        ("-1", -1),
        ("-2147483648", int.MinValue),
        ("2147483647", int.MaxValue),
        ("2147483648", 2147483648L),
        ("9223372036854775807", long.MaxValue),
        ("-9223372036854775808", long.MinValue),
        ("7", new BigInteger(7)),
        ("1267650600228229401496703205376", BigInteger.Pow(2, 100)),
        ("-1267650600228229401496703205376", -BigInteger.Pow(2, 100)),
        ("1" + new string('0', 700), BigInteger.Pow(10, 700)),
        ("5400.0", 5400.0),
        ("-0.0", -0.0),
        ("0.1", 0.1),
        ("1e+300", 1e300),
        ("inf", double.PositiveInfinity),
        ("-inf", double.NegativeInfinity),
        ("nan", double.NaN),
        ("''", ""),
        ("'é日本😀'", "é日本😀"),
        ("'a\\'b\"c\\\\'", "a'b\"c\\"),
        ("'line\\nfeed\\t\\x00'", "line\nfeed\t\0"),
        ("'\ufffdx'", "\ud800x"),
        ("b''", Array.Empty<byte>()),
        ("b'\\x00\\xff'", new byte[] { 0, 0xff }),
        ("[]", new List<object?>()),
        ("[0, [('Number of jail', 1), ('Jail list', 'sshd')]]", List(0, List(Tuple("Number of jail", 1), Tuple("Jail list", "sshd")))),
        ("()", Tuple()),
        ("(1,)", Tuple(1)),
        ("(1, 2)", Tuple(1, 2)),
        ("(1, 2, 3)", Tuple(1, 2, 3)),
        ("(1, 2, 3, 4)", Tuple(1, 2, 3, 4)),
        ("(1, Exception(\"Sorry but the jail 'x' does not exist\"))", Tuple(1, new PyException("Exception", ["Sorry but the jail 'x' does not exist"]))),
        ("Exception()", new PyException("Exception", [])),
        ("KeyError('sshd')", new PyException("KeyError", ["sshd"])),
        ("ValueError('a', 2, None)", new PyException("ValueError", ["a", 2, null])),
        ("SubprocessError('x')", new PyException("SubprocessError", ["x"], "subprocess")),
        ("{}", Dict()),
        ("{'sshd': ['192.0.2.1']}", Dict(("sshd", List("192.0.2.1")))),
        ("{1: None, (2, 'x'): [True]}", Dict((1, null), (Tuple(2, "x"), List(true)))),
        ("['a', 'b']", new List<string> { "a", "b" }),
        ("[1, 2]", new[] { 1, 2 }),
        ("[0, 1, 2]", Enumerable.Range(0, 3).Select(i => (object?)i)),
        ("[[1], [1]]", SharedTwice()),
        ("[" + string.Join(", ", Enumerable.Range(0, 3000)) + "]", List([.. Enumerable.Range(0, 3000).Select(i => (object?)i)])),
        (new string('[', 100) + new string(']', 100), Nest(99, List())),
    ];

    /// <summary>Every case's pickle read by one python3, keyed by the expected repr.</summary>
    private static readonly Lazy<Dictionary<string, string>> Reprs = new(() =>
    {
        const string script = """
            import base64, pickle, sys
            for line in sys.stdin.read().splitlines():
                try:
                    text = repr(pickle.loads(base64.b64decode(line)))
                except Exception as e:
                    text = 'ERROR ' + repr(e)
                sys.stdout.buffer.write(text.encode('utf-8', 'backslashreplace') + b'\n')
            """;
        var input = string.Concat(Cases.Select(c => Convert.ToBase64String(PickleWriter.Write(c.Value)) + "\n"));
        var lines = Python3.Run(script, input).Split('\n');
        return Cases.Select((c, i) => (c.Repr, Line: lines[i])).ToDictionary(c => c.Repr, c => c.Line, StringComparer.Ordinal);
    });

    public static TheoryData<string> ExpectedReprs() => new(Cases.Select(c => c.Repr));

    [Theory]
    [MemberData(nameof(ExpectedReprs))]
    public void Write_Value_IsWhatPythonReads(string repr) => Assert.Equal(repr, Reprs.Value[repr]);

    [Fact]
    public void Write_Value_IsProtocol2EndingInStop()
    {
        Assert.Equal(Bytes(0x80, 2, "N."), PickleWriter.Write(null));
        Assert.Equal(Bytes(0x80, 2, "]", "(", "K", 1, "X", 1, 0, 0, 0, "a", "e."), PickleWriter.Write(List(1, "a")));
        Assert.Equal(Bytes(0x80, 2, "cbuiltins\nException\n", "X", 1, 0, 0, 0, "x", 0x85, "R."), PickleWriter.Write(new PyException("Exception", ["x"])));
    }

    public static TheoryData<string> UnpicklableKinds() => new(Unpicklable.Keys);

    private static readonly Dictionary<string, object> Unpicklable = new(StringComparer.Ordinal)
    {
        ["object"] = new object(),
        ["char"] = 'c',
        ["float"] = 1.5f,
        ["uint"] = 1u,
        ["decimal"] = 1m,
        ["DateTime"] = DateTime.UnixEpoch,
        ["Dictionary"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["a"] = 1 },
        ["object in a list"] = List(1, new object()),
        ["list holding itself"] = SelfHolding(),
        ["101 nested lists"] = Nest(100, List())!,
        ["exception named with a line feed"] = new PyException("Exception\nos", []),
        ["exception with no name"] = new PyException("", []),
        ["exception of no module"] = new PyException("Exception", [], ""),
    };

    [Theory]
    [MemberData(nameof(UnpicklableKinds))]
    public void Write_UnpicklableValue_ThrowsArgumentException(string kind) =>
        Assert.Throws<ArgumentException>(() => PickleWriter.Write(Unpicklable[kind]));

    /// <summary>Whatever tree of supported values is written, <see cref="PickleReader"/> reads back the same tree.</summary>
    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Write_AnyValueTree_ReadsBackEqual() =>
        Prop.ForAll(Value(3).ToArbitrary(), value => AreEqual(Normal(value), PickleReader.Read(PickleWriter.Write(value))));

    private static Gen<object?> Value(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Constant<object?>(null),
            ArbMap.Default.GeneratorFor<bool>().Select(b => (object?)b),
            ArbMap.Default.GeneratorFor<int>().Select(i => (object?)i),
            ArbMap.Default.GeneratorFor<long>().Select(l => (object?)l),
            ArbMap.Default.GeneratorFor<long>().Select(l => (object?)(new BigInteger(l) * l * l)),
            ArbMap.Default.GeneratorFor<double>().Select(d => (object?)d),
            Gen.Elements("a", "é", "日", "😀", "\n", "\\", "'", "\0").ListOf().Select(s => (object?)string.Concat(s)),
            ArbMap.Default.GeneratorFor<byte[]>().Select(b => (object?)b));
        if (depth == 0)
        {
            return leaf;
        }

        var child = Value(depth - 1);
        return Gen.Frequency(
            (4, leaf),
            (1, child.ListOf().Select(items => (object?)items.ToList())),
            (1, child.ListOf().Select(items => (object?)new PyTuple([.. items]))),
            (1, Gen.Zip(child, child).ListOf().Select(pairs => (object?)new PyDict([.. pairs.Select(p => new KeyValuePair<object?, object?>(p.Item1, p.Item2))]))));
    }

    /// <summary>The value as the reader returns it: every integer a long (or a BigInteger beyond).</summary>
    private static object? Normal(object? value) => value switch
    {
        int i => (long)i,
        BigInteger n when n >= long.MinValue && n <= long.MaxValue => (long)n,
        List<object?> list => list.Select(Normal).ToList(),
        PyTuple tuple => new PyTuple([.. tuple.Items.Select(Normal)]),
        PyDict dict => new PyDict([.. dict.Items.Select(p => new KeyValuePair<object?, object?>(Normal(p.Key), Normal(p.Value)))]),
        _ => value,
    };

    private static List<object?> SharedTwice()
    {
        var shared = List(1);
        return List(shared, shared);
    }

    private static List<object?> SelfHolding()
    {
        var list = List();
        list.Add(list);
        return list;
    }
}

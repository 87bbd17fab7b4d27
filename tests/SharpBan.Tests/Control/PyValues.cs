using System.Globalization;
using System.Numerics;
using SharpBan.Control;

namespace SharpBan.Tests.ControlPickle;

/// <summary>Deep comparison and display of the values <see cref="PickleReader"/> returns: same types (a
/// <see cref="long"/> is not a <see cref="BigInteger"/>), same contents, floats bit for bit (so -0.0 is not 0.0; any
/// NaN equals any NaN).</summary>
internal static class PyValues
{
    public static bool AreEqual(object? expected, object? actual) => (expected, actual) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        _ when expected.GetType() != actual.GetType() => false,
        (double e, double a) => double.IsNaN(e) ? double.IsNaN(a) : BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(a),
        (byte[] e, byte[] a) => e.AsSpan().SequenceEqual(a),
        (List<object?> e, List<object?> a) => AllEqual(e, a),
        (PyTuple e, PyTuple a) => AllEqual(e.Items, a.Items),
        (PyDict e, PyDict a) => e.Items.Count == a.Items.Count
            && e.Items.Zip(a.Items).All(p => AreEqual(p.First.Key, p.Second.Key) && AreEqual(p.First.Value, p.Second.Value)),
        _ => expected.Equals(actual),
    };

    /// <summary>Asserts deep equality, showing both values when they differ.</summary>
    public static void Equal(object? expected, object? actual) =>
        Assert.True(AreEqual(expected, actual), $"expected {Show(expected)}\n  actual {Show(actual)}");

    public static string Show(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => $"\"{s}\"",
        double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        BigInteger n => n.ToString(CultureInfo.InvariantCulture) + "n",
        byte[] b => $"bytes[{Convert.ToHexString(b)}]",
        List<object?> l => $"[{string.Join(", ", l.Select(Show))}]",
        PyTuple t => $"({string.Join(", ", t.Items.Select(Show))})",
        PyDict d => $"{{{string.Join(", ", d.Items.Select(p => $"{Show(p.Key)}: {Show(p.Value)}"))}}}",
        _ => $"{value.GetType().Name} {value}",
    };

    /// <summary>A pickle spelled out: strings as latin-1 (one byte per char), ints as one byte.</summary>
    public static byte[] Bytes(params object[] parts) =>
    [
        .. parts.SelectMany(part => part switch
        {
            string text => System.Text.Encoding.Latin1.GetBytes(text),
            int b => [checked((byte)b)],
            byte[] bytes => bytes,
            _ => throw new ArgumentException($"{part} is not a pickle part", nameof(parts)),
        }),
    ];

    public static List<object?> List(params object?[] items) => [.. items];

    public static PyTuple Tuple(params object?[] items) => new(items);

    public static PyDict Dict(params (object? Key, object? Value)[] pairs) =>
        new([.. pairs.Select(p => new KeyValuePair<object?, object?>(p.Key, p.Value))]);

    /// <summary><paramref name="levels"/> lists, one in the other, around <paramref name="inner"/>.</summary>
    public static object? Nest(int levels, object? inner)
    {
        for (var i = 0; i < levels; i++)
        {
            inner = List(inner);
        }

        return inner;
    }

    private static bool AllEqual(IReadOnlyList<object?> expected, IReadOnlyList<object?> actual) =>
        expected.Count == actual.Count && expected.Zip(actual).All(p => AreEqual(p.First, p.Second));
}

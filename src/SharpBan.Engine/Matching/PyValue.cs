using System.Collections;
using System.Globalization;

namespace SharpBan.Engine.Matching;

/// <summary>Python truthiness for captured values (null, empty text and empty collections are false), and float text.</summary>
internal static class PyValue
{
    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, with <c>.0</c> for whole numbers.</summary>
    public static string FloatRepr(double value)
    {
        var s = value.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.', StringComparison.Ordinal) || s.Contains('E', StringComparison.Ordinal) || !double.IsFinite(value) ? s : s + ".0";
    }

    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        string s => s.Length > 0,
        int i => i != 0,
        bool b => b,
        ICollection c => c.Count > 0,
        _ => true,
    };
}

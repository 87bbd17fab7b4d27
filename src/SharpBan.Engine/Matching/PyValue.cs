using System.Collections;

namespace SharpBan.Engine.Matching;

/// <summary>Python truthiness for captured values (null, empty text and empty collections are false).</summary>
internal static class PyValue
{
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

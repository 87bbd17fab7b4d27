using System.Text;

namespace SharpBan.Engine.Matching;

/// <summary>
/// A <c>logencoding</c> / <c>-e</c> value, named as Python names codecs (<c>latin-1</c>, <c>utf8</c>, <c>cp1252</c>,
/// <c>ISO-8859-15</c>…), turned into a .NET <see cref="Encoding"/>. Python normalises a name by lower-casing it and
/// reading <c>-</c> and spaces as <c>_</c>; its aliases that .NET does not know are mapped here, the rest (every
/// code page, through <see cref="CodePagesEncodingProvider"/>) is looked up by name.
/// </summary>
internal static class LogEncoding
{
    private static readonly Dictionary<string, Encoding> PythonAliases = new(StringComparer.Ordinal)
    {
        ["utf_8"] = new UTF8Encoding(false),
        ["utf8"] = new UTF8Encoding(false),
        ["u8"] = new UTF8Encoding(false),
        ["utf"] = new UTF8Encoding(false),
        ["cp65001"] = new UTF8Encoding(false),
        ["latin_1"] = Encoding.Latin1,
        ["latin1"] = Encoding.Latin1,
        ["latin"] = Encoding.Latin1,
        ["l1"] = Encoding.Latin1,
        ["iso_8859_1"] = Encoding.Latin1,
        ["iso8859_1"] = Encoding.Latin1,
        ["8859"] = Encoding.Latin1,
        ["cp819"] = Encoding.Latin1,
        ["ascii"] = Encoding.ASCII,
        ["us_ascii"] = Encoding.ASCII,
        ["646"] = Encoding.ASCII,
        ["utf_16"] = Encoding.Unicode,
        ["utf16"] = Encoding.Unicode,
        ["u16"] = Encoding.Unicode,
        ["utf_16_le"] = Encoding.Unicode,
        ["utf_16le"] = Encoding.Unicode,
        ["utf_16_be"] = Encoding.BigEndianUnicode,
        ["utf_16be"] = Encoding.BigEndianUnicode,
        ["utf_32"] = Encoding.UTF32,
        ["utf32"] = Encoding.UTF32,
        ["utf_32_le"] = Encoding.UTF32,
        ["utf_32le"] = Encoding.UTF32,
    };

    static LogEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The encoding named <paramref name="name"/>; <c>auto</c> is UTF-8 (fail2ban's locale default here).</summary>
    /// <exception cref="ArgumentException">Python's "unknown encoding: NAME".</exception>
    public static Encoding Get(string name)
    {
        var key = name.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        if (key == "auto")
        {
            return PythonAliases["utf_8"];
        }

        if (PythonAliases.TryGetValue(key, out var encoding))
        {
            return encoding;
        }

        foreach (var candidate in (ReadOnlySpan<string>)[name.Trim(), key.Replace('_', '-'), key.Replace("_", "", StringComparison.Ordinal)])
        {
            try
            {
                return Encoding.GetEncoding(candidate);
            }
            catch (ArgumentException)
            {
                // deliberate: try the next spelling; none known is reported below in Python's words
            }
        }

        throw new ArgumentException($"unknown encoding: {name}");
    }
}

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
        ["utf_8_sig"] = new UTF8Encoding(true), // the byte order mark at the start is skipped (its preamble), as Python's utf-8-sig
        ["utf8_sig"] = new UTF8Encoding(true),
        ["latin_1"] = Encoding.Latin1,
        ["latin1"] = Encoding.Latin1,
        ["latin"] = Encoding.Latin1,
        ["l1"] = Encoding.Latin1,
        ["iso_8859_1"] = Encoding.Latin1,
        ["iso8859_1"] = Encoding.Latin1,
        ["8859"] = Encoding.Latin1,
        ["cp819"] = Encoding.Latin1,
        ["ascii"] = Replacing(Encoding.ASCII),
        ["us_ascii"] = Replacing(Encoding.ASCII),
        ["646"] = Replacing(Encoding.ASCII),
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

        if (CodePage(key) is { } page)
        {
            try
            {
                return Replacing(Encoding.GetEncoding(page));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                // deliberate: not a code page .NET has; reported below in Python's words
            }
        }

        var iso = key.StartsWith("iso8859_", StringComparison.Ordinal) ? "iso-8859-" + key["iso8859_".Length..] : key;
        foreach (var candidate in (ReadOnlySpan<string>)[name.Trim(), key.Replace('_', '-'), key.Replace("_", "", StringComparison.Ordinal), iso])
        {
            try
            {
                return Replacing(Encoding.GetEncoding(candidate));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                // deliberate: try the next spelling; none known (or one .NET refuses, UTF-7) is reported below in Python's words
            }
        }

        throw new ArgumentException($"unknown encoding: {name}");
    }

    /// <summary>Python's code-page spellings (<c>cp1251</c>, <c>windows_1250</c>, <c>ibm866</c>, <c>mac_roman</c> …) as a number.</summary>
    private static int? CodePage(string key)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["cp", "windows_", "ibm"])
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(key.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var page))
            {
                return page;
            }
        }

        return key switch
        {
            "mac_roman" or "macroman" or "macintosh" => 10000,
            "mac_greek" => 10006,
            "mac_cyrillic" => 10007,
            "mac_latin2" or "mac_centeuro" => 10029,
            "mac_iceland" => 10079,
            "mac_turkish" => 10081,
            _ => null,
        };
    }

    /// <summary>
    /// Bytes the encoding cannot decode become U+FFFD, as with Python's <c>'replace'</c> handler that fail2ban falls
    /// back to (.NET's single-byte code pages and ASCII put a <c>?</c> there).
    /// </summary>
    private static Encoding Replacing(Encoding encoding) => encoding is UTF8Encoding or UnicodeEncoding or UTF32Encoding
        ? encoding
        : SingleByteEncoding.Wrap(Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD")));
}

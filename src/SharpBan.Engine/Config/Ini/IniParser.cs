namespace SharpBan.Engine.Config.Ini;

/// <summary>
/// Reads the configparser dialect fail2ban uses: <c>[section]</c> headers (case-sensitive), <c>key = value</c> or
/// <c>key: value</c> (first delimiter wins, keys lower-cased), full-line <c>#</c>/<c>;</c> comments (also inside
/// multi-line values), inline <c> ;</c> comments, continuation lines indented deeper than their key, empty lines kept
/// inside values, and strict duplicate detection within one file. Never throws: problems become diagnostics.
/// </summary>
internal static class IniParser
{
    public const string DefaultSection = "DEFAULT";

    public static IniFile Parse(string path, string text)
    {
        var defaults = new OrderedDictionary<string, ConfigValue>(StringComparer.Ordinal);
        var sections = new OrderedDictionary<string, OrderedDictionary<string, ConfigValue>>(StringComparer.Ordinal);
        var diagnostics = new List<ConfigDiagnostic>();
        var addedSections = new HashSet<string>(StringComparer.Ordinal);
        var headers = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var addedOptions = new HashSet<(string, string)>();

        OrderedDictionary<string, ConfigValue>? current = null;
        string? sectionName = null;
        PendingValue? pending = null;
        var indentLevel = 0;
        var lineNumber = 0;

        void Flush()
        {
            if (pending is { Target: not null } p)
            {
                p.Target[p.Option] = new ConfigValue(PyText.RStrip(string.Join('\n', p.Lines)), new SourceLocation(path, p.Line));
            }

            pending = null;
        }

        foreach (var rawLine in SplitLines(text))
        {
            lineNumber++;
            var line = rawLine;
            var commentStart = FindCommentStart(line);
            var value = PyText.StripSpan(commentStart >= 0 ? line[..commentStart] : line);
            if (value.IsEmpty)
            {
                if (commentStart < 0 && pending is not null)
                {
                    pending.Lines.Add(string.Empty);
                }

                continue;
            }

            var indent = FirstNonSpace(line);
            if (current is not null && pending is not null && indent > indentLevel)
            {
                pending.Lines.Add(value.ToString());
                continue;
            }

            indentLevel = indent;
            if (TryParseHeader(value, out var header))
            {
                Flush();
                sectionName = header;
                headers.TryAdd(header, new SourceLocation(path, lineNumber));
                if (header.Equals(DefaultSection, StringComparison.Ordinal))
                {
                    current = defaults;
                }
                else if (!addedSections.Add(header))
                {
                    diagnostics.Add(ConfigDiagnostic.SyntaxError(
                        $"section {PyText.Repr(header)} already exists in this file", new SourceLocation(path, lineNumber), header));
                    current = sections[header];
                }
                else
                {
                    current = new OrderedDictionary<string, ConfigValue>(StringComparer.Ordinal);
                    sections[header] = current;
                }

                continue;
            }

            Flush();
            if (current is null)
            {
                diagnostics.Add(ConfigDiagnostic.SyntaxError(
                    $"line outside of any section (no section header before it): {PyText.Repr(value.ToString())}",
                    new SourceLocation(path, lineNumber)));
                continue;
            }

            var delimiter = value.IndexOfAny('=', ':');
            if (delimiter < 0)
            {
                diagnostics.Add(ConfigDiagnostic.SyntaxError(
                    $"expected 'name = value', found {PyText.Repr(value.ToString())}", new SourceLocation(path, lineNumber), sectionName));
                pending = new PendingValue(null, string.Empty, lineNumber);
                continue;
            }

            var name = PyText.Lower(PyText.StripSpan(value[..delimiter]).ToString());
            var optionValue = PyText.StripSpan(value[(delimiter + 1)..]).ToString();
            if (name.Length == 0)
            {
                diagnostics.Add(ConfigDiagnostic.SyntaxError(
                    $"option without a name: {PyText.Repr(value.ToString())}", new SourceLocation(path, lineNumber), sectionName));
                pending = new PendingValue(null, string.Empty, lineNumber);
                continue;
            }

            if (!addedOptions.Add((sectionName!, name)))
            {
                diagnostics.Add(ConfigDiagnostic.SyntaxError(
                    $"option {PyText.Repr(name)} already exists in section {PyText.Repr(sectionName!)} of this file",
                    new SourceLocation(path, lineNumber), sectionName, name));
                pending = new PendingValue(null, name, lineNumber);
                continue;
            }

            pending = new PendingValue(current, name, lineNumber);
            pending.Lines.Add(optionValue);
        }

        Flush();
        return new IniFile(path, defaults, sections, headers, diagnostics);
    }

    /// <summary>Splits like Python's universal-newline file iteration: \r\n, \r and \n end a line.</summary>
    private static IEnumerable<string> SplitLines(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                yield return text[start..i];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    /// <summary>Index where a comment starts, or -1: a whole-line <c>#</c>/<c>;</c> comment, or <c>;</c> at column 0 or after whitespace.</summary>
    private static int FindCommentStart(ReadOnlySpan<char> line)
    {
        var stripped = PyText.StripSpan(line);
        if (!stripped.IsEmpty && stripped[0] is '#' or ';')
        {
            return 0;
        }

        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == ';' && (i == 0 || PyText.IsSpace(line[i - 1])))
            {
                return i;
            }
        }

        return -1;
    }

    private static int FirstNonSpace(ReadOnlySpan<char> line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (!PyText.IsSpace(line[i]))
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>configparser's <c>\[(?P&lt;header&gt;.+)\]</c> matched at the start: the header runs to the last <c>]</c>.</summary>
    private static bool TryParseHeader(ReadOnlySpan<char> value, out string header)
    {
        header = string.Empty;
        if (value.Length < 3 || value[0] != '[')
        {
            return false;
        }

        var close = value.LastIndexOf(']');
        if (close < 2)
        {
            return false;
        }

        header = value[1..close].ToString();
        return true;
    }

    private sealed class PendingValue(OrderedDictionary<string, ConfigValue>? target, string option, int line)
    {
        public OrderedDictionary<string, ConfigValue>? Target { get; } = target;

        public string Option { get; } = option;

        public int Line { get; } = line;

        public List<string> Lines { get; } = [];
    }
}

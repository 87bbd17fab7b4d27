using System.Text;

namespace SharpBan.Compat.Tests.ConfigDump;

/// <summary>
/// Writes one INI file in any of the spellings Python's configparser (as fail2ban sets it up) reads the same way:
/// <c>=</c> or <c>:</c> with any spacing, option names in any case, indented option lines, continuation lines
/// indented with spaces or tabs, blank and comment lines inside a value, <c> ;</c> inline comments, trailing
/// whitespace, CRLF or CR line ends. What a value means never depends on the spelling chosen.
/// </summary>
internal sealed class RandomIniWriter(Random random)
{
    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _options = new(StringComparer.Ordinal);
    private string _section = string.Empty;
    private string _keyIndent = string.Empty;

    /// <summary>How lines end: "\n" mostly, sometimes "\r\n", rarely "\r" (Python's universal newlines read all three).</summary>
    public string LineEnd { get; init; } = "\n";

    /// <summary>Writes a section header (the same section may be written again in another file, never twice in one).</summary>
    public RandomIniWriter Section(string name)
    {
        if (_text.Length > 0 && random.Next(3) == 0)
        {
            Line(string.Empty);
        }

        if (random.Next(8) == 0)
        {
            Line(Comment());
        }

        _section = name;

        // the option lines of a section may be indented, all alike (an option line indented deeper than the one
        // before it would continue that value)
        _keyIndent = random.Next(12) == 0 ? new string(' ', random.Next(1, 3)) : string.Empty;
        Line("[" + name + "]" + (random.Next(10) == 0 ? Trailing() : string.Empty));
        return this;
    }

    /// <summary>
    /// Writes <c>name = value</c>; a value with new lines becomes continuation lines. <paramref name="anyCase"/>: the name
    /// may be written in any case (configparser lower-cases names; tags like <c>&lt;port&gt;</c> are not, so names a tag
    /// refers to keep theirs). An option already written in this section of this file is left out.
    /// </summary>
    public RandomIniWriter Option(string name, string value, bool anyCase = false)
    {
        if (!_options.Add(_section + "\0" + name.ToLowerInvariant()))
        {
            return this;
        }

        return RawOption(anyCase ? RandomCase(name) : name, value);
    }

    /// <summary>Writes an option even when the section has it already (a duplicate configparser refuses).</summary>
    public RandomIniWriter RawOption(string name, string value)
    {
        var keyIndent = _keyIndent;
        var lines = value.Split('\n');
        var first = lines[0];
        var delimiter = random.Next(10) switch
        {
            0 => ":",
            1 => ": ",
            2 => "=",
            3 => " =",
            4 => "= ",
            5 => "\t=\t",
            _ => " = ",
        };
        Line(keyIndent + name + delimiter + first + InlineComment(first));
        var indent = keyIndent + (random.Next(4) switch
        {
            0 => "\t",
            1 => new string(' ', random.Next(1, 4)),
            _ => new string(' ', random.Next(4, 13)),
        });
        foreach (var line in lines.Skip(1))
        {
            if (random.Next(10) == 0)
            {
                Line(random.Next(2) == 0 ? "# " + Comment() : "; " + Comment());
            }

            if (line.Length == 0)
            {
                Line(random.Next(3) == 0 ? Trailing() : string.Empty);
                continue;
            }

            Line(indent + line + InlineComment(line));
        }

        return this;
    }

    /// <summary>Writes a line as it is (for mistakes a generator wants to make on purpose).</summary>
    public RandomIniWriter Raw(string line)
    {
        Line(line);
        return this;
    }

    public override string ToString() => _text.ToString();

    private void Line(string line)
    {
        _text.Append(line);
        if (line.Length > 0 && random.Next(12) == 0)
        {
            _text.Append(Trailing());
        }

        _text.Append(LineEnd);
    }

    /// <summary>A <c> ; comment</c> after a value line, when it cannot change the value (configparser strips the value).</summary>
    private string InlineComment(string line) =>
        line.Length > 0 && random.Next(10) == 0 ? (random.Next(2) == 0 ? " ;" : "\t; ") + Comment() : string.Empty;

    private string Trailing() => random.Next(3) switch
    {
        0 => " ",
        1 => "\t",
        _ => "  \t ",
    };

    private string Comment() => random.Next(4) switch
    {
        0 => "# a note",
        1 => "; old: x = 1",
        2 => "#enabled = true",
        _ => "# see man jail.conf(5); values: a = b",
    };

    private string RandomCase(string name) => random.Next(4) switch
    {
        0 => name.ToUpperInvariant(),
        1 => string.Concat(name.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : c)),
        _ => name,
    };
}

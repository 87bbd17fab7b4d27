using System.Text.RegularExpressions;
using DotNetRegex = System.Text.RegularExpressions.Regex;

namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// A user regex (Python syntax, tags already expanded) translated and compiled once, searched with a match timeout.
/// A timeout counts as "no match" and increments <see cref="Timeouts"/>.
/// </summary>
internal sealed class PyRegex
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    private readonly string[] _names;
    private int _timeouts;

    public PyRegex(string pythonPattern, bool multiline = false, TimeSpan? timeout = null, bool compiled = true)
    {
        PythonPattern = pythonPattern;
        Translated = PyRegexTranslator.Translate(pythonPattern);
        var options = RegexOptions.CultureInvariant | (multiline ? RegexOptions.Multiline : RegexOptions.None)
            | (compiled ? RegexOptions.Compiled : RegexOptions.None);
        try
        {
            Regex = new DotNetRegex(Translated.Pattern, options, timeout ?? DefaultTimeout);
        }
        catch (ArgumentException e)
        {
            throw new PyRegexException($"Unable to compile regular expression '{pythonPattern}': {e.Message}", e);
        }

        _names = Translated.PythonGroups.Where(static n => !n.StartsWith(PyRegexTranslator.UnnamedPrefix, StringComparison.Ordinal)).ToArray();
        GroupNumbers = _names.Select(n => Regex.GroupNumberFromName(n)).ToArray();
    }

    public string PythonPattern { get; }

    public TranslatedPattern Translated { get; }

    public DotNetRegex Regex { get; }

    /// <summary>Named groups in Python order (what Python's <c>groupdict()</c> reports).</summary>
    public IReadOnlyList<string> GroupNames => _names;

    public int[] GroupNumbers { get; }

    /// <summary>How many searches hit the match timeout.</summary>
    public int Timeouts => Volatile.Read(ref _timeouts);

    public bool HasGroup(string name) => Array.IndexOf(_names, name) >= 0;

    /// <summary>The .NET group name of Python's group <paramref name="number"/> (1-based).</summary>
    public string PythonGroup(int number) => Translated.PythonGroups[number - 1];

    /// <summary>Python <c>re.search</c>; <c>null</c> when nothing matched or the timeout hit.</summary>
    public Match? Search(string input, int start = 0)
    {
        try
        {
            var m = Regex.Match(input, start);
            return m.Success ? m : null;
        }
        catch (RegexMatchTimeoutException)
        {
            // deliberate: a runaway user regex on one line is a counted diagnostic, not a crash
            Interlocked.Increment(ref _timeouts);
            return null;
        }
    }

    /// <summary>Allocation-free test used on the hot path before capturing groups.</summary>
    public bool IsMatch(ReadOnlySpan<char> input)
    {
        try
        {
            return Regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            // deliberate: see Search
            Interlocked.Increment(ref _timeouts);
            return false;
        }
    }

    /// <summary>Python's <c>groupdict()</c>: every named group, <c>null</c> when it did not participate.</summary>
    public Dictionary<string, object?> GroupDict(Match match)
    {
        var dict = new Dictionary<string, object?>(_names.Length, StringComparer.Ordinal);
        for (var i = 0; i < _names.Length; i++)
        {
            var g = match.Groups[GroupNumbers[i]];
            dict[_names[i]] = g.Success ? g.Value : null;
        }

        return dict;
    }

    public override string ToString() => PythonPattern;
}

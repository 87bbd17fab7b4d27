using System.Text.RegularExpressions;
using System.Runtime.CompilerServices;
using DotNetRegex = System.Text.RegularExpressions.Regex;

namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// A user regex (Python syntax, tags already expanded) translated once, searched with a match timeout.
/// A timeout counts as "no match" and increments <see cref="Timeouts"/>.
/// </summary>
/// <remarks>
/// Tiered like the JIT: a filter loads dozens of regexes and most of them never see many lines, so each starts
/// interpreted (cheap to construct) and is recompiled with <see cref="RegexOptions.Compiled"/> on a thread-pool
/// thread once it has been used <see cref="CompileThreshold"/> times (failed searches count less,
/// <see cref="FailedSearchesPerUse"/>). Both engines give identical results.
/// </remarks>
internal sealed class PyRegex
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Successful searches after which a regex is compiled in the background (see <see cref="FailedSearchesPerUse"/>).</summary>
    public const int CompileThreshold = 512;

    /// <summary>
    /// Failed searches that count as one use towards <see cref="CompileThreshold"/>. Compiling costs 10–140 ms of JIT
    /// per regex; a failed search mostly stops within its first characters, where the compiled engine saves tens of
    /// nanoseconds, so it pays back only after hundreds of thousands of them. A date template tried on the first few
    /// thousand lines, until the detector's start check exists, and never matching, is not compiled for nothing.
    /// </summary>
    public const int FailedSearchesPerUse = 32;

    /// <summary>Searches after which the start check of an anchored regex is built in the background.</summary>
    public const int StartCheckThreshold = 64;

    private const int NotCompiling = 0;
    private const int Compiling = 1;
    private const int StayInterpreted = 2;
    private const int CompiledAtOnce = 3;

    // _startCheckState: counting searches until the threshold, then building or built; or never (a long literal prefix)
    private const int StartCheckCounting = 0;
    private const int StartCheckStarted = 1;
    private const int NoStartCheck = 2;

    private static readonly System.Buffers.SearchValues<char> RepeatBounds = System.Buffers.SearchValues.Create("0123456789,");

    private readonly string[] _names;
    private readonly RegexOptions _options;
    private readonly TimeSpan _timeout;
    private DotNetRegex _regex;
    private DotNetRegex? _interpreted; // made at the first fault inside the compiled engine (see Interpreted)
    private StartCharFilter? _startChars;
    private int _checkUses;
    private int _startCheckState;
    private int _uses;
    private int _compileState;
    private int _timeouts;
    private int _faults;

    public PyRegex(string pythonPattern, bool multiline = false, TimeSpan? timeout = null, bool compiled = true)
    {
        PythonPattern = pythonPattern;
        if (PySyntaxCheck.Error(pythonPattern) is { } syntax)
        {
            throw Unable(pythonPattern, syntax, null);
        }

        try
        {
            Translated = PyRegexTranslator.Translate(pythonPattern);
        }
        catch (PyRegexException e)
        {
            throw Unable(pythonPattern, e.Message, e);
        }

        if (LookAheadHints.Add(pythonPattern) is var hinted && !ReferenceEquals(hinted, pythonPattern))
        {
            // the same matches, found sooner; errors above were reported at the positions of the pattern as written
            try
            {
                var withHints = PyRegexTranslator.Translate(hinted);
                _ = new DotNetRegex(withHints.Pattern, RegexOptions.CultureInvariant);
                Translated = withHints;
            }
            catch (Exception e) when (e is PyRegexException or ArgumentException)
            {
                // deliberate: the hints only save time, so a pattern they would make unusable runs as written
            }
        }

        _options = RegexOptions.CultureInvariant | (multiline ? RegexOptions.Multiline : RegexOptions.None);
        _timeout = timeout ?? DefaultTimeout;
        // .NET 10's interpreter mis-tracks captures around a lazy loop whose body matched empty (dotnet/runtime#120872,
        // fixed after 10): such patterns skip the interpreted tier, whose results could differ from the compiled one's
        var eager = compiled && HasLazyGroupLoop(Translated.Pattern);
        _compileState = eager ? CompiledAtOnce : compiled ? NotCompiling : StayInterpreted;
        try
        {
            _regex = new DotNetRegex(Translated.Pattern, eager ? _options | RegexOptions.Compiled : _options, _timeout);
        }
        catch (RegexParseException e)
        {
            // what the Python-side checks do not catch: .NET's reason, in words, without its translated pattern
            var reason = string.Concat(e.Error.ToString().Select(static (c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
            throw Unable(pythonPattern, $"{reason} (at offset {e.Offset} of the .NET translation)", e);
        }

        Prefilter = LiteralPrefilter.Create(Translated.Pattern, multiline);
        if (Prefilter.Prefix is { Length: >= StartCharFilter.Depth })
        {
            // every start the check could follow begins with that literal, which the literal check compares anyway
            _startCheckState = NoStartCheck;
        }

        _names = Translated.PythonGroups.Where(static n => !n.StartsWith(PyRegexTranslator.UnnamedPrefix, StringComparison.Ordinal)).ToArray();
        GroupNumbers = _names.Select(n => Regex.GroupNumberFromName(n)).ToArray();
        DenseGroups = MatchGroups.HasDenseNumbers(_regex);
    }

    public string PythonPattern { get; }

    /// <summary>fail2ban's wording: the pattern, then Python's reason on a line of its own.</summary>
    private static PyRegexException Unable(string pattern, string reason, Exception? inner)
    {
        var message = $"Unable to compile regular expression '{pattern}':\n{reason}";
        return inner is null ? new PyRegexException(message) : new PyRegexException(message, inner);
    }

    /// <summary>Literal text a matching input must contain, checked before the regex engine runs.</summary>
    public LiteralPrefilter Prefilter { get; }

    /// <summary>
    /// For an anchored pattern, the characters a matching input can start with; null when there is no such check, and
    /// until the pattern proved busy (<see cref="StartCheckThreshold"/> searches). A pattern that starts with a literal
    /// of <see cref="StartCharFilter.Depth"/> characters or more has none: its literal check compares those.
    /// </summary>
    public StartCharFilter? StartChars => Volatile.Read(ref _startChars);

    public TranslatedPattern Translated { get; }

    /// <summary>The engine currently in use (interpreted until the background compilation finished).</summary>
    public DotNetRegex Regex => Volatile.Read(ref _regex);

    /// <summary>True once the start check's background build was started (or done).</summary>
    internal bool StartCheckBuildStarted => Volatile.Read(ref _startCheckState) == StartCheckStarted;

    /// <summary>True once the background compilation was started (or done).</summary>
    internal bool CompileStarted => Volatile.Read(ref _compileState) is Compiling or CompiledAtOnce;

    /// <summary>True once the compiled engine replaced the interpreted one.</summary>
    public bool IsCompiled => (Regex.Options & RegexOptions.Compiled) != 0;

    /// <summary>Named groups in Python order (what Python's <c>groupdict()</c> reports).</summary>
    public IReadOnlyList<string> GroupNames => _names;

    public int[] GroupNumbers { get; }

    /// <summary>Group numbers are capture slots (see <see cref="MatchGroups.HasDenseNumbers"/>); the same for both engines.</summary>
    public bool DenseGroups { get; }

    /// <summary>How many searches hit the match timeout.</summary>
    public int Timeouts => Volatile.Read(ref _timeouts);

    /// <summary>How many searches failed inside .NET's regex engine, also when run again interpreted (counted as no match).</summary>
    public int Faults => Volatile.Read(ref _faults);

    public bool HasGroup(string name) => Array.IndexOf(_names, name) >= 0;

    /// <summary>The .NET group name of Python's group <paramref name="number"/> (1-based).</summary>
    public string PythonGroup(int number) => Translated.PythonGroups[number - 1];

    /// <summary>
    /// Gives a match of this regex that nobody reads any more back to it, for its next success to fill again
    /// (<see cref="MatchRecycler"/>). Nothing may read <paramref name="match"/> afterwards.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Recycle(Match match) => MatchRecycler.Return(Volatile.Read(ref _regex), match);

    /// <summary>Python <c>re.search</c>; <c>null</c> when nothing matched or the timeout hit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Match? Search(string input, int start = 0)
    {
        // the start check first: it reads a few characters, the literal check may scan the whole line
        if (start == 0 && (!MayStartWith(input) || !Prefilter.MayMatch(input)))
        {
            return null;
        }

        var regex = Volatile.Read(ref _regex);
        try
        {
            var m = regex.Match(input, start);
            Used(m.Success, input);
            return m.Success ? m : null;
        }
        catch (Exception e) when (IsFault(e) && Interpreted(regex) is { } interpreted)
        {
            return SearchAfterFault(interpreted, input, start, input.Length - start, within: false);
        }
        catch (Exception e) when (Counted(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Python <c>re.search</c> over the end of <paramref name="input"/> from <paramref name="beginning"/>, as if that
    /// part were the whole input (anchors and lookbehinds see nothing before it): the match of the substring without
    /// copying it; group positions count from the start of <paramref name="input"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Match? SearchWithin(string input, int beginning)
    {
        var text = input.AsSpan(beginning);
        if (!MayStartWith(text) || !Prefilter.MayMatch(text))
        {
            return null;
        }

        var regex = Volatile.Read(ref _regex);
        try
        {
            var m = regex.Match(input, beginning, text.Length);
            Used(m.Success, text);
            return m.Success ? m : null;
        }
        catch (Exception e) when (IsFault(e) && Interpreted(regex) is { } interpreted)
        {
            return SearchAfterFault(interpreted, input, beginning, text.Length, within: true);
        }
        catch (Exception e) when (Counted(e))
        {
            return null;
        }
    }

    /// <summary>Allocation-free test used on the hot path before capturing groups.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsMatch(ReadOnlySpan<char> input)
    {
        if (!MayStartWith(input) || !Prefilter.MayMatch(input))
        {
            return false;
        }

        var regex = Volatile.Read(ref _regex);
        try
        {
            var success = regex.IsMatch(input);
            Used(success, input);
            return success;
        }
        catch (Exception e) when (IsFault(e) && Interpreted(regex) is { } interpreted)
        {
            try
            {
                return interpreted.IsMatch(input);
            }
            catch (Exception again) when (Counted(again))
            {
                return false;
            }
        }
        catch (Exception e) when (Counted(e))
        {
            return false;
        }
    }

    private static bool IsFault(Exception e) => e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidOperationException;

    /// <summary>
    /// After a fault inside the compiled engine: the same pattern interpreted (made once), which has searched rightly
    /// where the compiled code failed; null when <paramref name="failed"/> is the interpreted engine already.
    /// </summary>
    private DotNetRegex? Interpreted(DotNetRegex failed)
    {
        if ((failed.Options & RegexOptions.Compiled) == 0)
        {
            return null;
        }

        return Volatile.Read(ref _interpreted)
            ?? Interlocked.CompareExchange(ref _interpreted, new DotNetRegex(Translated.Pattern, _options, _timeout), null)
            ?? Volatile.Read(ref _interpreted);
    }

    /// <summary>The search again with the interpreted engine; a fault or timeout there too is counted as no match.</summary>
    private Match? SearchAfterFault(DotNetRegex interpreted, string input, int beginning, int length, bool within)
    {
        try
        {
            var m = within ? interpreted.Match(input, beginning, length) : interpreted.Match(input, beginning);
            return m.Success ? m : null;
        }
        catch (Exception e) when (Counted(e))
        {
            return null;
        }
    }

    /// <summary>
    /// The failures a search survives, counted: a runaway user regex on one line hits the timeout, and .NET's regex
    /// engine has failed inside on rare patterns (dotnet/runtime#129511); either is a counted non-match of that line,
    /// never a crash. Anything else is a bug and propagates.
    /// </summary>
    private bool Counted(Exception e)
    {
        switch (e)
        {
            case RegexMatchTimeoutException:
                Interlocked.Increment(ref _timeouts);
                return true;
            case var _ when IsFault(e):
                Interlocked.Increment(ref _faults);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Python's <c>groupdict()</c>: every named group, <c>null</c> when it did not participate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FailureData GroupDict(Match match)
    {
        var dict = new FailureData(_names.Length);
        AddGroups(match, dict);
        return dict;
    }

    /// <summary>Python's <c>dict.update(m.groupdict())</c>: sets every named group in <paramref name="dict"/>.</summary>
    /// <param name="skip">The index in <see cref="GroupNames"/> of a group left out (-1: none).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddGroups(Match match, FailureData dict, int skip = -1)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (i != skip)
            {
                dict[_names[i]] = MatchGroups.Value(match, GroupNumbers[i], DenseGroups);
            }
        }
    }

    /// <summary>Position and length of the named group at <paramref name="index"/> in <see cref="GroupNames"/>; false when it did not participate.</summary>
    public bool TryGetGroup(Match match, int index, out int start, out int length) =>
        MatchGroups.TryGet(match, GroupNumbers[index], DenseGroups, out start, out length);

    /// <summary>The value of the named group at <paramref name="index"/> in <see cref="GroupNames"/> (null: did not participate).</summary>
    public string? GroupValue(Match match, int index) => MatchGroups.Value(match, GroupNumbers[index], DenseGroups);

    public override string ToString() => PythonPattern;

    /// <summary>A lazy quantifier on a group or back-reference (<c>(…)*?</c>, <c>(?:…)+?</c>, <c>\k&lt;n&gt;??</c>, <c>(…){m,n}?</c>) in a .NET pattern.</summary>
    internal static bool HasLazyGroupLoop(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            var end = i;
            switch (pattern[i])
            {
                case '\\' when i + 2 < pattern.Length && pattern[i + 1] == 'k' && pattern[i + 2] == '<':
                    // a back-reference can match empty too
                    end = pattern.IndexOf('>', i);
                    if (end < 0)
                    {
                        return false;
                    }

                    i = end;
                    goto case ')';
                case '\\':
                    i++;
                    break;
                case '[':
                    i = ClassEnd(pattern, i);
                    break;
                case ')':
                    var q = end + 1;
                    if (q < pattern.Length && pattern[q] is '*' or '+' or '?')
                    {
                        q++;
                    }
                    else if (q < pattern.Length && pattern[q] == '{')
                    {
                        var close = pattern.IndexOf('}', q);
                        if (close > q + 1 && !pattern.AsSpan(q + 1, close - q - 1).ContainsAnyExcept(RepeatBounds))
                        {
                            q = close + 1;
                        }
                    }

                    if (q > end + 1 && q < pattern.Length && pattern[q] == '?')
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;

        static int ClassEnd(string p, int open)
        {
            var j = open + 1;
            if (j < p.Length && p[j] == '^')
            {
                j++;
            }

            for (var first = true; j < p.Length; j++, first = false)
            {
                if (p[j] == '\\')
                {
                    j++;
                }
                else if (p[j] == ']' && !first)
                {
                    return j;
                }
            }

            return p.Length;
        }
    }

    /// <summary>
    /// The start check (<see cref="StartChars"/>): false when <paramref name="input"/> cannot begin a match. Until it
    /// exists every input may; at <see cref="StartCheckThreshold"/> searches it is built in the background, so a short
    /// run never pays for it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayStartWith(ReadOnlySpan<char> input)
    {
        if (Volatile.Read(ref _startChars) is { } check)
        {
            return check.MayMatch(input);
        }

        if (_startCheckState == StartCheckCounting && ++_checkUses >= StartCheckThreshold
            && Interlocked.CompareExchange(ref _startCheckState, StartCheckStarted, StartCheckCounting) == StartCheckCounting)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.BuildStartCheck(), this, preferLocal: false);
        }

        return true;
    }

    private void BuildStartCheck()
    {
        try
        {
            Volatile.Write(ref _startChars, StartCharFilter.Create(Translated.Pattern, (_options & RegexOptions.Multiline) != 0));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // deliberate: the start check only saves time, and a thread-pool item must not throw
        }
    }

    /// <summary>
    /// Counts a search (a failed one for 1/<see cref="FailedSearchesPerUse"/>); at the threshold starts compiling in
    /// the background, warmed on <paramref name="sample"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Used(bool success, ReadOnlySpan<char> sample)
    {
        if (_compileState == NotCompiling && (_uses += success ? FailedSearchesPerUse : 1) >= CompileThreshold * FailedSearchesPerUse
            && Interlocked.CompareExchange(ref _compileState, Compiling, NotCompiling) == NotCompiling)
        {
            var warmUp = sample.ToString();
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Self.Compile(state.WarmUp), (Self: this, WarmUp: warmUp), preferLocal: false);
        }
    }

    private void Compile(string warmUp)
    {
        var compiled = new DotNetRegex(Translated.Pattern, _options | RegexOptions.Compiled, _timeout);
        try
        {
            // runs the generated code once so its JIT cost is paid here, not on the matching thread
            _ = compiled.IsMatch(warmUp);
        }
        catch (Exception e) when (e is RegexMatchTimeoutException || IsFault(e))
        {
            // deliberate: the warm-up result is irrelevant; a timeout or engine fault is counted when a real search hits it
        }

        Volatile.Write(ref _regex, compiled);
    }
}

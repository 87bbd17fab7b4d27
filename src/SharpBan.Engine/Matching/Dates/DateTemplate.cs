using System.Text.RegularExpressions;
using SharpBan.Engine.Matching.Regex;
using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>Flags describing where a date template is anchored.</summary>
[Flags]
internal enum DateTemplateFlags
{
    None = 0,
    WordEnd = 1,
    WordBegin = 2,
    LineEnd = 4,
    LineBegin = 8,
}

/// <summary>
/// One way of finding a date in a line. Templates are shared (cached by pattern); per-detector statistics live in
/// <see cref="DateDetector"/>. The date text is Python group 1 of <see cref="Regex"/>.
/// </summary>
internal abstract class DateTemplate
{
    private int _hits;

    public string Name { get; protected set; } = "";

    /// <summary>The raw <c>datepattern</c> this template was built from, or null for built-in kinds (epoch, TAI64N).</summary>
    public virtual string? Pattern => null;

    /// <summary>The final Python-syntax regex.</summary>
    public string RegexText { get; private set; } = "";

    public PyRegex Regex { get; private set; } = null!;

    /// <summary>.NET group name of Python group 1 (the date text that is cut out of the line).</summary>
    public string DateGroup { get; private set; } = "";

    /// <summary>Group number of <see cref="DateGroup"/> (indexing by number avoids a name lookup per line).</summary>
    public int DateGroupNumber { get; private set; }

    public double Weight { get; set; } = 1.0;

    public DateTemplateFlags Flags { get; private set; }

    /// <summary>Successful searches of this template, over all detectors (fail2ban consults it when ordering).</summary>
    public int Hits => Volatile.Read(ref _hits);

    public bool IsAnchored => (Flags & (DateTemplateFlags.LineBegin | DateTemplateFlags.LineEnd)) != 0;

    /// <summary>
    /// True for the shipped default templates (and their anchored copies): fixed patterns of bounded quantifiers, safe
    /// from runaway backtracking, so they run without a match timeout (whose clock reads cost about a twentieth of
    /// the date walk). Templates built from a user's <c>datepattern</c> keep the timeout of every user regex.
    /// </summary>
    public bool BuiltIn { get; init; }

    /// <summary>Applies boundaries to <paramref name="regex"/> and compiles it; see <see cref="DateTemplateBounds"/>.</summary>
    protected void SetRegex(string regex, BoundMode wordBegin = BoundMode.Word, bool wordEnd = true)
    {
        var (text, flags, addLnBegName) = DateTemplateBounds.Apply(regex, wordBegin, wordEnd);
        if (addLnBegName && !Name.StartsWith("{^LN-BEG}", StringComparison.Ordinal))
        {
            Name = "{^LN-BEG}" + Name;
        }

        RegexText = text;
        Flags = flags;
        Regex = new PyRegex(text, multiline: false, BuiltIn ? System.Text.RegularExpressions.Regex.InfiniteMatchTimeout : null, compiled: true);
        DateGroup = Regex.PythonGroup(1);
        DateGroupNumber = Regex.Regex.GroupNumberFromName(DateGroup);
    }

    /// <summary>Python <c>search(line, pos, endpos)</c>: where the template finds a date, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DateHit? Search(string line, int pos = 0, int endpos = int.MaxValue)
    {
        DateHit? hit;
        if (pos == 0 && endpos >= line.Length && Scan(line, out var scanned) is { } found)
        {
            hit = found ? scanned : null;
        }
        else
        {
            var subject = endpos < line.Length ? line[..Math.Max(endpos, 0)] : line;
            hit = pos <= subject.Length && Regex.Search(subject, pos) is { } m ? new DateHit(m, DateGroupNumber, Regex.DenseGroups) : null;
        }

        if (hit is not null)
        {
            Interlocked.Increment(ref _hits);
        }

        return hit;
    }

    /// <summary>
    /// The template's own reading of a whole line, for a template that has one (it must answer as the regex does):
    /// true or false, or null to leave the line to the regex.
    /// </summary>
    private protected virtual bool? Scan(string line, out DateHit hit)
    {
        hit = default;
        return null;
    }

    /// <summary>The Unix time of a hit, or false when the text is not a valid date.</summary>
    public abstract bool TryGetDate(in DateHit hit, int? defaultOffsetMinutes, DateClock clock, out double unix);

    /// <summary>
    /// Whether Python keeps the time of <paramref name="hit"/> as an int rather than a float (it shows in
    /// <c>-o</c> output): TAI64N labels, and strptime dates with a zone offset (from the line or <c>logtimezone</c>),
    /// which fail2ban converts with <c>calendar.timegm</c>.
    /// </summary>
    public virtual bool IsIntegral(in DateHit hit, int? defaultOffsetMinutes) => false;
}

/// <summary>How the start of a template is bounded.</summary>
internal enum BoundMode
{
    None,
    Word,
    LineStart,
}

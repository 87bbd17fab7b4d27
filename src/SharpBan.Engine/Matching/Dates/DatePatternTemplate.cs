using System.Text;
using System.Text.RegularExpressions;
using System.Runtime.CompilerServices;

namespace SharpBan.Engine.Matching.Dates;

using Regex = System.Text.RegularExpressions.Regex;

/// <summary>A date template written with strptime-like <c>%</c> tokens (a <c>datepattern</c> value or a default).</summary>
internal sealed partial class DatePatternTemplate : DateTemplate
{
    private readonly string _pattern;
    private int[]? _fieldGroups;

    /// <summary>The scanner that stands in for the regex (a line-start syslog or ISO date), or null.</summary>
    private readonly DateScanner? _scanner;

    public DatePatternTemplate(string pattern, int currentYear, bool builtIn = false)
    {
        BuiltIn = builtIn;
        _pattern = pattern;
        var wordBegin = BoundMode.Word;
        var wordEnd = true;
        if (DateTemplateBounds.HasUnboundPrefix(pattern, out var rest))
        {
            pattern = rest;
            wordBegin = BoundMode.None;
            wordEnd = false;
        }

        if (wordBegin == BoundMode.Word && DateTemplateBounds.HasLineBeginPrefix(pattern, out rest))
        {
            pattern = rest;
            wordBegin = BoundMode.LineStart;
        }

        CheckFormat(pattern);
        var name = new StringBuilder();
        var regex = new StringBuilder();
        var last = 0;
        foreach (Match m in TokenPattern().Matches(pattern))
        {
            name.Append(pattern, last, m.Index - last);
            regex.Append(pattern, last, m.Index - last);
            var key = m.Groups[1].Value;
            name.Append(TimeTokens.Name(key));
            regex.Append(TimeTokens.Regex(key, currentYear));
            last = m.Index + m.Length;
        }

        name.Append(pattern, last, pattern.Length - last);
        regex.Append(pattern, last, pattern.Length - last);
        Name = name.ToString();
        var text = regex.ToString();
        if (AlphaToken().IsMatch(pattern))
        {
            text = "(?iu)" + text;
        }

        SetRegex(text, wordBegin, wordEnd);
        if (wordBegin == BoundMode.LineStart)
        {
            _scanner = DateScanner.For(pattern, currentYear);
        }
    }

    public override string? Pattern => _pattern;

    /// <summary>
    /// The check fail2ban makes when a <c>datepattern</c> is set, without building any template: each line's
    /// <c>%</c> sequences must be time fields (else "Failed to set datepattern …").
    /// </summary>
    public static void CheckFormats(string? datePattern)
    {
        foreach (var line in (datePattern ?? "").Split('\n').Select(static p => p.Trim()).Where(static p => p.Contains('%', StringComparison.Ordinal)))
        {
            var pattern = DateTemplateBounds.HasUnboundPrefix(line, out var rest) ? rest : line;
            CheckFormat(DateTemplateBounds.HasLineBeginPrefix(pattern, out rest) ? rest : pattern);
        }
    }

    /// <summary>fail2ban's Python %-format errors for <c>%</c> sequences that are not time fields.</summary>
    private static void CheckFormat(string pattern)
    {
        var fmt = KnownTokens.Replace(pattern, "%($1)s");
        var error = PercentFormat.Error(fmt, TokenKeys, out var wholeMapping);
        if (error is null && wholeMapping)
        {
            // Python would paste its whole table of field regexes into the pattern: refused instead
            error = "a '%s', '%r' or '%a' without a field name is not a time field (escape a literal percent as '%%')";
        }

        if (error is not null)
        {
            throw new ArgumentException($"Failed to set datepattern '{pattern}' (may be an invalid format or unescaped percent char): {error}");
        }
    }

    private static readonly HashSet<string> TokenKeys = new(TimeTokens.Keys, StringComparer.Ordinal);

    /// <summary>Python's <c>getTimePatternRE()</c>: <c>%%</c>, a multi-letter field, or a one-letter field.</summary>
    private static readonly Regex KnownTokens = new(
        "%(%|" + string.Join('|', TimeTokens.Keys.Where(static k => k.Length > 1)) + "|[" + string.Concat(TimeTokens.Keys.Where(static k => k.Length == 1)) + "])",
        RegexOptions.CultureInvariant);

    [GeneratedRegex(@"%(%|Ex[a-zA-Z]|[a-zA-Z])")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"(?<!%)%[aAbBpc]")]
    private static partial Regex AlphaToken();

    private protected override bool? Scan(string line, out DateHit hit)
    {
        if (_scanner is null)
        {
            hit = default;
            return null;
        }

        return _scanner.Scan(line, out hit);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryGetDate(in DateHit hit, int? defaultOffsetMinutes, DateClock clock, out double unix)
    {
        if (hit.Match is not { } match)
        {
            return StrptimeConverter.TryConvert(hit.Fields, defaultOffsetMinutes, clock, out unix);
        }

        _fieldGroups ??= StrptimeConverter.FieldGroups(Regex.Regex);
        return StrptimeConverter.TryConvert(match, _fieldGroups, Regex.DenseGroups, defaultOffsetMinutes, clock, out unix);
    }

    public override bool IsIntegral(in DateHit hit, int? defaultOffsetMinutes)
    {
        if (defaultOffsetMinutes is not null)
        {
            return true;
        }

        if (hit.Match is not { } match)
        {
            return hit.Fields.ZoneOffset is not null;
        }

        _fieldGroups ??= StrptimeConverter.FieldGroups(Regex.Regex);
        return StrptimeConverter.HasZone(match, _fieldGroups, Regex.DenseGroups);
    }
}

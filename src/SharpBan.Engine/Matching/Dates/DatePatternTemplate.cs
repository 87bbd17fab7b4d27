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
    }

    public override string? Pattern => _pattern;

    [GeneratedRegex(@"%(%|Ex[a-zA-Z]|[a-zA-Z])")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"(?<!%)%[aAbBpc]")]
    private static partial Regex AlphaToken();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryGetDate(Match match, int? defaultOffsetMinutes, DateClock clock, out double unix)
    {
        _fieldGroups ??= StrptimeConverter.FieldGroups(Regex.Regex);
        return StrptimeConverter.TryConvert(match, _fieldGroups, Regex.DenseGroups, defaultOffsetMinutes, clock, out unix);
    }
}

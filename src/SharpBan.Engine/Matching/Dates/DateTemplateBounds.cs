using System.Text.RegularExpressions;

namespace SharpBan.Engine.Matching.Dates;

using Regex = System.Text.RegularExpressions.Regex;

/// <summary>
/// The boundary rules fail2ban applies to a date regex: word or line-start prefix, word-end suffix, <c>**</c>
/// markers that disable them, wrapping into group 1 when there is no unnamed group, leading global flags kept first.
/// </summary>
internal static partial class DateTemplateBounds
{
    [GeneratedRegex(@"((?:^|(?!<\\))\(\?[a-z]+\))")]
    private static partial Regex GlobalFlags();

    [GeneratedRegex(@"^\(*(?:\(\?\w+\))?(?:\^|\(*\*\*|\((?:\?:)?\^)")]
    private static partial Regex NoWordBoundBegin();

    [GeneratedRegex(@"(?<!\\)(?:\$\)?|\\b|\\s|\*\*\)*)$")]
    private static partial Regex NoWordBoundEnd();

    [GeneratedRegex(@"(?<!(?:\(\?))(?<!\\)\((?!\?)")]
    private static partial Regex HasUnnamedGroup();

    [GeneratedRegex(@"^((?:\(\?\w+\))?\^?(?:\(\?\w+\))?)(.*?)(\$?)$", RegexOptions.Singleline)]
    private static partial Regex GroupWhole();

    [GeneratedRegex(@"^(?:\(\?\w+\))?(?:\^|\((?:\?:)?\^(?!\|))")]
    private static partial Regex LineBoundBegin();

    [GeneratedRegex(@"(?<![\\\|])(?:\$\)?)$")]
    private static partial Regex LineBoundEnd();

    [GeneratedRegex(@"^\(*(?:\(\?\w+\))?\(*\*\*|(?<!\\)\*\*\)*$")]
    private static partial Regex WordBoundMarkers();

    [GeneratedRegex(@"^\{UNB\}")]
    private static partial Regex UnboundPrefix();

    [GeneratedRegex(@"^\{\^LN-BEG\}")]
    private static partial Regex LineBeginPrefix();

    [GeneratedRegex(@"^\((?:\?:)?\^\|\\b\|\\W\)")]
    private static partial Regex StartAnchorPrefix();

    [GeneratedRegex(@"\(\?=\\b\|\\W\|\$\)$")]
    private static partial Regex EndAnchorSuffix();

    public static (string Regex, DateTemplateFlags Flags, bool LineBeginName) Apply(string regex, BoundMode wordBegin, bool wordEnd)
    {
        regex = regex.Trim();
        var gf = GlobalFlags().Match(regex);
        if (gf.Success)
        {
            regex = GlobalFlags().Replace(regex, "", 1);
        }

        var boundBegin = wordBegin != BoundMode.None && !NoWordBoundBegin().IsMatch(regex);
        var boundEnd = wordEnd && !NoWordBoundEnd().IsMatch(regex);
        if (!HasUnnamedGroup().IsMatch(regex))
        {
            regex = GroupWhole().Replace(regex, "$1($2)$3", 1);
        }

        var flags = DateTemplateFlags.None;
        var lnBegName = false;
        if (boundBegin)
        {
            if (wordBegin == BoundMode.LineStart)
            {
                flags |= DateTemplateFlags.LineBegin;
                regex = @"^(?:\W{0,2})?" + regex;
                lnBegName = true;
            }
            else
            {
                flags |= DateTemplateFlags.WordBegin;
                regex = @"(?=^|\b|\W)" + regex;
            }
        }

        if (boundEnd)
        {
            flags |= DateTemplateFlags.WordEnd;
            regex += @"(?=\b|\W|$)";
        }

        if ((flags & DateTemplateFlags.LineBegin) == 0 && LineBoundBegin().IsMatch(regex))
        {
            flags |= DateTemplateFlags.LineBegin;
        }

        if ((flags & DateTemplateFlags.LineEnd) == 0 && LineBoundEnd().IsMatch(regex))
        {
            flags |= DateTemplateFlags.LineEnd;
        }

        regex = WordBoundMarkers().Replace(regex, static m => m.Value.Replace("**", "", StringComparison.Ordinal));
        if (gf.Success)
        {
            regex = gf.Groups[1].Value + regex;
        }

        return (regex, flags, lnBegName);
    }

    /// <summary>Strips <c>{UNB}</c>/<c>{^LN-BEG}</c> prefixes and generated word boundaries (for <c>{DATE}</c>).</summary>
    public static string Unbound(string pattern)
    {
        pattern = UnboundPrefix().Replace(pattern, "");
        pattern = LineBeginPrefix().Replace(pattern, "");
        pattern = StartAnchorPrefix().Replace(pattern, "");
        return EndAnchorSuffix().Replace(pattern, "");
    }

    public static bool HasUnboundPrefix(string pattern, out string rest)
    {
        var ok = UnboundPrefix().IsMatch(pattern);
        rest = ok ? UnboundPrefix().Replace(pattern, "") : pattern;
        return ok;
    }

    public static bool HasLineBeginPrefix(string pattern, out string rest)
    {
        var ok = LineBeginPrefix().IsMatch(pattern);
        rest = ok ? LineBeginPrefix().Replace(pattern, "") : pattern;
        return ok;
    }
}

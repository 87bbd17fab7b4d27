namespace SharpBan.Engine.Matching.Regex;

/// <summary>
/// fail2ban's step before it compiles a failregex, ignoreregex or prefregex: a group that opens with global flags,
/// <c>((?i)…)</c> or <c>(?:(?i)…)</c>, becomes a group with local flags, <c>(?i:…)</c> (non-capturing). Python 3.11
/// refuses global flags anywhere but at the start of a pattern; after this step only the other places are refused.
/// </summary>
internal static partial class GlobalFlagGroups
{
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\\)\((?:\?:)?(\(\?[a-z]+)\)")]
    private static partial System.Text.RegularExpressions.Regex GroupOpeningWithFlags();

    /// <summary>The pattern with each group that opens with global flags made a group with local flags.</summary>
    public static string Localize(string pattern) =>
        pattern.Contains("(?", StringComparison.Ordinal) ? GroupOpeningWithFlags().Replace(pattern, "$1:") : pattern;
}

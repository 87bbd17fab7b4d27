using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpBan.Engine.Matching.Dates;

/// <summary>Unix timestamps: <c>EPOCH</c> (seconds, optional fraction) and <c>LEPOCH</c> (also milli/microseconds).</summary>
internal sealed partial class EpochTemplate : DateTemplate
{
    private const string Seconds = @"\d{10,11}\b(?:\.\d{3,6})?";
    private const string LongForm = @"\d{10,11}(?:\d{3}(?:\.\d{1,6}|\d{3})?)?";

    private readonly bool _longForm;
    private readonly string _valueGroup;

    /// <param name="pattern">A custom regex embedding <c>{EPOCH}</c>/<c>{LEPOCH}</c>, or null.</param>
    public EpochTemplate(bool lineBeginOnly, string? pattern, bool longForm, bool builtIn = false)
    {
        BuiltIn = builtIn;
        _longForm = longForm;
        var epoch = longForm ? LongForm : Seconds;
        Name = pattern ?? (longForm ? "LongEpoch" : "Epoch");
        var valueGroup = 1;
        if (pattern is not null)
        {
            SetRegex("(" + EpochPlaceholder().Replace(pattern, "(" + epoch.Replace("$", "$$", StringComparison.Ordinal) + ")") + ")");
            valueGroup = 2;
        }
        else if (!lineBeginOnly)
        {
            SetRegex(@"((?:^|(?P<square>(?<=^\[))|(?P<selinux>(?<=\baudit\()))" + epoch + @")(?:(?(selinux)(?=:\d+\)))|(?(square)(?=\])))", BoundMode.None);
        }
        else
        {
            SetRegex(@"((?P<square>(?<=^\[))?" + epoch + @")(?(square)(?=\]))", BoundMode.LineStart);
        }

        _valueGroup = Regex.PythonGroup(valueGroup);
    }

    [GeneratedRegex(@"(?<!\\)\{L?EPOCH\}", RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex EpochPlaceholder();

    public static bool HasPlaceholder(string pattern) => EpochPlaceholder().IsMatch(pattern);

    public override bool TryGetDate(in DateHit hit, int? defaultOffsetMinutes, DateClock clock, out double unix)
    {
        var v = hit.Match!.Groups[_valueGroup].Value; // no scanner: every hit is the regex's
        unix = double.Parse(v, CultureInfo.InvariantCulture);
        if (_longForm && v.Length >= 13)
        {
            unix /= v.Length >= 16 && !v.Contains('.', StringComparison.Ordinal) ? 1_000_000 : 1000;
        }

        return true;
    }
}

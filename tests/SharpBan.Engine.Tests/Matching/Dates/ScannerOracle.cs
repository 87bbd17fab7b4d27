using SharpBan.Engine.Matching.Dates;
using Xunit;

namespace SharpBan.Engine.Tests.Matching.Dates;

/// <summary>A date scanner checked against the regex of the template it stands in for.</summary>
internal sealed class ScannerOracle(DateScanner scanner, DateTemplate template)
{
    public DateScanner Scanner { get; } = scanner;

    public DateTemplate Template { get; } = template;

    /// <summary>The regex's hit, or null; fails the test when the scanner answers differently (spans or values).</summary>
    public DateHit? Compare(string line)
    {
        var answered = Scanner.Scan(line, out var scanned);
        var match = Template.Regex.Search(line);
        var expected = match is null ? (DateHit?)null : new DateHit(match, Template.DateGroupNumber, Template.Regex.DenseGroups);
        if (answered is null)
        {
            return expected; // left to the regex
        }

        Assert.True(answered == (expected is not null), $"scanner {answered}, regex {expected is not null}: {line}");
        if (expected is { } e)
        {
            var fieldGroups = StrptimeConverter.FieldGroups(Template.Regex.Regex);
            Assert.True(StrptimeConverter.TryRead(match!, fieldGroups, Template.Regex.DenseGroups, out var values));
            Assert.Equal((e.Index, e.End, e.TextStart, e.TextEnd, values), (scanned.Index, scanned.End, scanned.TextStart, scanned.TextEnd, scanned.Fields));
            Assert.Null(scanned.Match);
        }

        return expected;
    }
}

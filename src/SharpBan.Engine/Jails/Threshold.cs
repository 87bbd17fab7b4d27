using System.Globalization;

namespace SharpBan.Engine.Jails;

/// <summary>
/// One pair of the <c>thresholds</c> jail option (a SharpBan extension): an id is banned once it has at least
/// <see cref="Count"/> failures within any <see cref="Seconds"/> of failure time (<c>10/1d</c>).
/// </summary>
/// <param name="Count">Failures needed, each counted with its weight.</param>
/// <param name="Seconds">The window's length; two failures are inside one window when their times differ by less.</param>
/// <param name="Text">The pair as written (<c>10/1d</c>), for <c>get</c> and the log.</param>
internal sealed record Threshold(int Count, double Seconds, string Text)
{
    /// <summary>The largest count of a pair: a failure's time is kept per id, so this bounds the memory of one id.</summary>
    public const int MaxCount = 1000;

    public override string ToString() => Text;

    /// <summary>Reads one pair, <c>COUNT/TIME</c> with fail2ban's time abbreviations (<see cref="TimeValue"/>).</summary>
    /// <exception cref="FormatException">Not a pair of a count from 1 to <see cref="MaxCount"/> and a positive time.</exception>
    public static Threshold Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            throw new FormatException($"'{text}' is not COUNT/TIME (e.g. 10/1d)");
        }

        var countText = text[..slash];
        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > MaxCount)
        {
            throw new FormatException($"'{text}': the count must be a whole number from 1 to {MaxCount.ToString(CultureInfo.InvariantCulture)}");
        }

        var timeText = text[(slash + 1)..];
        if (!TimeValue.TryParse(timeText, out var seconds) || !(seconds > 0) || double.IsInfinity(seconds))
        {
            throw new FormatException($"'{text}': the time must be a positive time value (e.g. 600, 10m, 1d12h)");
        }

        return new Threshold(count, seconds, text);
    }
}

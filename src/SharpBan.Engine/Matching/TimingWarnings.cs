using System.Globalization;
using Microsoft.Extensions.Logging;
using SharpBan.Engine.Config;
using SharpBan.Engine.Jails;
using SharpBan.Engine.Matching.Dates;

namespace SharpBan.Engine.Matching;

/// <summary>
/// fail2ban's warnings about a filter's dates, each kind at most once a day (its <c>_logWarnOnce</c>): a line dated far
/// from now in operation (counted as now), an old line ignored while the log is read from its start, a failure
/// without a date; and its error for a date text that is no date, each time. These are what tells a user that a
/// log's time zone or date format is wrong, instead of failures that silently never count.
/// </summary>
internal sealed class TimingWarnings(ILogger logger, string jail, DateClock clock)
{
    private const double Interval = 24 * 60 * 60;

    private double _nextSimulatedNow;
    private double _nextIgnoredOld;
    private double _nextNoDate;

    /// <summary>A line in operation whose date is <paramref name="delta"/> seconds from now (more than a minute): counted as now.</summary>
    public void SimulatedNow(string line, long delta)
    {
        if (Due(ref _nextSimulatedNow))
        {
            var problem = delta is >= -3300 and < 0 ? "latency" : "timezone";
            Log.TimingSimulatedNow(logger, jail, DurationText.Of(Math.Abs(delta)), delta < 0 ? "before" : "after", problem);
            Log.TimingOddLine(logger, jail, line);
        }
    }

    /// <summary>A line older than <c>findtime</c> while the log is read from its start: ignored.</summary>
    public void IgnoredOld(string line, double findTime)
    {
        if (Due(ref _nextIgnoredOld))
        {
            // an int as fail2ban keeps it (a fraction such as 1.5h is Python's 5400.0, which this cannot tell from 5400)
            var seconds = findTime == Math.Floor(findTime) ? ((long)findTime).ToString(CultureInfo.InvariantCulture) : PyValue.FloatRepr(findTime);
            Log.TimingIgnoredOld(logger, jail, seconds);
            Log.TimingOddLine(logger, jail, line);
        }
    }

    /// <summary>A failregex matched a line without a date (<paramref name="timeText"/>: the date text found, often empty).</summary>
    public void NoDate(string timeText, IEnumerable<LineTuple> matched)
    {
        if (Due(ref _nextNoDate))
        {
            Log.TimingNoDate(logger, jail, PyText.Repr(timeText));
            // the lines of a multi-line match on one log line, joined by a visible \n: fail2ban writes them as lines of
            // their own, and a whole line written by a client (dateless) would then stand in fail2ban.log as if the
            // daemon had written it, e.g. a "Ban" line that a recidive jail counts
            Log.TimingMatchWithoutDate(logger, jail, string.Join("\\n", matched));
            Log.TimingTryDatePattern(logger, jail);
        }
    }

    /// <summary>A date template matched text that is no date (<c>Feb 30</c>): said each time, as fail2ban does.</summary>
    public void DateNotParsed(string timeText) => Log.DateNotParsed(logger, timeText);

    private bool Due(ref double next)
    {
        var now = clock.Now();
        if (now < next)
        {
            return false;
        }

        next = now + Interval;
        return true;
    }
}

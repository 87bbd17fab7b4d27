namespace SharpBan.Engine.Jails;

/// <summary>
/// The failures of one id inside a jail (fail2ban's <c>FailTicket</c>): <see cref="Retry"/> is the effective count that
/// is compared with maxretry (rate-scaled when failures spread over more than findtime), <see cref="Failures"/> the raw
/// number of attempts.
/// </summary>
internal sealed class FailTicket(string id, double time, IReadOnlyDictionary<string, object?> data)
{
    public string Id { get; } = id;

    public double FirstTime { get; private set; } = time;

    public double LastTime { get; private set; } = time;

    /// <summary>The last failure's date is a Python int (a date with a zone), see <see cref="BanTicket.IntegerTime"/>.</summary>
    public bool LastTimeIsInteger { get; set; }

    public int Retry { get; set; } = 1;

    public int Failures { get; private set; } = 1;

    public List<string> Matches { get; } = [];

    /// <summary>
    /// Captured groups of the first failure (<c>user</c>, <c>ip4</c>, any <c>F-*</c>): fail2ban adds later failures of
    /// the id to the ticket it has, counting them and keeping their lines, not their groups.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Data { get; } = data;

    /// <summary>The <c>thresholds</c> pair whose window this ticket reached (it is banned for that); null for maxretry.</summary>
    public Threshold? Threshold { get; set; }

    /// <summary>The failure manager's eviction order (<see cref="FailManager.MaxTracked"/>): the next older ticket.</summary>
    internal FailTicket? Older { get; set; }

    /// <summary>The next newer ticket in the eviction order.</summary>
    internal FailTicket? Newer { get; set; }

    /// <summary>Failed more than once: evicted only after every address seen once.</summary>
    internal bool Repeated { get; set; }

    /// <summary>fail2ban's <c>adjustTime</c>: a later failure stretches the window and rescales the retry count.</summary>
    public void AdjustTime(double time, double findTime)
    {
        if (time > LastTime)
        {
            if (FirstTime < time - findTime)
            {
                Retry = (int)Math.Round(Retry / (time - FirstTime) * findTime, MidpointRounding.ToEven);
                FirstTime = time - findTime;
            }

            LastTime = time;
            LastTimeIsInteger = false;
        }
    }

    public void Increment(IEnumerable<string> matches, int attempts, int count)
    {
        Retry += count;
        Failures += attempts;
        Matches.AddRange(matches);
    }

    public void TrimMatches(int maxMatches)
    {
        if (maxMatches <= 0)
        {
            Matches.Clear();
        }
        else if (Matches.Count > maxMatches)
        {
            Matches.RemoveRange(0, Matches.Count - maxMatches);
        }
    }
}

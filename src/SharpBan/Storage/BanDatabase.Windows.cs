using System.Globalization;
using System.Text;

namespace SharpBan.Storage;

/// <summary>
/// The failures of the <c>thresholds</c> windows (a SharpBan extension), so that a restart or a crash does not start
/// them from zero: table <c>sharpban_failures</c>, created by the first jail that saves any (a database of a
/// configuration without <c>thresholds</c> keeps fail2ban's schema exactly; fail2ban ignores the extra table). Written in
/// the same transaction as the log positions, so what is saved always matches the lines read.
/// </summary>
internal sealed partial class BanDatabase
{
    private const string WindowsSchema =
        "CREATE TABLE IF NOT EXISTS sharpban_failures(jail TEXT NOT NULL, id TEXT NOT NULL, failures TEXT NOT NULL, PRIMARY KEY(jail, id))";

    /// <summary>
    /// The saved failures of <paramref name="jail"/>: per id its (time, weight) pairs, oldest first; the ids ordered by
    /// their newest failure. A row that does not read (edited by hand) is left out.
    /// </summary>
    public List<(string Id, List<(double Time, int Weight)> Failures)> GetFailureWindows(string jail) => Read<List<(string, List<(double, int)>)>>(() =>
    {
        if (!HasWindowsTable())
        {
            return [];
        }

        var rows = new List<(string, List<(double, int)>)>();
        using var cmd = Command("SELECT id, failures FROM sharpban_failures WHERE jail=$j", ("$j", jail));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (!r.IsDBNull(0) && !r.IsDBNull(1) && ParseFailures(r.GetString(1)) is { Count: > 0 } failures)
            {
                rows.Add((r.GetString(0), failures));
            }
        }

        rows.Sort(static (a, b) => a.Item2[^1].Item1.CompareTo(b.Item2[^1].Item1));
        return rows;
    }, []);

    /// <summary>
    /// Saves the failures of each id in <paramref name="changes"/> for <paramref name="jail"/>; an id without failures
    /// (null) has its row deleted.
    /// </summary>
    public void SaveFailureWindows(string jail, IReadOnlyList<(string Id, IEnumerable<(double Time, int Weight)>? Failures)> changes)
    {
        lock (_sync)
        {
            if (changes.Count == 0 || _connection is null || _trouble != DatabaseTrouble.None)
            {
                return;
            }

            if (changes.Any(static c => c.Failures is not null))
            {
                Write(WindowsSchema);
            }
            else if (!HasWindowsTable())
            {
                return;
            }

            foreach (var (id, failures) in changes)
            {
                if (failures is null)
                {
                    Write("DELETE FROM sharpban_failures WHERE jail=$j AND id=$id", ("$j", jail), ("$id", id));
                }
                else
                {
                    Write(
                        "INSERT INTO sharpban_failures(jail, id, failures) VALUES ($j, $id, $f) ON CONFLICT(jail, id) DO UPDATE SET failures=$f",
                        ("$j", jail), ("$id", id), ("$f", FormatFailures(failures)));
                }
            }
        }
    }

    /// <summary>Deletes every saved failure of <paramref name="jail"/> (its <c>thresholds</c> were turned off).</summary>
    public void DeleteFailureWindows(string jail)
    {
        lock (_sync)
        {
            if (HasWindowsTable())
            {
                Write("DELETE FROM sharpban_failures WHERE jail=$j", ("$j", jail));
            }
        }
    }

    /// <summary><c>TIME*WEIGHT</c> words separated by spaces, times as Python's <c>repr</c> of a float would round-trip them.</summary>
    internal static string FormatFailures(IEnumerable<(double Time, int Weight)> failures)
    {
        var text = new StringBuilder();
        foreach (var (time, weight) in failures)
        {
            text.Append(text.Length == 0 ? "" : " ").Append(time.ToString("R", CultureInfo.InvariantCulture)).Append('*').Append(weight.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>The pairs of <see cref="FormatFailures"/> in ascending time; null when the text is not that.</summary>
    internal static List<(double Time, int Weight)>? ParseFailures(string text)
    {
        var failures = new List<(double, int)>();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var star = word.IndexOf('*', StringComparison.Ordinal);
            if (star <= 0
                || !double.TryParse(word.AsSpan(0, star), NumberStyles.Float, CultureInfo.InvariantCulture, out var time) || !double.IsFinite(time)
                || !int.TryParse(word.AsSpan(star + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight < 1)
            {
                return null;
            }

            failures.Add((time, weight));
        }

        failures.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return failures;
    }

    private bool HasWindowsTable() =>
        _connection is not null && _trouble == DatabaseTrouble.None
        && Scalar("SELECT 1 FROM sqlite_master WHERE type='table' AND name='sharpban_failures'") is not null;
}

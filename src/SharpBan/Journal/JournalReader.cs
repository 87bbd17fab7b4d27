using System.Diagnostics;

namespace SharpBan.Journal;

/// <summary>
/// Reads a journal selection once from its head to its end through <c>journalctl -o json</c> (the regex tool; the
/// daemon follows the journal with <c>Server/Logs/JournalSource.cs</c>).
/// </summary>
internal static class JournalReader
{
    /// <param name="selection">journalctl arguments from <see cref="JournalArguments.Build"/>.</param>
    /// <exception cref="InvalidOperationException">journalctl cannot be started or fails (its message).</exception>
    public static IEnumerable<JournalEntry> ReadAll(IReadOnlyList<string> selection)
    {
        var psi = new ProcessStartInfo("journalctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-o", "json", "--no-pager", .. selection])
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("journalctl could not be started");
        var stderr = process.StandardError.ReadToEndAsync();
        while (process.StandardOutput.ReadLine() is { } json)
        {
            if (json.Length > 0 && JournalEntry.Parse(json) is { } entry)
            {
                yield return entry;
            }
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("journalctl: " + stderr.Result.Trim());
        }
    }
}

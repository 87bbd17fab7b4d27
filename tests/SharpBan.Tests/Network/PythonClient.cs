namespace SharpBan.Tests.Network;

/// <summary>The real-attack tests' clients: one python3 script of scenarios, run from an attacker namespace.</summary>
internal static class PythonClient
{
    /// <summary>Runs one <paramref name="scenario"/> of <paramref name="script"/> from <paramref name="ns"/> against <paramref name="server"/>; throws if python fails.</summary>
    public static void Run(string script, string ns, string server, string scenario, params string[] args)
    {
        var (exit, _, error) = NetworkLab.Exec(ns, "python3", ["-c", script, scenario, server, .. args]);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{scenario} {string.Join(' ', args)} exited {exit}: {error.Trim()}");
        }
    }

    /// <summary>Runs clients at once (each element: scenario, then its arguments).</summary>
    public static async Task RunAllAsync(string script, string ns, string server, IEnumerable<string[]> clients) =>
        await Task.WhenAll(clients.Select(c => Task.Run(() => Run(script, ns, server, c[0], c[1..]))));

    /// <summary>The rows of <c>-o "&lt;ip&gt; &lt;msg&gt;"</c> (fail2ban-regex or sharpban regex): each failure line and its address.</summary>
    public static Dictionary<string, string> FailuresByLine(string output)
    {
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = row.IndexOf(' ', StringComparison.Ordinal);
            failures[row[(space + 1)..]] = row[..space];
        }

        return failures;
    }
}

using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace SharpBan.Processes;

/// <summary>Finds and kills the processes below a process (Linux <c>/proc</c>).</summary>
internal static class ProcessTree
{
    /// <summary>Kills every child of <paramref name="pid"/> with its whole tree; <paramref name="pid"/> itself lives on.</summary>
    public static void KillChildren(int pid)
    {
        foreach (var child in Children(pid))
        {
            try
            {
                using var process = Process.GetProcessById(child);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception)
            {
                // Deliberate: the child exited (and was reaped) between listing and killing; nothing left to kill.
            }
        }
    }

    /// <summary>The direct children of <paramref name="pid"/>.</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/task/{pid}/children");
            return [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            // Deliberate: the kernel has no CONFIG_PROC_CHILDREN (or the process is gone); scan every process instead.
            return ScanChildren(pid);
        }
    }

    private static List<int> ScanChildren(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Join(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // Deliberate: the process exited while we were scanning.
            }

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 3);
            if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) && parent == pid)
            {
                children.Add(candidate);
            }
        }

        return children;
    }
}

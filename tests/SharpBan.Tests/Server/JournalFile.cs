using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SharpBan.Tests.Server;

/// <summary>
/// Writes a real journal file: entries in journal export format piped into <c>systemd-journal-remote -o FILE -</c>,
/// which creates the file or appends to it (Debian package <c>systemd-journal-remote</c>).
/// </summary>
internal static class JournalFile
{
    private const string Remote = "/lib/systemd/systemd-journal-remote";
    private static long _monotonic = 1_000_000;

    /// <summary>An sshd entry of unit <c>ssh.service</c> (matched by the sshd filter's journalmatch) at now.</summary>
    public static string Sshd(string message) => Entry("ssh.service", "sshd", message);

    public static string Entry(string unit, string comm, string message)
    {
        var micros = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var monotonic = Interlocked.Add(ref _monotonic, 1000);
        return string.Create(CultureInfo.InvariantCulture, $"""
            __REALTIME_TIMESTAMP={micros}
            __MONOTONIC_TIMESTAMP={monotonic}
            _BOOT_ID=0123456789abcdef0123456789abcdef
            _HOSTNAME=host
            _SYSTEMD_UNIT={unit}
            _COMM={comm}
            SYSLOG_IDENTIFIER={comm}
            _PID=4242
            MESSAGE={message}


            """);
    }

    public static void Append(string path, params string[] entries) =>
        Append(path, Encoding.UTF8.GetBytes(string.Concat(entries).Replace("\r\n", "\n", StringComparison.Ordinal)));

    /// <summary>Appends entries already in export format (binary fields allowed).</summary>
    public static void Append(string path, byte[] export)
    {
        var psi = new ProcessStartInfo(Remote) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-o", path, "-" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(export);
        process.StandardInput.Close();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            throw new TimeoutException("systemd-journal-remote did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"systemd-journal-remote exited {process.ExitCode}: {stderr.Result}");
        }
    }
}

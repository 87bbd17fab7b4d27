using System.Globalization;
using Microsoft.Extensions.Logging;
using SharpBan.Engine.Config;

namespace SharpBan.Engine.Actions;

/// <summary>
/// A command's outcome in the lines of fail2ban's <c>fail2ban.utils</c>, all under one id per run: on failure
/// <c>ID -- exec: COMMAND</c>, each output line as <c>ID -- stdout: 'LINE'</c> (a Python repr: one log line per output
/// line, whatever the command printed), then <c>ID -- returned N</c>, <c>ID -- killed with SIGNAME (return code: N)</c>
/// or <c>ID -- timed out after N seconds.</c>; on success only <c>ID -- returned successfully 0</c> at DEBUG.
/// </summary>
/// <remarks>The shell worker merges a command's standard error into its output, so fail2ban's <c>stderr:</c> lines come
/// as <c>stdout:</c> lines here.</remarks>
internal static class CommandLog
{
    private static long s_nextId = 0x5b0000000000;

    public static void Write(ILogger logger, string script, ProcessResult result, TimeSpan timeout)
    {
        var id = Interlocked.Add(ref s_nextId, 0x90).ToString("x", CultureInfo.InvariantCulture);
        if (result.Success)
        {
            Log.CommandSucceeded(logger, id, result.ExitCode);
            return;
        }

        Log.CommandExec(logger, id, script);
        if (result.TimedOut)
        {
            Log.CommandTimedOut(logger, id, timeout.TotalSeconds);
        }

        foreach (var line in result.Output.Split('\n'))
        {
            if (line.Length > 0)
            {
                Log.CommandOutput(logger, id, PyText.Repr(line.TrimEnd('\r')));
            }
        }

        if (result.TimedOut)
        {
            return;
        }

        if (result.ExitCode is < 0 or > 128)
        {
            var signal = result.ExitCode < 0 ? -result.ExitCode : result.ExitCode - 128;
            Log.CommandKilled(logger, id, SignalName(signal), result.ExitCode);
        }
        else
        {
            Log.CommandFailed(logger, id, result.ExitCode);
            if (result.ExitCode == 127)
            {
                Log.CommandNotFoundHint(logger, PyText.Repr(script), Environment.ProcessId);
            }
        }
    }

    /// <summary>Python's <c>signal</c> names of Linux's signal numbers.</summary>
    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => "signal " + signal.ToString(CultureInfo.InvariantCulture),
    };
}

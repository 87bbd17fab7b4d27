using Microsoft.Extensions.Logging;

namespace SharpBan.Engine;

/// <summary>
/// Log messages of the engine. Event ids: 2xxx actions (the daemon's jail messages live in the executable's Log). Messages whose event name
/// starts with <c>Notice</c> are fail2ban's NOTICE level (between INFO and WARNING); their text is kept verbatim
/// because the recidive filter and monitoring scripts parse it.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Error, "Failed to execute {Operation} jail '{Jail}' action '{Action}': {Message}", EventName = "ActionFailed")]
    public static partial void ActionFailed(ILogger logger, string operation, string jail, string action, string message);

    [LoggerMessage(2001, LogLevel.Debug, "{Command} -- returned successfully", EventName = "CommandSucceeded")]
    public static partial void CommandSucceeded(ILogger logger, string command);

    [LoggerMessage(2002, LogLevel.Error, "{Command} -- returned {ExitCode}{Output}", EventName = "CommandFailed")]
    public static partial void CommandFailed(ILogger logger, string command, int exitCode, string output);

    [LoggerMessage(2003, LogLevel.Error, "{Command} -- timed out after {Timeout} seconds", EventName = "CommandTimedOut")]
    public static partial void CommandTimedOut(ILogger logger, string command, double timeout);

    [LoggerMessage(2004, LogLevel.Information, "[{Jail}] Flush ticket(s) with {Action}", EventName = "NoticeFlush")]
    public static partial void Flush(ILogger logger, string jail, string action);

    [LoggerMessage(2005, LogLevel.Critical, "Unable to restore environment of jail '{Jail}' action '{Action}'", EventName = "RepairFailed")]
    public static partial void RepairFailed(ILogger logger, string jail, string action);

    [LoggerMessage(2006, LogLevel.Error, "Invariant check failed. Trying to restore a sane environment (jail '{Jail}', action '{Action}')", EventName = "InvariantCheckFailed")]
    public static partial void InvariantCheckFailed(ILogger logger, string jail, string action);
}

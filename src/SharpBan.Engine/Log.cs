using Microsoft.Extensions.Logging;

namespace SharpBan.Engine;

/// <summary>
/// Log messages of the engine. Event ids: 2000–2019 actions, 2020–2029 a filter's date warnings (the daemon's jail messages live in the executable's Log). Messages whose event name
/// starts with <c>Notice</c> are fail2ban's NOTICE level (between INFO and WARNING); their text is kept verbatim
/// because the recidive filter and monitoring scripts parse it.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Error, "Failed to execute {Operation} jail '{Jail}' action '{Action}': {Message}", EventName = "ActionFailed")]
    public static partial void ActionFailed(ILogger logger, string operation, string jail, string action, string message);

    [LoggerMessage(2001, LogLevel.Debug, "{Id} -- returned successfully {ExitCode}", EventName = "CommandSucceeded")]
    public static partial void CommandSucceeded(ILogger logger, string id, int exitCode);

    [LoggerMessage(2002, LogLevel.Error, "{Id} -- returned {ExitCode}", EventName = "CommandFailed")]
    public static partial void CommandFailed(ILogger logger, string id, int exitCode);

    [LoggerMessage(2003, LogLevel.Error, "{Id} -- timed out after {Timeout} seconds.", EventName = "CommandTimedOut")]
    public static partial void CommandTimedOut(ILogger logger, string id, double timeout);

    [LoggerMessage(2007, LogLevel.Error, "{Id} -- exec: {Command}", EventName = "CommandExec")]
    public static partial void CommandExec(ILogger logger, string id, string command);

    [LoggerMessage(2008, LogLevel.Error, "{Id} -- stdout: {Line}", EventName = "CommandOutput")]
    public static partial void CommandOutput(ILogger logger, string id, string line);

    [LoggerMessage(2009, LogLevel.Error, "{Id} -- killed with {Signal} (return code: {ExitCode})", EventName = "CommandKilled")]
    public static partial void CommandKilled(ILogger logger, string id, string signal, int exitCode);

    [LoggerMessage(2010, LogLevel.Information, "HINT on 127: \"Command not found\".  Make sure that all commands in {Command} are in the PATH of the sharpban server process (grep -a PATH= /proc/{Pid}/environ).", EventName = "CommandNotFoundHint")]
    public static partial void CommandNotFoundHint(ILogger logger, string command, int pid);

    [LoggerMessage(2011, LogLevel.Error, "Failed to execute {Operation} jail '{Jail}' action '{Action}' info 'ActionInfo({{'ip': {Ip}, 'family': '{Family}'}})': {Message}", EventName = "TicketOperationFailed")]
    public static partial void TicketOperationFailed(ILogger logger, string operation, string jail, string action, string ip, string family, string message);

    [LoggerMessage(2012, LogLevel.Error, "Failed to {Operation} jail '{Jail}' action '{Action}': {Message}", EventName = "ActionOperationFailed")]
    public static partial void ActionOperationFailed(ILogger logger, string operation, string jail, string action, string message);

    [LoggerMessage(2013, LogLevel.Error, "Failed to flush bans in jail '{Jail}' action '{Action}': {Message}", EventName = "FlushFailed")]
    public static partial void FlushFailed(ILogger logger, string jail, string action, string message);

    [LoggerMessage(2014, LogLevel.Information, "No flush occurred, do consistency check", EventName = "NoFlush")]
    public static partial void NoFlush(ILogger logger);

    [LoggerMessage(2004, LogLevel.Information, "[{Jail}] Flush ticket(s) with {Action}", EventName = "NoticeFlush")]
    public static partial void Flush(ILogger logger, string jail, string action);

    [LoggerMessage(2005, LogLevel.Critical, "Unable to restore environment of jail '{Jail}' action '{Action}'", EventName = "RepairFailed")]
    public static partial void RepairFailed(ILogger logger, string jail, string action);

    [LoggerMessage(2006, LogLevel.Error, "Invariant check failed. Trying to restore a sane environment (jail '{Jail}', action '{Action}')", EventName = "InvariantCheckFailed")]
    public static partial void InvariantCheckFailed(ILogger logger, string jail, string action);

    [LoggerMessage(2020, LogLevel.Warning, "[{Jail}] Detected a log entry {Distance} {Direction} the current time in operation mode. This looks like a {Problem} problem. Treating such entries as if they just happened.", EventName = "TimingSimulatedNow")]
    public static partial void TimingSimulatedNow(ILogger logger, string jail, string distance, string direction, string problem);

    [LoggerMessage(2021, LogLevel.Warning, "[{Jail}] Please check a jail for a timing issue. Line with odd timestamp: {Line}", EventName = "TimingOddLine")]
    public static partial void TimingOddLine(ILogger logger, string jail, string line);

    [LoggerMessage(2022, LogLevel.Warning, "[{Jail}] Ignoring all log entries older than {FindTime}s; these are probably messages generated while fail2ban was not running.", EventName = "TimingIgnoredOld")]
    public static partial void TimingIgnoredOld(ILogger logger, string jail, string findTime);

    [LoggerMessage(2023, LogLevel.Warning, "[{Jail}] Found a match but no valid date/time found for {TimeText}.", EventName = "TimingNoDate")]
    public static partial void TimingNoDate(ILogger logger, string jail, string timeText);

    [LoggerMessage(2024, LogLevel.Warning, "[{Jail}] Match without a timestamp: {Lines}", EventName = "TimingMatchWithoutDate")]
    public static partial void TimingMatchWithoutDate(ILogger logger, string jail, string lines);

    [LoggerMessage(2025, LogLevel.Warning, "[{Jail}] Please try setting a custom date pattern (see man page jail.conf(5)).", EventName = "TimingTryDatePattern")]
    public static partial void TimingTryDatePattern(ILogger logger, string jail);

    [LoggerMessage(2026, LogLevel.Error, "findFailure failed to parse timeText: {TimeText}", EventName = "DateNotParsed")]
    public static partial void DateNotParsed(ILogger logger, string timeText);
}
